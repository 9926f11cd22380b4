"""Moderation: pin, lock, hide, move, split, merge, results, and the report trail."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from forums import services
from forums.models import Post, Report, Thread
from notifications.models import Notification
from pages.models import AuditEntry
from tests.forums.conftest import client_for
from tests.forums.factories import BoardFactory, MembershipFactory, WorkspaceFactory, make_replies, make_thread


def test_pinned_threads_come_first(client, ws_board, ws_member, ws_moderator):
    older = make_thread(board=ws_board, author=ws_member, title="Älteres Thema")
    make_thread(board=ws_board, author=ws_member, title="Neueres Thema")
    client_for(client, ws_moderator).post(reverse("forums:thread_moderate", args=[older.pk]), {"action": "pin"})
    html = client.get(ws_board.get_absolute_url()).content.decode()
    assert html.index("Älteres Thema") < html.index("Neueres Thema")
    assert AuditEntry.objects.filter(action="forums.thread_pinned").exists()


def test_locked_thread_accepts_replies_from_moderators_only(ws_thread, ws_member, ws_moderator):
    services.lock_thread(moderator=ws_moderator, thread=ws_thread)
    with pytest.raises(PermissionDenied):
        services.post_reply(author=ws_member, thread=ws_thread, body="Noch was")
    services.post_reply(author=ws_moderator, thread=ws_thread, body="Abschließender Hinweis")


def test_hiding_a_thread_needs_a_reason(client, ws_thread, ws_moderator):
    response = client_for(client, ws_moderator).post(
        reverse("forums:thread_moderate", args=[ws_thread.pk]), {"action": "hide", "reason": ""}
    )
    assert response.status_code == 302
    ws_thread.refresh_from_db()
    assert not ws_thread.is_hidden
    services.hide_thread(moderator=ws_moderator, thread=ws_thread, reason="Doppeltes Thema")
    assert Thread.objects.get(pk=ws_thread.pk).hidden_reason == "Doppeltes Thema"


def test_hidden_post_shows_a_note_to_members_and_the_text_to_author_and_moderators(
    client, ws_thread, ws_member, ws_moderator, workspace
):
    post = services.post_reply(author=ws_member, thread=ws_thread, body="Streitbarer Satz")
    services.hide_post(moderator=ws_moderator, post=post, reason="Persönlicher Angriff")
    other = MembershipFactory(workspace=workspace).user
    html = client_for(client, other).get(ws_thread.get_absolute_url()).content.decode()
    assert "Persönlicher Angriff" in html
    assert "Streitbarer Satz" not in html
    assert "Streitbarer Satz" in client_for(client, ws_member).get(ws_thread.get_absolute_url()).content.decode()
    assert Notification.objects.filter(recipient=ws_member, kind="forum_moderation").exists()
    services.unhide_post(moderator=ws_moderator, post=post)
    assert not Post.objects.get(pk=post.pk).is_hidden


def test_move_rechecks_the_policy_for_the_target_board(ws_thread, ws_moderator, portal_board, staff_user):
    with pytest.raises(PermissionDenied):
        services.move_thread(moderator=ws_moderator, thread=ws_thread, board=portal_board)
    services.move_thread(moderator=staff_user, thread=ws_thread, board=portal_board)
    assert Thread.objects.get(pk=ws_thread.pk).board == portal_board


def test_moving_into_another_workspace_changes_who_can_read(client, ws_thread, ws_member, staff_user):
    other_ws = WorkspaceFactory()
    board = BoardFactory(workspace=other_ws)
    services.move_thread(moderator=staff_user, thread=ws_thread, board=board)
    assert client_for(client, ws_member).get(ws_thread.get_absolute_url()).status_code == 404


def test_split_moves_a_branch_into_a_new_thread(ws_thread, ws_member, ws_moderator):
    keep = services.post_reply(author=ws_member, thread=ws_thread, body="Bleibt")
    branch = services.post_reply(author=ws_member, thread=ws_thread, body="Neues Unterthema")
    child = services.post_reply(author=ws_moderator, thread=ws_thread, parent=branch, body="Antwort darauf")
    grandchild = services.post_reply(author=ws_member, thread=ws_thread, parent=child, body="Und weiter")
    new = services.split_thread(moderator=ws_moderator, post=branch, title="Abgespaltenes Thema")
    branch.refresh_from_db()
    child.refresh_from_db()
    grandchild.refresh_from_db()
    assert new.first_post_id == branch.pk
    assert (branch.depth, branch.parent_id, branch.number) == (0, None, 1)
    assert (child.depth, child.root_id, child.thread_id) == (1, None, new.pk)
    assert (grandchild.depth, grandchild.root_id) == (2, child.pk)
    assert new.post_count == 3
    ws_thread.refresh_from_db()
    assert ws_thread.post_count == 2
    assert list(ws_thread.posts.values_list("pk", flat=True)) == [ws_thread.first_post_id, keep.pk]


def test_split_of_the_opening_post_is_refused(ws_thread, ws_moderator):
    with pytest.raises(ValidationError):
        services.split_thread(moderator=ws_moderator, post=ws_thread.first_post, title="Nein")


def test_merge_appends_the_source_thread_as_a_branch(client, ws_board, ws_thread, ws_member, ws_moderator):
    source = services.create_thread(author=ws_member, board=ws_board, title="Doppelte Frage", body="Gleiche Frage")
    answer = services.post_reply(author=ws_moderator, thread=source, body="Gleiche Antwort")
    services.merge_threads(moderator=ws_moderator, source=source, target=ws_thread)
    assert not Thread.objects.filter(pk=source.pk).exists()
    opening = Post.objects.get(pk=source.first_post_id)
    answer.refresh_from_db()
    assert (opening.thread_id, opening.depth, opening.parent_id) == (ws_thread.pk, 1, ws_thread.first_post_id)
    assert (answer.depth, answer.root_id) == (2, opening.pk)
    ws_thread.refresh_from_db()
    assert ws_thread.post_count == 3
    response = client_for(client, ws_member).get(reverse("forums:post", args=[answer.pk]))
    assert response["Location"].startswith(ws_thread.get_absolute_url())


def test_merge_via_form_needs_a_thread_the_moderator_moderates(
    client, ws_thread, ws_moderator, portal_board, ws_member
):
    foreign = make_thread(board=portal_board, author=ws_member, title="Portalthema")
    response = client_for(client, ws_moderator).post(
        reverse("forums:thread_merge", args=[ws_thread.pk]), {"target": foreign.pk}
    )
    assert response.status_code == 302
    assert Thread.objects.filter(pk=ws_thread.pk).exists()


def test_author_and_moderator_may_mark_the_result_others_may_not(client, ws_thread, ws_member, ws_moderator, workspace):
    answer = services.post_reply(author=ws_moderator, thread=ws_thread, body="Die Lösung")
    other = MembershipFactory(workspace=workspace).user
    with pytest.raises(PermissionDenied):
        services.mark_result(user=other, thread=ws_thread, post=answer)
    services.mark_result(user=ws_member, thread=ws_thread, post=answer)
    assert Thread.objects.get(pk=ws_thread.pk).result_post == answer
    html = client_for(client, other).get(ws_thread.get_absolute_url()).content.decode()
    assert 'id="result"' in html
    assert Notification.objects.filter(recipient=ws_moderator, kind="forum_result").exists()
    services.mark_result(user=ws_moderator, thread=ws_thread, post=None)
    assert Thread.objects.get(pk=ws_thread.pk).result_post is None


def test_opening_post_cannot_be_the_result(ws_thread, ws_member):
    with pytest.raises(ValidationError):
        services.mark_result(user=ws_member, thread=ws_thread, post=ws_thread.first_post)


# --- Reports -------------------------------------------------------------------------


@pytest.fixture
def reported(ws_thread, ws_member, ws_moderator, workspace):
    author = MembershipFactory(workspace=workspace).user
    post = services.post_reply(author=author, thread=ws_thread, body="Rechtswidrige Behauptung")
    return post


def test_illegal_content_report_needs_an_explanation(ws_member, reported):
    with pytest.raises(ValidationError):
        services.report_post(reporter=ws_member, post=reported, reason=Report.Reason.ILLEGAL, details="")


def test_report_reaches_the_moderators_of_the_workspace_and_staff(ws_member, ws_moderator, reported, staff_user):
    report = services.report_post(
        reporter=ws_member, post=reported, reason=Report.Reason.ILLEGAL, details="Verleumdung nach § 187 StGB"
    )
    assert report.state == Report.State.OPEN
    recipients = set(Notification.objects.filter(kind="forum_report").values_list("recipient_id", flat=True))
    assert recipients == {ws_moderator.pk, staff_user.pk}
    assert AuditEntry.objects.filter(action="forums.post_reported").exists()


def test_decision_is_recorded_and_reporter_and_author_are_informed(client, ws_member, ws_moderator, reported):
    report = services.report_post(
        reporter=ws_member, post=reported, reason=Report.Reason.ILLEGAL, details="Verleumdung"
    )
    c = client_for(client, ws_moderator)
    c.post(reverse("forums:report", args=[report.pk]), {"state": "in_progress", "decision": ""})
    assert Report.objects.get(pk=report.pk).state == Report.State.IN_PROGRESS
    response = c.post(
        reverse("forums:report", args=[report.pk]),
        {"state": "resolved", "decision": "Tatsachenbehauptung ohne Beleg; ausgeblendet.", "hide": "on"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == Report.State.RESOLVED
    assert report.handled_by == ws_moderator
    assert report.post_hidden is True
    assert Post.objects.get(pk=reported.pk).is_hidden
    entry = AuditEntry.objects.filter(action="forums.report_decided").first()
    assert entry.details["state"] == "resolved"
    assert entry.details["decision"].startswith("Tatsachenbehauptung")
    assert Notification.objects.filter(recipient=ws_member, kind="forum_report_decided").exists()
    assert Notification.objects.filter(recipient=reported.author, kind="forum_moderation").exists()


def test_rejecting_needs_a_reason(ws_member, ws_moderator, reported):
    report = services.report_post(reporter=ws_member, post=reported, reason=Report.Reason.SPAM)
    with pytest.raises(ValidationError):
        services.decide_report(moderator=ws_moderator, report=report, state=Report.State.REJECTED, decision="")
    services.decide_report(moderator=ws_moderator, report=report, state=Report.State.REJECTED, decision="Kein Spam.")
    assert Report.objects.get(pk=report.pk).state == Report.State.REJECTED
    assert not Post.objects.get(pk=reported.pk).is_hidden


def test_report_queue_filters_by_state(client, ws_member, ws_moderator, reported):
    report = services.report_post(reporter=ws_member, post=reported, reason=Report.Reason.SPAM)
    c = client_for(client, ws_moderator)
    url = reverse("forums:report", args=[report.pk])
    assert url in c.get("/forums/reports/").content.decode()
    assert url not in c.get("/forums/reports/?state=resolved").content.decode()
    assert url in c.get("/forums/reports/?state=all").content.decode()


def test_moderator_pages_render(client, ws_thread, ws_moderator, ws_member):
    post = make_replies(ws_thread, ws_member, 1)[0]
    c = client_for(client, ws_moderator)
    for url in (
        reverse("forums:thread_move", args=[ws_thread.pk]),
        reverse("forums:post_hide", args=[post.pk]),
        reverse("forums:post_split", args=[post.pk]),
        reverse("forums:post_delete", args=[post.pk]),
        reverse("forums:post_edit", args=[post.pk]),
    ):
        assert c.get(url).status_code == 200, url


def test_hiding_a_thread_removes_it_and_its_replies_from_the_activity_feed(ws_board, ws_member, ws_moderator):
    from workspaces.models import Activity

    thread = services.create_thread(author=ws_member, board=ws_board, title="Wird ausgeblendet", body="Text")
    services.post_reply(author=ws_moderator, thread=thread, body="Antwort")
    assert Activity.objects.count() == 2
    services.hide_thread(moderator=ws_moderator, thread=thread, reason="Falsches Forum")
    assert Activity.objects.count() == 0
