import json
from io import StringIO

import pytest
from django.core.management import call_command

from documents.models import Document
from forums.models import Post, Thread
from search.models import SearchEntry


@pytest.mark.django_db
def test_seed_bench_writes_consistent_data_and_bench_plan_prints_valid_json(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_bench", "--scale", "0.002", stdout=StringIO())

    big = Thread.objects.order_by("pk").first()
    posts = list(Post.objects.filter(thread=big).order_by("pk"))
    assert big.post_count == len(posts)
    assert big.first_post_id == posts[0].pk and big.last_post_id == posts[-1].pk
    assert [p.number for p in posts] == list(range(1, len(posts) + 1))
    assert all(p.depth == 1 or p.root_id is not None for p in posts[1:])
    assert not Document.objects.filter(current_version__isnull=True).exists()
    assert SearchEntry.objects.filter(kind="post").count() == Post.objects.filter(depth__gt=0).count()

    out = StringIO()
    call_command("bench_plan", stdout=out)
    plan = json.loads(out.getvalue())
    assert "=" in plan["cookie"]
    names = {page["name"] for page in plan["pages"]}
    assert {"dashboard", "thread_first_page", "search", "notifications", "document_download"} <= names
    assert all(page["queries"] > 0 and page["bytes"] > 0 for page in plan["pages"])
    assert next(p for p in plan["pages"] if p["name"] == "search")["h1"]


@pytest.mark.django_db
def test_seed_bench_twice_at_the_same_scale_changes_nothing(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_bench", "--scale", "0.002", stdout=StringIO())
    count = Post.objects.count()
    out = StringIO()
    call_command("seed_bench", "--scale", "0.002", stdout=out)
    assert "already there" in out.getvalue()
    assert Post.objects.count() == count


@pytest.mark.django_db
def test_seed_bench_texts_keep_to_their_field(settings, tmp_path):
    """A field's term stands in some documents, not in all (a bench search must not match
    every document); the general planning words stand in nearly every one."""
    from bench.management.commands.seed_bench import GENERAL, THEMES

    settings.MEDIA_ROOT = tmp_path
    call_command("seed_bench", "--scale", "0.004", stdout=StringIO())
    texts = list(Document.objects.values_list("current_version__text", flat=True))
    for theme in THEMES:
        with_term = sum(1 for text in texts if theme[0] in text)
        assert 0 < with_term < len(texts) / 2, (theme[0], with_term, len(texts))
    assert all(GENERAL[0] in text for text in texts)
