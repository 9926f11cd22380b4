"""Search latency with EXPLAIN ANALYZE plans, websocket fan-out and idle memory, upload memory.

Talks to the running benchmark server on ``--port`` (started by bench/run.py); prints one JSON
object with the keys "search", "websocket", "upload" and "upload_small".
"""

import asyncio
import json
import os
import resource
import statistics
import tempfile
import threading
import time
import urllib.error
import urllib.request
from importlib import import_module
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from bench.management.commands.seed_bench import BENCH_EMAIL, MARKER_SLUG, SEARCH_PHRASE
from forums.models import Thread, ThreadSubscription
from workspaces.models import Membership

SEARCH_QUERIES = [
    SEARCH_PHRASE,
    "Sozialplanung Kita",
    "Jugendhilfeplanung Monitoring",
    "Bedarfsanalyse Quartier",
    "Armutsprävention Netzwerk",
    "Wohnungslosigkeit Statistik",
    "Fachtag Beteiligung",
    "Evaluation Zielgruppe",
]
# Two words every planning text of the bench data uses: a search that matches nearly every
# entry, measured apart from the queries above as the worst case.
BROAD_QUERY = "Kommune Verwaltung"


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return None
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except FileNotFoundError:
        return 0
    return 0


def worker_pids(server_pid: int) -> list[int]:
    """The uvicorn worker processes: children of the supervisor (or the server itself).
    Not multiprocessing's resource tracker, also a child: it serves nothing and its 12 MB
    would count as a worker's."""
    children = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                command = handle.read()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        if int(fields[1]) == server_pid and b"multiprocessing.resource_tracker" not in command:
            children.append(int(entry))
    return children or [server_pid]


def workers_rss_kb(pids) -> int:
    return sum(rss_kb(pid) for pid in pids)


def session_cookie(user) -> str:
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(url, *, cookie, data=None, headers=None, method=None):
    request = urllib.request.Request(  # noqa: S310 (the benchmark server, http only)
        url, data=data, headers={"Cookie": cookie, **(headers or {})}, method=method
    )
    try:
        with OPENER.open(request, timeout=120) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers


def csrf_token(body: bytes) -> str:
    """The form's csrfmiddlewaretoken, or "" when the page holds no form."""
    marker = 'name="csrfmiddlewaretoken" value="'
    text = body.decode("utf-8", "replace")
    return text.split(marker, 1)[1].split('"', 1)[0] if marker in text else ""


def csrf_cookie(headers) -> str:
    """The CSRF cookie a response sets, as "name=value" ("" when it sets none)."""
    for value in headers.get_all("Set-Cookie") or []:
        if value.startswith(settings.CSRF_COOKIE_NAME + "="):
            return value.split(";", 1)[0]
    return ""


def post_file(base, *, cookie, token, path, size, name, title):
    """Submit the upload form as the browser does: multipart, the file streamed from disk
    (a 50 MB body never sits in this process's memory), into the marker workspace. ``cookie``
    carries the session and the CSRF cookie; returns the status."""
    from documents.models import Document

    boundary = "----bench" + os.urandom(8).hex()
    fields = {
        "csrfmiddlewaretoken": token,
        "title": title,
        "kind": Document.Kind.SOZIALBERICHT,
        "workspace": MARKER_SLUG,  # the form chooses workspaces by slug
        "year": "2024",
        "description": "Benchmark-Upload",
    }
    head = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields.items()
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    )
    tail = f"\r\n--{boundary}--\r\n".encode()
    length = len(head.encode()) + size + len(tail)

    def body():
        yield head.encode()
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                yield chunk
        yield tail

    request = urllib.request.Request(  # noqa: S310 (the benchmark server, http only)
        f"{base}/documents/upload/",
        data=body(),
        method="POST",
        headers={
            "Cookie": cookie,
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Content-Length": str(length),
            "Referer": f"{settings.SITE_URL}/documents/upload/",
        },
    )
    try:
        with OPENER.open(request, timeout=300) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def make_pdf(size: int) -> str:
    """A real one-page PDF padded with a comment to ``size`` bytes (valid for PDF readers),
    unique each time so the upload never counts as a duplicate; the caller deletes it."""
    sample = (settings.MEDIA_ROOT / "documents" / "bench-sample.pdf").read_bytes()
    handle = tempfile.NamedTemporaryFile(suffix=".pdf", delete=False)
    handle.write(sample[: sample.index(b"\n") + 1])
    handle.write(b"%" + os.urandom(8).hex().encode() + b"\n")
    padding = size - len(sample) - 20
    line = b"%" + b"x" * 1022 + b"\n"
    for _ in range(max(0, padding) // len(line)):
        handle.write(line)
    handle.write(sample[sample.index(b"\n") + 1 :])
    handle.close()
    return handle.name


class Command(BaseCommand):
    help = "Measures search, websocket fan-out and upload memory against the running benchmark server (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, required=True)
        parser.add_argument("--server-pid", type=int, default=0)
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--quick", action="store_true")
        mode.add_argument("--full", action="store_true")

    def handle(self, *args, port, server_pid, quick, full, **options):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536) if hard > 0 else 65536, hard))
        self.base = f"http://127.0.0.1:{port}"
        self.quick = quick
        self.pids = worker_pids(server_pid) if server_pid else []
        self.user = User.objects.get(email=BENCH_EMAIL.format(0))
        self.cookie = session_cookie(self.user)
        result = {
            "search": self.search(),
            "websocket": asyncio.run(self.websocket()),
            "upload": self.upload_large(),
            "upload_small": self.upload_small(),
        }
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    # --- search ---------------------------------------------------------------------------------

    def search(self):
        rounds = 3 if self.quick else 10
        page_ms, suggest_ms, broad_ms = [], [], []
        # The broad query on its own, often enough for a p95 that is not just the slowest of ten.
        for _ in range(5 if self.quick else 40):
            started = time.perf_counter()
            status, _body, _headers = fetch(f"{self.base}/search/?q={quote(BROAD_QUERY)}", cookie=self.cookie)
            broad_ms.append((time.perf_counter() - started) * 1000)
            assert status == 200, status
        for _ in range(rounds):
            for q in SEARCH_QUERIES:
                started = time.perf_counter()
                status, _body, _headers = fetch(f"{self.base}/search/?q={quote(q)}", cookie=self.cookie)
                page_ms.append((time.perf_counter() - started) * 1000)
                assert status == 200, status
                prefix = q.split()[0][:5]
                started = time.perf_counter()
                status, _body, _headers = fetch(f"{self.base}/search/suggest/?q={quote(prefix)}", cookie=self.cookie)
                suggest_ms.append((time.perf_counter() - started) * 1000)
                assert status == 200, status
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(self.user)
        with CaptureQueriesContext(connection) as captured:
            client.get(f"/search/?q={quote(SEARCH_PHRASE)}")
            client.get(f"/search/suggest/?q={quote(SEARCH_PHRASE[:5])}")
        plans = []
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for query in captured.captured_queries:
                    sql = query["sql"]
                    if "search_searchentry" in sql and sql.lstrip().upper().startswith(("SELECT", "WITH")):
                        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                        plans.append("\n".join(row[0] for row in cursor.fetchall()))
        from search import selectors
        from search.query import parse

        # How many entries each query matches for the bench member: the work behind a page.
        def count(q):
            return sum(selectors.result_page(selectors.matches(self.user, parse(q)))[0].values())

        matches = {q: count(q) for q in SEARCH_QUERIES}
        return {
            "requests": len(page_ms),
            "p50_ms": round(statistics.median(page_ms), 1),
            "p95_ms": round(percentile(page_ms, 0.95), 1),
            "suggest_p50_ms": round(statistics.median(suggest_ms), 1),
            "suggest_p95_ms": round(percentile(suggest_ms, 0.95), 1),
            "matches": matches,
            "broad": {
                "query": BROAD_QUERY,
                "matches": count(BROAD_QUERY),
                "requests": len(broad_ms),
                "p50_ms": round(statistics.median(broad_ms), 1),
                "p95_ms": round(percentile(broad_ms, 0.95), 1),
            },
            "queries": plans,
        }

    # --- websockets -----------------------------------------------------------------------------

    async def websocket(self):
        import websockets
        from asgiref.sync import sync_to_async

        total = 200 if self.quick else 1000
        rounds = 3 if self.quick else 10
        thread = await sync_to_async(
            lambda: Thread.objects.filter(board__workspace__slug=MARKER_SLUG).order_by("pk").first()
        )()
        watcher_ids = await sync_to_async(
            lambda: list(ThreadSubscription.objects.filter(thread=thread).values_list("user_id", flat=True))
        )()
        others = await sync_to_async(
            lambda: list(
                User.objects.exclude(pk__in=watcher_ids).filter(email__startswith="bench").values_list("pk", flat=True)
            )
        )()
        authors = await sync_to_async(
            lambda: list(
                Membership.objects.filter(workspace__slug=MARKER_SLUG)
                .exclude(user_id__in=watcher_ids)
                .values_list("user_id", flat=True)
            )
        )()
        if not authors:
            authors = watcher_ids[-rounds:]
        half = total // 2
        socket_users = [watcher_ids[i % len(watcher_ids)] for i in range(half)]
        pool = others or watcher_ids
        socket_users += [pool[i % len(pool)] for i in range(total - half)]
        users = await sync_to_async(lambda: {u.pk: u for u in User.objects.filter(pk__in=set(socket_users))})()
        cookies = {}
        for pk, user in users.items():
            cookies[pk] = await sync_to_async(session_cookie)(user)

        before_kb = workers_rss_kb(self.pids)
        url = self.base.replace("http", "ws") + "/ws/notifications/"
        received: list[list[float]] = [[] for _ in socket_users]
        sockets = []

        async def open_socket(index, user_id):
            ws = await websockets.connect(
                url,
                additional_headers={"Cookie": cookies[user_id], "Origin": settings.SITE_URL},
                open_timeout=30,
                ping_interval=None,
                max_queue=64,
            )
            sockets.append(ws)

            async def listen():
                try:
                    async for message in ws:
                        if json.loads(message).get("type") == "new":
                            received[index].append(time.perf_counter())
                except websockets.ConnectionClosed:
                    pass

            return asyncio.create_task(listen())

        listeners = []
        failed = 0
        for start in range(0, total, 50):
            batch = await asyncio.gather(
                *(open_socket(i, socket_users[i]) for i in range(start, min(total, start + 50))),
                return_exceptions=True,
            )
            for item in batch:
                if isinstance(item, BaseException):
                    failed += 1
                else:
                    listeners.append(item)
        await asyncio.sleep(2)
        after_kb = workers_rss_kb(self.pids)

        from forums import services

        def reply_and_note_commit(author, body) -> float:
            """Posts the reply inside a transaction of our own whose first on-commit callback
            notes when the commit happened: the latency asked for runs from the commit (the
            pushes go out in later callbacks) to the receipt, not from the start of the write."""
            committed = []
            with transaction.atomic():
                transaction.on_commit(lambda: committed.append(time.perf_counter()))
                services.post_reply(author=author, thread=thread, body=body)
            return committed[0]

        latencies, writes, expected_total, got_total = [], [], 0, 0
        for round_index in range(rounds):
            author_id = authors[round_index % len(authors)]
            author = await sync_to_async(User.objects.get)(pk=author_id)
            for bucket in received:
                bucket.clear()
            began = time.perf_counter()
            started = await sync_to_async(reply_and_note_commit, thread_sensitive=False)(
                author, f"Benchmark-Antwort {round_index}: Präventionsketten im Alltag."
            )
            writes.append((started - began) * 1000)
            expected = [i for i, u in enumerate(socket_users[:half]) if u != author_id]
            deadline = time.perf_counter() + 5
            while time.perf_counter() < deadline and any(not received[i] for i in expected):
                await asyncio.sleep(0.01)
            expected_total += len(expected)
            for i in expected:
                if received[i]:
                    got_total += 1
                    latencies.append((received[i][0] - started) * 1000)
            await asyncio.sleep(0.3)
        for ws in sockets:
            await ws.close()
        for task in listeners:
            task.cancel()
        open_count = len(sockets)
        return {
            "sockets": total,
            "opened": open_count,
            "failed": failed,
            "fanout": half,
            "rounds": rounds,
            "delivered": f"{got_total}/{expected_total}",
            "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
            "p99_ms": round(percentile(latencies, 0.99), 1) if latencies else None,
            "write_p50_ms": round(statistics.median(writes), 1) if writes else None,
            "workers_rss_before_mb": round(before_kb / 1024, 1),
            "workers_rss_after_mb": round(after_kb / 1024, 1),
            "kb_per_idle_socket": round((after_kb - before_kb) / max(open_count, 1), 1),
        }

    # --- uploads --------------------------------------------------------------------------------

    def _post_file(self, path, size, name, title):
        status, body, headers = fetch(f"{self.base}/documents/upload/", cookie=self.cookie)
        assert status == 200, status
        return post_file(
            self.base,
            cookie=f"{self.cookie}; {csrf_cookie(headers)}",
            token=csrf_token(body),
            path=path,
            size=size,
            name=name,
            title=title,
        )

    def upload_large(self):
        size = 50 * 1000 * 1000
        path = make_pdf(size)
        actual = os.path.getsize(path)
        samples, stop = [], threading.Event()
        baseline = workers_rss_kb(self.pids)

        def sample():
            while not stop.is_set():
                samples.append(workers_rss_kb(self.pids))
                time.sleep(0.02)

        sampler = threading.Thread(target=sample)
        sampler.start()
        started = time.perf_counter()
        status = self._post_file(path, actual, "bench-gross.pdf", "Benchmark 50 MB")
        seconds = time.perf_counter() - started
        time.sleep(0.5)
        stop.set()
        sampler.join()
        os.unlink(path)
        return {
            "mb": 50,
            "status": status,
            "seconds": round(seconds, 2),
            "peak_rss_increase_mb": round((max(samples or [baseline]) - baseline) / 1024, 1),
        }

    def upload_small(self):
        count = 5 if self.quick else 20
        timings, statuses = [], []
        for i in range(count):
            path = make_pdf(100_000)
            started = time.perf_counter()
            statuses.append(
                self._post_file(path, os.path.getsize(path), f"bench-klein-{i}.pdf", f"Benchmark klein {i}")
            )
            timings.append((time.perf_counter() - started) * 1000)
            os.unlink(path)
        return {
            "requests": count,
            "kb": 100,
            "rps": round(count / (sum(timings) / 1000), 1),
            "p50_ms": round(statistics.median(timings), 1),
            "p95_ms": round(percentile(timings, 0.95), 1),
            "statuses": sorted(set(statuses)),
        }
