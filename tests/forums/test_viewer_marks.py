"""The thread page shows the viewer's own marks (read position, watch level, draft, "helpful"),
never someone else's, read in one statement next to the thread's shared row, and asks nothing
for marks that cannot exist (no draft, no linked documents, no "helpful" on the page)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents import services as document_services
from forums import services
from forums.models import ThreadSubscription
from tests.documents.factories import pdf_bytes, upload
from tests.factories import MemberFactory
from tests.forums.conftest import client_for
from tests.forums.factories import make_replies
from workspaces.models import Membership

pytestmark = pytest.mark.django_db


def _page(client, user, thread):
    response = client_for(client, user).get(thread.get_absolute_url())
    assert response.status_code == 200
    return response


def _selected_watch_level(response):
    select = response.content.decode().split('name="level"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([a-z]+)" selected>', select)


def test_watch_level_is_the_viewers_own(client, ws_thread, ws_member, ws_moderator):
    ThreadSubscription.objects.create(user=ws_moderator, thread=ws_thread, level="muted")
    assert _selected_watch_level(_page(client, ws_member, ws_thread)) == ["normal"]
    ThreadSubscription.objects.create(user=ws_member, thread=ws_thread, level="watching")
    response = _page(client, ws_member, ws_thread)
    assert _selected_watch_level(response) == ["watching"]


def test_helpful_is_pressed_only_for_the_viewers_own_reaction(client, ws_thread, ws_member, ws_moderator, workspace):
    colleague = Membership.objects.create(workspace=workspace, user=MemberFactory()).user
    mine, theirs = make_replies(ws_thread, ws_moderator, 2)
    services.toggle_helpful(user=ws_member, post=mine)
    services.toggle_helpful(user=colleague, post=theirs)
    html = _page(client, ws_member, ws_thread).content.decode()
    mine_html = html.split(f'id="reaction-{mine.pk}"', 1)[1].split("</span></span>", 1)[0]
    theirs_html = html.split(f'id="reaction-{theirs.pk}"', 1)[1].split("</span></span>", 1)[0]
    assert 'aria-pressed="true"' in mine_html
    assert 'aria-pressed="false"' in theirs_html


def test_unread_marks_follow_the_viewers_own_read_position(client, ws_thread, ws_member, ws_moderator, workspace):
    make_replies(ws_thread, ws_moderator, 2)
    first = _page(client, ws_member, ws_thread).content.decode()
    assert first.count(" is-unread") == 2  # the moderator's replies are new to the member
    second = _page(client, ws_member, ws_thread).content.decode()
    assert " is-unread" not in second  # the first visit advanced the member's read mark
    assert _page(client, ws_moderator, ws_thread).content.decode().count(" is-unread") == 1  # only the opening post


def test_draft_is_the_viewers_own(client, ws_thread, ws_member, ws_moderator):
    services.save_draft(user=ws_moderator, thread=ws_thread, body="Entwurf der Moderation")
    html = _page(client, ws_member, ws_thread).content.decode()
    assert "Entwurf der Moderation" not in html
    assert "wurde wiederhergestellt" not in html
    services.save_draft(user=ws_member, thread=ws_thread, body="Mein eigener Entwurf")
    html = _page(client, ws_member, ws_thread).content.decode()
    assert "Mein eigener Entwurf" in html and "wurde wiederhergestellt" in html


def test_linked_documents_are_listed_when_the_viewer_may_open_them(client, workspace, ws_member, ws_board):
    document = document_services.upload_document(
        uploader=ws_member,
        file=upload("Sozialbericht.pdf", pdf_bytes("Sozialbericht")),
        workspace=workspace,
        title="Sozialbericht Jena",
    )
    opening = services.discuss_document(author=ws_member, document=document, body="Was meinen Sie?")
    html = _page(client, ws_member, opening.thread).content.decode()
    assert 'class="forum-thread-documents"' in html and "Sozialbericht Jena" in html


def test_a_plain_thread_page_asks_nothing_about_drafts_documents_or_reactions(
    client, ws_thread, ws_member, ws_moderator
):
    make_replies(ws_thread, ws_moderator, 3)
    _page(client, ws_member, ws_thread)
    with CaptureQueriesContext(connection) as ctx:
        _page(client, ws_member, ws_thread)
    # The table each statement reads its rows from (the subqueries of the marks do not count).
    read = {
        match.group(1) for q in ctx.captured_queries if (match := re.match(r'SELECT (?:DISTINCT )?"(\w+)"\.', q["sql"]))
    }
    marks = [q["sql"] for q in ctx.captured_queries if '"forums_draft"' in q["sql"]]
    assert len(marks) == 1 and '"forums_threadread"' in marks[0] and '"forums_threadsubscription"' in marks[0]
    assert not read & {
        "forums_draft",
        "forums_reaction",
        "documents_document",
        "forums_threadsubscription",
        "forums_threadread",
    }
