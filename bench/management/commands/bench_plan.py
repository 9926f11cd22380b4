"""Prints the benchmark plan as JSON: a session cookie of the bench member and the pages to load.

Each page is fetched in-process (django.test.Client on the same database) twice; the second
fetch gives the SQL query count and the response size, and the page's h1 is recorded so the
runner can check that the real server answers with the page, not with a login redirect.
"""

import json
import re
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from bench.management.commands.seed_bench import BENCH_EMAIL, MARKER_SLUG, SEARCH_PHRASE
from documents.models import Document
from forums.models import Post, Thread

H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
TAGS = re.compile(r"<[^>]+>")


def h1_text(body: str) -> str:
    match = H1.search(body)
    return " ".join(TAGS.sub("", match.group(1)).split()) if match else ""


class Command(BaseCommand):
    help = "Prints the pages of the benchmark with their query counts and sizes (JSON)."

    def handle(self, *args, **options):
        user = User.objects.filter(email=BENCH_EMAIL.format(0)).first()
        if user is None:
            raise CommandError("No benchmark data: run seed_bench first.")
        host = urlsplit(settings.SITE_URL).netloc or "127.0.0.1"
        client = Client(HTTP_HOST=host)
        client.force_login(user)
        cookie_name = settings.SESSION_COOKIE_NAME
        cookie = f"{cookie_name}={client.cookies[cookie_name].value}"

        big = Thread.objects.filter(board__workspace__slug=MARKER_SLUG).order_by("pk").first()
        deep_post = Post.objects.filter(thread=big).order_by("-pk").values_list("pk", flat=True)[400:401].first()
        if deep_post is None:
            deep_post = Post.objects.filter(thread=big).order_by("-pk").values_list("pk", flat=True).first()
        response = client.get(f"/forums/posts/{deep_post}/")
        if response.status_code != 302:
            raise CommandError(f"The permalink of post {deep_post} answered {response.status_code}, not a redirect.")
        permalink_target = response["Location"].split("#", 1)[0]
        document = (
            Document.objects.filter(workspace__slug=MARKER_SLUG, deleted_at__isnull=True, current_version__isnull=False)
            .order_by("pk")
            .first()
        )
        pages = [
            ("dashboard", "/"),
            ("workspace_home", f"/workspaces/{MARKER_SLUG}/"),
            ("documents_filtered", f"/documents/?kind=sozialbericht&workspace={MARKER_SLUG}"),
            ("document_detail", f"/documents/{document.pk}/"),
            ("boards", "/forums/"),
            ("thread_first_page", f"/forums/threads/{big.pk}/"),
            ("thread_deep_permalink", permalink_target),
            ("search", f"/search/?q={quote(SEARCH_PHRASE)}"),
            ("members", "/members/"),
            ("notifications", "/notifications/"),
            ("document_download", f"/documents/{document.pk}/download/"),
        ]
        plan = []
        for name, url in pages:
            client.get(url)  # warm caches (content types, translations, templates)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            if response.status_code != 200:
                raise CommandError(f"{name} ({url}) answered {response.status_code}.")
            if getattr(response, "streaming", False):
                body = b"".join(response.streaming_content)
            else:
                body = response.content
            text = body.decode("utf-8", "replace") if response["Content-Type"].startswith("text/html") else ""
            plan.append(
                {
                    "name": name,
                    "url": url,
                    "queries": len(queries),
                    "bytes": len(body),
                    "h1": h1_text(text),
                    "content_type": response["Content-Type"],
                }
            )
        self.stdout.write(json.dumps({"cookie": cookie, "pages": plan}, ensure_ascii=False))
