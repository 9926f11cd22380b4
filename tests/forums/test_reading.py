"""Keyset pagination, permalinks, unread tracking and query budgets of the reading pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forums import selectors, services
from forums.models import Post, ThreadRead
from tests.forums.conftest import client_for
from tests.forums.factories import make_replies, make_thread


def _thread_with_tree(thread, author, top_level, children_each):
    tops = make_replies(thread, author, top_level)
    for top in tops:
        kids = make_replies(thread, author, children_each, parent=top, body="Kind")
        make_replies(thread, author, 1, parent=kids[0], body="Enkel")
    thread.refresh_from_db()
    return tops


# --- Keyset pagination ------------------------------------------------------------------


def test_tree_pages_cover_every_top_level_reply_once_in_order(ws_thread, ws_member, settings):
    settings.FORUMS_TOP_LEVEL_PAGE_SIZE = 4
    tops = _thread_with_tree(ws_thread, ws_member, 10, 2)
    seen, after = [], None
    while True:
        page = selectors.tree_page(ws_thread, after=after)
        seen.extend(node.post.pk for node in page.nodes if node.post.depth == 1)
        if not page.next_after:
            break
        after = page.next_after
    assert seen == [top.pk for top in tops]


def test_each_page_carries_the_whole_subtrees_of_its_top_level_replies(ws_thread, ws_member, settings):
    settings.FORUMS_TOP_LEVEL_PAGE_SIZE = 3
    _thread_with_tree(ws_thread, ws_member, 6, 2)
    page = selectors.tree_page(ws_thread)
    assert len(page.nodes) == 3 * (1 + 2 + 1)
    assert [node.depth for node in page.nodes[:4]] == [1, 2, 3, 2]


def test_going_back_with_before_returns_the_previous_page(ws_thread, ws_member, settings):
    settings.FORUMS_TOP_LEVEL_PAGE_SIZE = 4
    tops = make_replies(ws_thread, ws_member, 10)
    second = selectors.tree_page(ws_thread, after=tops[3].pk)
    assert [n.post.pk for n in second.nodes] == [t.pk for t in tops[4:8]]
    back = selectors.tree_page(ws_thread, before=second.prev_before)
    assert [n.post.pk for n in back.nodes] == [t.pk for t in tops[:4]]


def test_a_reply_posted_meanwhile_does_not_shift_pages(ws_thread, ws_member, settings):
    settings.FORUMS_TOP_LEVEL_PAGE_SIZE = 4
    tops = make_replies(ws_thread, ws_member, 8)
    first = selectors.tree_page(ws_thread)
    services.post_reply(author=ws_member, thread=ws_thread, parent=tops[0], body="Nachtrag")
    second = selectors.tree_page(ws_thread, after=first.next_after)
    assert [n.post.pk for n in second.nodes] == [t.pk for t in tops[4:8]]


def test_flat_view_pages_through_all_replies(ws_thread, ws_member, settings):
    settings.FORUMS_FLAT_PAGE_SIZE = 7
    _thread_with_tree(ws_thread, ws_member, 5, 2)
    seen, after = [], None
    while True:
        page = selectors.flat_page(ws_thread, after=after)
        seen.extend(post.pk for post in page.posts)
        if not page.next_after:
            break
        after = page.next_after
    assert seen == list(Post.objects.filter(thread=ws_thread, depth__gte=1).order_by("id").values_list("id", flat=True))


def test_permalink_redirects_to_the_page_and_anchor_of_the_post(client, ws_thread, ws_member, settings):
    settings.FORUMS_TOP_LEVEL_PAGE_SIZE = 3
    tops = make_replies(ws_thread, ws_member, 8)
    deep = make_replies(ws_thread, ws_member, 1, parent=tops[6])[0]
    response = client_for(client, ws_member).get(reverse("forums:post", args=[deep.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"/forums/threads/{ws_thread.pk}/?after={tops[5].pk}#post-{deep.pk}"
    page = client.get(response["Location"].split("#")[0])
    assert f'id="post-{deep.pk}"' in page.content.decode()


def test_permalink_of_a_post_on_the_first_page_has_no_cursor(client, ws_thread, ws_member):
    top = make_replies(ws_thread, ws_member, 1)[0]
    response = client_for(client, ws_member).get(reverse("forums:post", args=[top.pk]))
    assert response["Location"] == f"/forums/threads/{ws_thread.pk}/#post-{top.pk}"


# --- Query budgets ----------------------------------------------------------------------


def _count_thread_page_queries(client, thread, query=""):
    client.get(thread.get_absolute_url() + query)  # first read writes the read mark
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(thread.get_absolute_url() + query)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("query", ["", "?view=flat"])
def test_thread_page_queries_do_not_grow_with_the_thread(client, ws_board, ws_member, query, settings):
    # Both threads have a next page, so the reader keeps unread posts in both.
    settings.FORUMS_TOP_LEVEL_PAGE_SIZE = 2
    settings.FORUMS_FLAT_PAGE_SIZE = 5
    small = make_thread(board=ws_board, author=ws_member)
    _thread_with_tree(small, ws_member, 3, 1)
    large = make_thread(board=ws_board, author=ws_member, title="Großes Thema")
    _thread_with_tree(large, ws_member, 30, 4)
    c = client_for(client, ws_member)
    assert _count_thread_page_queries(c, small, query) == _count_thread_page_queries(c, large, query)


def test_thread_page_query_budget_with_two_thousand_posts(client, ws_board, ws_member):
    thread = make_thread(board=ws_board, author=ws_member)
    _thread_with_tree(thread, ws_member, 400, 3)  # 400 * 5 = 2,000 replies
    assert thread.post_count == 2001
    c = client_for(client, ws_member)
    c.get(thread.get_absolute_url())
    with CaptureQueriesContext(connection) as ctx:
        response = c.get(thread.get_absolute_url())
    assert response.status_code == 200
    # The forum's own share of the page (session, user and the notification badge come on top):
    # roles, the viewer's marks, the unread posts the page does not show (for the read mark)
    # and reactions when a post of the page has any (draft and documents only when the thread's
    # row says there are any). The thread's row, its top-level ids and the page's posts come
    # from the shared cache after the first view.
    own = [q for q in ctx.captured_queries if '"forums_' in q["sql"] or '"workspaces_membership"' in q["sql"]]
    assert len(own) <= 4, [q["sql"][:80] for q in own]


def test_thread_page_uses_the_same_queries_at_two_thread_sizes(client, ws_board, ws_member, django_assert_num_queries):
    small = make_thread(board=ws_board, author=ws_member)
    _thread_with_tree(small, ws_member, 25, 1)
    large = make_thread(board=ws_board, author=ws_member, title="Zweites Thema")
    _thread_with_tree(large, ws_member, 250, 6)
    c = client_for(client, ws_member)
    expected = _count_thread_page_queries(c, small)
    c.get(large.get_absolute_url())
    with django_assert_num_queries(expected):
        c.get(large.get_absolute_url())


def test_board_pages_use_the_same_queries_at_two_sizes(client, ws_board, portal_board, ws_member):
    c = client_for(client, ws_member)
    for i in range(3):
        make_thread(board=ws_board, author=ws_member, title=f"Thema {i}")
    c.get("/forums/")  # the bell's count is cached from here on
    counts = []
    for _round in range(2):
        for url in ("/forums/", ws_board.get_absolute_url()):
            with CaptureQueriesContext(connection) as ctx:
                assert c.get(url).status_code == 200
            counts.append(len(ctx.captured_queries))
        for i in range(27):
            make_thread(board=ws_board, author=ws_member, title=f"Weiteres Thema {i}")
            make_thread(board=portal_board, author=ws_member, title=f"Portalthema {i}")
    assert counts[0] == counts[2]
    assert counts[1] == counts[3]


# --- Unread tracking --------------------------------------------------------------------


def test_reading_a_page_advances_the_read_mark_once(client, ws_thread, ws_member, ws_moderator):
    reply = services.post_reply(author=ws_moderator, thread=ws_thread, body="Neu")
    c = client_for(client, ws_moderator.__class__.objects.get(pk=ws_member.pk))
    c.get(ws_thread.get_absolute_url())
    assert ThreadRead.objects.get(user=ws_member, thread=ws_thread).last_read_post_id == reply.pk
    with CaptureQueriesContext(connection) as ctx:
        c.get(ws_thread.get_absolute_url())
    writes = [q["sql"] for q in ctx.captured_queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    writes = [sql for sql in writes if "forums_" in sql]
    assert writes == []


def test_read_mark_stops_before_the_first_post_not_yet_shown(client, ws_thread, ws_member, ws_moderator, settings):
    settings.FORUMS_TOP_LEVEL_PAGE_SIZE = 2
    tops = make_replies(ws_thread, ws_moderator, 4)
    late_child = make_replies(ws_thread, ws_moderator, 1, parent=tops[0])[0]
    client_for(client, ws_member).get(ws_thread.get_absolute_url())
    mark = ThreadRead.objects.get(user=ws_member, thread=ws_thread).last_read_post_id
    assert mark == tops[1].pk  # tops[2] and tops[3] are on page two, so the child stays unread too
    assert late_child.pk > mark
    client.get(ws_thread.get_absolute_url() + f"?after={tops[1].pk}")
    # One watermark per thread: the child seen on page one is read once it is shown again.
    assert ThreadRead.objects.get(user=ws_member, thread=ws_thread).last_read_post_id == tops[3].pk
    client.get(ws_thread.get_absolute_url())
    assert ThreadRead.objects.get(user=ws_member, thread=ws_thread).last_read_post_id == late_child.pk


def test_a_page_that_cannot_move_the_read_mark_asks_the_database_nothing_about_posts(
    client, ws_thread, ws_member, ws_moderator, settings
):
    settings.FORUMS_TOP_LEVEL_PAGE_SIZE = 2
    tops = make_replies(ws_thread, ws_moderator, 6)
    member = client_for(client, ws_member)
    later_page = ws_thread.get_absolute_url() + f"?after={tops[3].pk}"  # pages one and two unseen
    member.get(later_page)
    with CaptureQueriesContext(connection) as queries:
        assert member.get(later_page).status_code == 200
    assert not [q["sql"] for q in queries.captured_queries if 'FROM "forums_post"' in q["sql"]]
    # Only the opening post, shown above every page, counts as read.
    assert ThreadRead.objects.get(user=ws_member, thread=ws_thread).last_read_post_id == ws_thread.first_post_id


def test_first_unread_jumps_to_the_oldest_unread_post(client, ws_thread, ws_member, ws_moderator):
    c = client_for(client, ws_member)
    c.get(ws_thread.get_absolute_url())
    first_new = services.post_reply(author=ws_moderator, thread=ws_thread, body="Eins")
    services.post_reply(author=ws_moderator, thread=ws_thread, body="Zwei")
    response = c.get(reverse("forums:thread_unread", args=[ws_thread.pk]))
    assert response["Location"] == reverse("forums:post", args=[first_new.pk])


def test_board_lists_count_unread_threads_and_mark_all_read_clears_them(client, ws_board, ws_member, ws_moderator):
    for i in range(3):
        make_thread(board=ws_board, author=ws_moderator, title=f"Thema {i}")
    c = client_for(client, ws_member)
    boards = {b.pk: b for b in selectors.boards_for_index(ws_member)}
    assert boards[ws_board.pk].unread_count == 3
    c.post(reverse("forums:board_mark_read", args=[ws_board.pk]))
    boards = {b.pk: b for b in selectors.boards_for_index(ws_member)}
    assert boards[ws_board.pk].unread_count == 0
    thread = ws_board.threads.first()
    services.post_reply(author=ws_moderator, thread=thread, body="Neu")
    listed = {t.pk: t for t in selectors.board_threads(ws_member, ws_board)}
    assert listed[thread.pk].unread_count == 1
    assert selectors.unread_thread_count(ws_member) == 1
    # Only the member's own read marks count: the moderator has read every thread.
    client_for(client, ws_moderator).post(reverse("forums:board_mark_read", args=[ws_board.pk]))
    assert {b.pk: b for b in selectors.boards_for_index(ws_member)}[ws_board.pk].unread_count == 1
    assert {b.pk: b for b in selectors.boards_for_index(ws_moderator)}[ws_board.pk].unread_count == 0


def test_board_figures_from_the_compiled_statement_equal_the_querysets(ws_board, ws_member, ws_moderator):
    threads = [make_thread(board=ws_board, author=ws_moderator, title=f"Thema {i}") for i in range(3)]
    services.mark_thread_read(user=ws_member, thread=threads[0], shown_post_ids=[threads[0].last_post_id], last_read=0)
    for user in (ws_member, ws_moderator):
        boards = selectors.boards_for_index(user)
        ids = [board.pk for board in boards]
        expected = {board_id: rest for board_id, *rest in selectors._board_figures(user, ids)}
        figures = {board.pk: [board.thread_count, board.unread_count, board.last_activity] for board in boards}
        assert figures == {pk: list(expected.get(pk, (0, 0, None))) for pk in ids}
    assert {b.pk: b.unread_count for b in selectors.boards_for_index(ws_member)}[ws_board.pk] == 2
