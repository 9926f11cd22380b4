import time

from accounts import demo as accounts_demo
from forums import demo
from forums.models import Board, Post, Thread
from tests.forums.factories import WorkspaceFactory


def test_seed_is_idempotent_and_fast(db):
    accounts_demo.seed()
    WorkspaceFactory(slug="praeventionsketten", name="Thüringer Präventionsketten")
    started = time.monotonic()
    demo.seed()
    assert time.monotonic() - started < 30
    counts = (Board.objects.count(), Thread.objects.count(), Post.objects.count())
    demo.seed()
    assert (Board.objects.count(), Thread.objects.count(), Post.objects.count()) == counts


def test_seed_builds_the_threads_the_journeys_rely_on(db):
    accounts_demo.seed()
    WorkspaceFactory(slug="praeventionsketten", name="Thüringer Präventionsketten")
    demo.seed()
    assert set(Board.objects.filter(workspace=None).values_list("name", flat=True)) == {
        "Allgemeiner Austausch",
        "Sozialberichterstattung",
        "Methoden und Daten",
        "Veranstaltungen",
    }
    started_by_moderation = Thread.objects.get(
        board__workspace__slug="praeventionsketten", author__email="moderation@demo.sozialplanung.de"
    )
    assert started_by_moderation.post_count >= 2
    assert Thread.objects.filter(is_pinned=True).exists()
    assert Thread.objects.filter(result_post__isnull=False).exists()
    assert Post.objects.filter(depth__gte=3).exists()
    assert Post.objects.filter(mentioned_users__isnull=False).exists()
    long_thread = Thread.objects.order_by("-post_count").first()
    assert long_thread.post_count == long_thread.posts.count() >= 500
    numbers = list(long_thread.posts.order_by("number").values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))


def test_seed_skips_workspaces_that_do_not_exist(db):
    accounts_demo.seed()
    demo.seed()
    assert not Board.objects.filter(workspace__isnull=False).exists()
