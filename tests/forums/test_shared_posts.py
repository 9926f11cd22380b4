"""A thread's row and its page of posts are shared by every viewer until the thread, a post of
it, its board, workspace, topics or documents, or a name changes; what a viewer may see (the
thread at all, hidden posts) is still decided per viewer."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Kommune, Topic
from accounts.services import update_profile
from documents import services as document_services
from forums import services
from tests.documents.factories import pdf_bytes, upload
from tests.forums.conftest import client_for
from tests.forums.factories import MembershipFactory, make_replies, make_thread
from workspaces.models import Workspace


@pytest.fixture
def thread(ws_board, ws_member):
    thread = make_thread(board=ws_board, author=ws_member, title="Sozialraumdaten")
    make_replies(thread, ws_member, 3)
    return thread


def _page(client, thread) -> str:
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def _post_reads(client, thread) -> int:
    with CaptureQueriesContext(connection) as ctx:
        _page(client, thread)
    # The page's posts: its top-level replies and everything below them.
    return sum(1 for q in ctx.captured_queries if '"forums_post"."root_id" IN' in q["sql"])


def test_a_second_view_reads_the_posts_from_the_cache(client, thread, ws_member, ws_moderator):
    member = client_for(client, ws_member)
    assert _post_reads(member, thread) == 1
    assert _post_reads(member, thread) == 0
    assert _post_reads(client_for(client, ws_moderator), thread) == 0  # shared with every viewer


def test_replies_edits_and_deletions_show_at_once(client, thread, ws_member):
    member = client_for(client, ws_member)
    _page(member, thread)
    reply = services.post_reply(author=ws_member, thread=thread, body="Neue Erkenntnis aus Gera")
    assert "Neue Erkenntnis aus Gera" in _page(member, thread)
    services.edit_post(editor=ws_member, post=reply, body="Korrigierte Erkenntnis aus Gera")
    page = _page(member, thread)
    assert "Korrigierte Erkenntnis aus Gera" in page and "Neue Erkenntnis" not in page
    services.delete_post(user=ws_member, post=reply, reason="")
    assert "Korrigierte Erkenntnis aus Gera" not in _page(member, thread)


def test_a_helpful_mark_counts_at_once(client, thread, ws_member, ws_moderator):
    member = client_for(client, ws_member)
    post = thread.posts.filter(depth=1).first()
    _page(member, thread)
    services.toggle_helpful(user=ws_moderator, post=post)
    post.refresh_from_db()
    assert post.helpful_count == 1
    assert _post_reads(member, thread) == 1  # the count changed: read again


def test_a_hidden_post_shows_to_each_viewer_as_before(client, thread, workspace, ws_moderator):
    post = thread.posts.filter(depth=1).first()
    reader = MembershipFactory(workspace=workspace).user  # not the author, who still sees it
    body = f"<p>{post.body}</p>"
    assert body in _page(client_for(client, reader), thread)
    services.hide_post(moderator=ws_moderator, post=post, reason="Personenbezogene Daten")
    assert body not in _page(client_for(client, reader), thread)
    assert body in _page(client_for(client, ws_moderator), thread)  # moderators still read it
    assert body not in _page(client_for(client, reader), thread)


def test_split_posts_leave_the_source_page(client, thread, ws_member, ws_moderator):
    top = thread.posts.filter(depth=1).order_by("pk").last()
    (post,) = make_replies(thread, ws_member, 1, parent=top, body="Abzweigung")  # the top-level ids stay
    moderator = client_for(client, ws_moderator)
    assert "<p>Abzweigung 0</p>" in _page(moderator, thread)
    new = services.split_thread(moderator=ws_moderator, post=post, title="Eigenes Thema")
    assert "<p>Abzweigung 0</p>" not in _page(moderator, thread)
    assert "<p>Abzweigung 0</p>" in _page(moderator, new)


def test_a_renamed_author_shows_with_the_new_name(client, thread, ws_member):
    member = client_for(client, ws_member)
    _page(member, thread)
    update_profile(user=ws_member, display_name="Petra Umbenannt")
    assert "Petra Umbenannt" in _page(member, thread)


# --- The thread's row --------------------------------------------------------------------


def _thread_reads(client, thread) -> int:
    with CaptureQueriesContext(connection) as ctx:
        _page(client, thread)
    return sum(1 for q in ctx.captured_queries if q["sql"].startswith('SELECT "forums_thread"."id"'))


def test_a_second_view_reads_the_thread_from_the_cache(client, thread, ws_member, ws_moderator):
    member = client_for(client, ws_member)
    assert _thread_reads(member, thread) == 1
    assert _thread_reads(member, thread) == 0
    assert _thread_reads(client_for(client, ws_moderator), thread) == 0  # shared with every viewer


def test_hiding_or_locking_the_thread_applies_at_once(client, thread, workspace, ws_moderator):
    reader = client_for(client, MembershipFactory(workspace=workspace).user)
    assert 'id="reply-form"' in _page(reader, thread)  # the shared row is cached from here on
    services.lock_thread(moderator=ws_moderator, thread=thread)
    assert 'id="reply-form"' not in _page(reader, thread)
    services.hide_thread(moderator=ws_moderator, thread=thread, reason="Doppelt")
    assert reader.get(thread.get_absolute_url()).status_code == 404
    assert client_for(client, ws_moderator).get(thread.get_absolute_url()).status_code == 200


def test_a_workspace_closed_to_the_portal_hides_its_thread_at_once(client, thread, workspace, outsider):
    workspace.visibility = Workspace.Visibility.PORTAL
    workspace.save()
    visitor = client_for(client, outsider)
    assert visitor.get(thread.get_absolute_url()).status_code == 200
    workspace.visibility = Workspace.Visibility.MEMBERS_ONLY
    workspace.save()
    assert visitor.get(thread.get_absolute_url()).status_code == 404


def test_board_workspace_topics_documents_and_result_show_at_once(client, thread, ws_board, workspace, ws_member):
    member = client_for(client, ws_member)
    _page(member, thread)
    ws_board.name = "Austausch Sozialplanung"
    ws_board.save()
    workspace.name = "Präventionsketten Thüringen"
    workspace.save()
    page = _page(member, thread)
    assert "Austausch Sozialplanung" in page and "Präventionsketten Thüringen" in page
    topic = Topic.objects.order_by("name").first()
    thread.topics.add(topic)
    assert f'forum-topic-badge">{topic.name}<' in _page(member, thread)
    document = document_services.upload_document(
        uploader=ws_member,
        file=upload("Sozialbericht.pdf", pdf_bytes("Sozialbericht")),
        workspace=workspace,
        title="Sozialbericht Jena",
    )
    document.threads.add(thread)  # from the document's side
    assert "Sozialbericht Jena" in _page(member, thread)
    reply = thread.posts.filter(depth=1).first()
    services.mark_result(user=ws_member, thread=thread, post=reply)
    assert 'id="result-heading"' in _page(member, thread)


def test_the_opening_posts_author_shows_with_the_new_place(client, thread, ws_member):
    member = client_for(client, ws_member)
    kommune = Kommune.objects.order_by("name").last()
    assert f"{kommune.name} · " not in _page(member, thread).split('class="forum-replies"', 1)[0]
    update_profile(user=ws_member, display_name=ws_member.display_name, kommune=kommune)
    assert f"{kommune.name} · " in _page(member, thread).split('class="forum-replies"', 1)[0]


def test_no_password_hash_in_the_shared_thread(thread):
    from forums.selectors import _shared_thread

    shared = _shared_thread(thread.pk)
    assert "password" not in shared.author.__dict__
    assert "password" not in shared.first_post.author.__dict__
