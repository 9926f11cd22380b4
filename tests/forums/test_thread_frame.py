"""The thread page is rendered once per thread, page and kind of viewer with marks where each
viewer's values go (``pages.frames``), and filled in per request. Each viewer must get exactly
the page a rendering for them alone gives, and nothing of another viewer's."""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.session import SessionStorage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forums import selectors, services
from forums.models import Draft, ThreadRead, ThreadSubscription
from notifications.models import Notification
from notifications.services import unread_key_of
from pages.shared_reads import generation_key
from tests.factories import MemberFactory
from tests.forums.conftest import client_for
from tests.forums.factories import make_replies
from workspaces.models import Membership

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+"')


def _html(client, thread, query=""):
    response = client.get(thread.get_absolute_url() + query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "\x00" not in html
    return html


def _alone(client, user, thread, query=""):
    """The page rendered through the template for this viewer alone: an empty draft makes the
    view render it without a frame, and shows nothing else of the draft."""
    draft = Draft.objects.create(user=user, thread=thread, body="")
    try:
        return _html(client, thread, query)
    finally:
        draft.delete()


@pytest.fixture
def keep_read_marks(monkeypatch):
    """The two renderings compared must see the same read position."""
    monkeypatch.setattr(services, "mark_thread_read", lambda **kwargs: None)


@pytest.mark.parametrize("viewer", ["ws_member", "ws_moderator", "staff_user", "reader"])
@pytest.mark.parametrize("query", ["", "?view=flat"])
def test_the_filled_frame_is_what_the_template_gives_the_viewer_alone(
    request, client, ws_thread, ws_moderator, workspace, viewer, query, keep_read_marks
):
    reader = Membership.objects.create(workspace=workspace, user=MemberFactory()).user
    replies = make_replies(ws_thread, ws_moderator, 3)
    make_replies(ws_thread, reader, 1, parent=replies[0])
    services.toggle_helpful(user=reader, post=replies[1])
    user = reader if viewer == "reader" else request.getfixturevalue(viewer)
    c = client_for(client, user)
    for _ in range(2):  # the first view builds the frame, the second only fills it in
        framed = _html(c, ws_thread, query)
    alone = _alone(c, user, ws_thread, query)
    assert TOKEN.sub(r"\1TOKEN", framed) == TOKEN.sub(r"\1TOKEN", alone)


def test_a_viewer_who_has_read_everything_gets_the_same_page_as_through_the_template(
    client, ws_thread, ws_member, ws_moderator, keep_read_marks
):
    make_replies(ws_thread, ws_moderator, 2)
    ThreadRead.objects.create(user=ws_member, thread=ws_thread, last_read_post_id=ws_thread.posts.latest("pk").pk)
    c = client_for(client, ws_member)
    framed = _html(c, ws_thread)
    assert " is-unread" not in framed
    assert TOKEN.sub(r"\1TOKEN", framed) == TOKEN.sub(r"\1TOKEN", _alone(c, ws_member, ws_thread))


def test_each_viewer_gets_their_own_values_from_the_same_frame(client, ws_thread, ws_member, workspace):
    colleague = Membership.objects.create(
        workspace=workspace, user=MemberFactory(display_name="Kollegin Beispiel")
    ).user
    ws_member.display_name = "Planerin Muster"
    ws_member.save()
    ThreadSubscription.objects.create(user=colleague, thread=ws_thread, level="watching")
    Notification.objects.create(recipient=colleague, kind="reply", in_portal=True)
    first = _html(client_for(client, ws_member), ws_thread)
    second = _html(client_for(client, colleague), ws_thread)
    assert 'id="user-menu">Planerin Muster</button>' in first
    assert 'id="user-menu">Kollegin Beispiel</button>' in second
    assert "Kollegin Beispiel" not in first
    assert 'id="notification-count" data-unread-label="ungelesen">1<' in second
    assert 'text-bg-danger d-none" id="notification-count"' in first
    assert '<option value="watching" selected>' in second
    assert '<option value="normal" selected>' in first
    tokens = {TOKEN.search(html).group(0) for html in (first, second)}
    assert len(tokens) == 2


def test_the_form_token_of_a_filled_page_is_accepted(client, ws_thread, ws_member):
    c = client_for(client, ws_member)
    c.handler.enforce_csrf_checks = True
    html = _html(c, ws_thread)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = c.post(f"/forums/threads/{ws_thread.pk}/watch/", {"level": "muted", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert ThreadSubscription.objects.get(user=ws_member, thread=ws_thread).level == "muted"


def test_flash_messages_and_the_address_are_the_viewers(client, ws_thread, ws_member):
    c = client_for(client, ws_member)
    _html(c, ws_thread)
    session = c.session
    storage = SessionStorage(type("Request", (), {"session": session})())
    storage.add(constants.SUCCESS, "Ihre Antwort wurde veröffentlicht.")
    storage.update(type("Response", (), {})())
    session.save()
    html = _html(c, ws_thread, "?view=flat&x=%3Cb%3E")
    assert '<div class="alert alert-success">Ihre Antwort wurde veröffentlicht.</div>' in html
    assert f'value="/forums/threads/{ws_thread.pk}/?view=flat&amp;x=%3Cb%3E"' in html
    assert "Ihre Antwort wurde veröffentlicht." not in _html(c, ws_thread)  # shown once


def test_a_new_post_rebuilds_the_frame(client, ws_thread, ws_member, ws_moderator):
    c = client_for(client, ws_member)
    _html(c, ws_thread)
    services.post_reply(author=ws_moderator, thread=ws_thread, body="Eine ganz neue Antwort")
    assert "Eine ganz neue Antwort" in _html(c, ws_thread)
    ws_thread.title = "Umbenanntes Thema"
    ws_thread.save()
    assert "Umbenanntes Thema" in _html(c, ws_thread)


def test_the_thread_page_reads_the_cache_once_with_its_session(
    cached_sessions, client, ws_thread, ws_moderator, seen, cache_reads
):
    make_replies(ws_thread, ws_moderator, 3)
    reader = Membership.objects.create(workspace=ws_thread.board.workspace, user=MemberFactory()).user
    c = client_for(client, reader)
    _html(c, ws_thread)  # the process learns whose session it is; the posts are read
    _html(c, ws_thread)
    cache_reads.clear()
    _html(c, ws_thread)
    # The session, the reader's row generation and bell count, the thread's scopes: one read.
    assert len(cache_reads) == 1, cache_reads
    wanted = {generation_key(scope) for scope in selectors.thread_scopes(ws_thread.pk)}
    assert wanted <= set(cache_reads[0]) and wanted <= set(seen[-1])
    assert unread_key_of(reader.pk) in cache_reads[0]


def test_the_thread_page_asks_the_database_nothing_while_the_viewers_marks_are_unchanged(
    client, ws_thread, ws_member, ws_moderator
):
    make_replies(ws_thread, ws_moderator, 3)
    c = client_for(client, ws_member)
    _html(c, ws_thread)
    _html(c, ws_thread)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            _html(c, ws_thread)
        # Without Redis the session is a query of its own; with it the session comes from the cache.
        return [q["sql"] for q in ctx.captured_queries if '"django_session"' not in q["sql"]]

    # The user's row, roles and marks are the process's copies (pages.read_ahead).
    assert queries() == []
    services.set_thread_watch(user=ws_member, thread=ws_thread, level="watching")
    (marks,) = queries()  # the viewer's marks changed: read again, without the roles
    assert '"forums_threadsubscription"' in marks and '"workspaces_membership"' not in marks
    assert queries() == []
    Membership.objects.filter(user=ws_member).first().save()
    (marks_and_roles,) = queries()  # a membership changed: the roles with the marks
    assert '"forums_threadread"' in marks_and_roles and '"workspaces_membership"' in marks_and_roles


def test_a_member_removed_from_the_workspace_no_longer_sees_its_thread_on_the_next_request(
    client, workspace, ws_thread, ws_moderator
):
    from workspaces import services as workspace_services

    reader = Membership.objects.create(workspace=workspace, user=MemberFactory()).user
    c = client_for(client, reader)
    _html(c, ws_thread)
    _html(c, ws_thread)  # the reader's row, roles and marks are kept by the process
    workspace_services.remove_member(workspace=workspace, user=reader, by=ws_moderator)
    assert c.get(ws_thread.get_absolute_url()).status_code == 404


def test_a_member_made_moderator_gets_the_moderators_page_on_the_next_request(
    client, workspace, ws_thread, ws_moderator
):
    from workspaces import services as workspace_services

    reader = Membership.objects.create(workspace=workspace, user=MemberFactory()).user
    c = client_for(client, reader)
    _html(c, ws_thread)
    before = _html(c, ws_thread)
    workspace_services.change_role(workspace=workspace, user=reader, role=Membership.Role.MODERATOR, by=ws_moderator)
    after = _html(c, ws_thread)
    lock_url = reverse("forums:thread_moderate", args=[ws_thread.pk])
    assert lock_url not in before and lock_url in after
