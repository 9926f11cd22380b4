"""Outsiders get 404 for everything in a workspace's boards, exactly as for a missing id."""

import pytest
from django.urls import reverse

from forums import services
from forums.models import Report
from tests.factories import PendingFactory
from tests.forums.conftest import client_for
from tests.forums.factories import BoardFactory, MembershipFactory, WorkspaceFactory, make_thread
from workspaces.models import Workspace


@pytest.fixture
def scene(ws_thread, ws_member, ws_moderator):
    post = services.post_reply(author=ws_moderator, thread=ws_thread, body="Antwort der Moderation")
    report = services.report_post(reporter=ws_member, post=post, reason=Report.Reason.SPAM)
    return {"thread": ws_thread, "board": ws_thread.board, "post": post, "report": report}


def _outsider_urls(scene):
    thread, board, post, report = scene["thread"], scene["board"], scene["post"], scene["report"]
    return [
        ("get", reverse("forums:board", args=[board.pk])),
        ("get", reverse("forums:thread_create", args=[board.pk])),
        ("get", reverse("forums:board_mentions", args=[board.pk]) + "?q=a"),
        ("post", reverse("forums:board_mark_read", args=[board.pk])),
        ("post", reverse("forums:board_watch", args=[board.pk])),
        ("get", reverse("forums:thread", args=[thread.pk])),
        ("get", reverse("forums:thread", args=[thread.pk]) + "?view=flat"),
        ("get", reverse("forums:thread_unread", args=[thread.pk])),
        ("get", reverse("forums:reply", args=[thread.pk])),
        ("post", reverse("forums:reply", args=[thread.pk])),
        ("post", reverse("forums:draft", args=[thread.pk])),
        ("get", reverse("forums:thread_mentions", args=[thread.pk]) + "?q=a"),
        ("post", reverse("forums:thread_watch", args=[thread.pk])),
        ("post", reverse("forums:thread_result", args=[thread.pk])),
        ("post", reverse("forums:thread_moderate", args=[thread.pk])),
        ("get", reverse("forums:thread_move", args=[thread.pk])),
        ("post", reverse("forums:thread_merge", args=[thread.pk])),
        ("get", reverse("forums:post", args=[post.pk])),
        ("get", reverse("forums:post_edit", args=[post.pk])),
        ("get", reverse("forums:post_history", args=[post.pk])),
        ("get", reverse("forums:post_delete", args=[post.pk])),
        ("get", reverse("forums:post_hide", args=[post.pk])),
        ("get", reverse("forums:post_split", args=[post.pk])),
        ("post", reverse("forums:post_react", args=[post.pk])),
        ("get", reverse("forums:post_report", args=[post.pk])),
        ("get", reverse("forums:report", args=[report.pk])),
    ]


def test_member_of_another_workspace_gets_404_everywhere(client, scene, outsider):
    c = client_for(client, outsider)
    for method, url in _outsider_urls(scene):
        response = getattr(c, method)(url)
        assert response.status_code == 404, (method, url, response.status_code)


def test_answers_for_outsiders_match_missing_ids(client, scene, outsider):
    c = client_for(client, outsider)
    for name in ("forums:board", "forums:thread", "forums:post"):
        assert c.get(reverse(name, args=[999999])).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, scene):
    extra = [("get", "/forums/"), ("get", "/forums/reports/"), ("post", reverse("forums:preview"))]
    for method, url in _outsider_urls(scene) + extra:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"]


def test_pending_person_cannot_read_forums(client, portal_board):
    pending = PendingFactory()
    response = client_for(client, pending).get(reverse("forums:board", args=[portal_board.pk]))
    assert response.status_code == 302
    assert "pending" in response["Location"] or "warten" in response["Location"] or "/accounts/" in response["Location"]


def test_boards_of_other_workspaces_are_not_listed(client, scene, outsider):
    html = client_for(client, outsider).get("/forums/").content.decode()
    assert scene["board"].name not in html


def test_portal_visible_workspace_is_readable_but_not_writable_for_non_members(client, another_member):
    workspace = WorkspaceFactory(visibility=Workspace.Visibility.PORTAL, join_policy=Workspace.JoinPolicy.OPEN)
    board = BoardFactory(workspace=workspace)
    author = MembershipFactory(workspace=workspace).user
    thread = make_thread(board=board, author=author)
    c = client_for(client, another_member)
    assert c.get(thread.get_absolute_url()).status_code == 200
    assert c.get(reverse("forums:reply", args=[thread.pk])).status_code == 403
    assert c.get(reverse("forums:thread_create", args=[board.pk])).status_code == 403


def test_hidden_thread_is_404_for_members_and_visible_for_moderators(client, ws_thread, ws_member, ws_moderator):
    services.hide_thread(moderator=ws_moderator, thread=ws_thread, reason="Doppelt")
    other = MembershipFactory(workspace=ws_thread.board.workspace).user
    assert client_for(client, other).get(ws_thread.get_absolute_url()).status_code == 404
    assert client_for(client, ws_moderator).get(ws_thread.get_absolute_url()).status_code == 200


def test_report_queue_is_for_moderators_only(client, scene, ws_member, ws_moderator, outsider):
    assert client_for(client, ws_member).get("/forums/reports/").status_code == 403
    html = client_for(client, ws_moderator).get("/forums/reports/").content.decode()
    assert reverse("forums:report", args=[scene["report"].pk]) in html


def test_moderator_of_another_workspace_does_not_see_its_reports(client, scene):
    other_moderator = MembershipFactory(workspace=WorkspaceFactory(), role="moderator").user
    c = client_for(client, other_moderator)
    html = c.get("/forums/reports/").content.decode()
    assert reverse("forums:report", args=[scene["report"].pk]) not in html
    assert c.get(reverse("forums:report", args=[scene["report"].pk])).status_code == 404


def test_reporter_may_read_the_decision_on_their_report(client, scene, ws_member):
    response = client_for(client, ws_member).get(reverse("forums:report", args=[scene["report"].pk]))
    assert response.status_code == 200
    assert "Entscheidung festhalten" not in response.content.decode()


def test_member_cannot_moderate(client, scene, ws_member):
    c = client_for(client, ws_member)
    response = c.post(reverse("forums:thread_moderate", args=[scene["thread"].pk]), {"action": "pin"})
    assert response.status_code == 403
    assert c.get(reverse("forums:post_hide", args=[scene["post"].pk])).status_code == 403


def test_mention_autocomplete_offers_only_people_who_can_see_the_thread(client, scene, ws_member, outsider):
    insider = MembershipFactory(workspace=scene["board"].workspace, user__display_name="Paula Prävention").user
    outsider.display_name = "Paula Außen"
    outsider.save()
    url = reverse("forums:thread_mentions", args=[scene["thread"].pk]) + "?q=Paula"
    names = [item["name"] for item in client_for(client, ws_member).get(url).json()["results"]]
    assert names == [insider.display_name]


def test_board_index_follows_new_boards_and_workspace_visibility(client, another_member):
    """The index reads the boards from the cache: a new board, and a workspace that becomes
    private, show at once."""
    workspace = WorkspaceFactory(visibility=Workspace.Visibility.PORTAL, name="Offener Bereich")
    first = BoardFactory(workspace=workspace, name="Erstes Forum")
    c = client_for(client, another_member)
    assert first.name in c.get("/forums/").content.decode()
    BoardFactory(workspace=workspace, name="Zweites Forum")
    assert "Zweites Forum" in c.get("/forums/").content.decode()
    workspace.visibility = Workspace.Visibility.MEMBERS_ONLY
    workspace.save()
    html = c.get("/forums/").content.decode()
    assert "Erstes Forum" not in html and "Zweites Forum" not in html
