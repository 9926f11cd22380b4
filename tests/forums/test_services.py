"""Writing: threads, nested replies, edits with history, deletion, reactions, drafts, flood control."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from forums import services
from forums.models import Draft, Post, PostEdit
from forums.ratelimit import RateLimitError
from tests.forums.conftest import client_for
from workspaces.models import Activity


def test_create_thread_stores_rendered_html_and_records_activity(ws_board, ws_member):
    thread = services.create_thread(
        author=ws_member, board=ws_board, title="  Kennzahlen   im Sozialbericht ", body="**Welche** Kennzahlen?"
    )
    assert thread.title == "Kennzahlen im Sozialbericht"
    assert thread.first_post.body_html == "<p><strong>Welche</strong> Kennzahlen?</p>\n"
    assert thread.post_count == 1
    activity = Activity.objects.get(verb="thread_created")
    assert activity.workspace == ws_board.workspace


def test_replies_nest_with_depth_root_and_number(ws_thread, ws_member):
    a = services.post_reply(author=ws_member, thread=ws_thread, body="A")
    b = services.post_reply(author=ws_member, thread=ws_thread, parent=a, body="B")
    c = services.post_reply(author=ws_member, thread=ws_thread, parent=b, body="C")
    d = services.post_reply(author=ws_member, thread=ws_thread, parent=ws_thread.first_post, body="D")
    assert (a.depth, a.root_id, a.parent_id) == (1, None, ws_thread.first_post.pk)
    assert (b.depth, b.root_id) == (2, a.pk)
    assert (c.depth, c.root_id) == (3, a.pk)
    assert (d.depth, d.root_id) == (1, None)
    assert [p.number for p in (a, b, c, d)] == [2, 3, 4, 5]
    ws_thread.refresh_from_db()
    assert ws_thread.post_count == 5
    assert ws_thread.last_post_id == d.pk
    assert Activity.objects.filter(verb="post_replied").count() == 4


def test_reply_to_a_post_of_another_thread_is_refused(ws_thread, ws_board, ws_member):
    other = services.create_thread(author=ws_member, board=ws_board, title="Anderes Thema", body="x")
    with pytest.raises(ValidationError):
        services.post_reply(author=ws_member, thread=ws_thread, parent=other.first_post, body="falsch")


def test_edit_keeps_history_and_diff_is_visible_to_author_and_moderators(client, ws_thread, ws_member, ws_moderator):
    post = services.post_reply(author=ws_member, thread=ws_thread, body="Zeile eins\nZeile zwei")
    services.edit_post(editor=ws_member, post=post, body="Zeile eins\nZeile 2")
    edit = PostEdit.objects.get(post=post)
    assert edit.old_body == "Zeile eins\nZeile zwei"
    assert ("remove", "Zeile zwei") in services.post_diff(edit)
    assert ("add", "Zeile 2") in services.post_diff(edit)
    post.refresh_from_db()
    assert post.edit_count == 1
    assert post.body_html == "<p>Zeile eins\nZeile 2</p>\n"
    url = reverse("forums:post_history", args=[post.pk])
    assert "Zeile zwei" in client_for(client, ws_moderator).get(url).content.decode()
    assert client_for(client, ws_member).get(url).status_code == 200


def test_history_is_not_for_other_members(client, ws_thread, ws_member, workspace):
    from tests.forums.factories import MembershipFactory

    post = services.post_reply(author=ws_member, thread=ws_thread, body="Alt")
    services.edit_post(editor=ws_member, post=post, body="Neu")
    other = MembershipFactory(workspace=workspace).user
    assert client_for(client, other).get(reverse("forums:post_history", args=[post.pk])).status_code == 403


def test_other_members_cannot_edit(ws_thread, ws_member, workspace):
    from tests.forums.factories import MembershipFactory

    post = services.post_reply(author=ws_member, thread=ws_thread, body="Meins")
    with pytest.raises(PermissionDenied):
        services.edit_post(editor=MembershipFactory(workspace=workspace).user, post=post, body="Deins")


def test_author_deletes_within_grace_period_only(ws_thread, ws_member):
    post = services.post_reply(author=ws_member, thread=ws_thread, body="Vertippt")
    services.delete_post(user=ws_member, post=post)
    assert Post.objects.get(pk=post.pk).is_deleted
    late = services.post_reply(author=ws_member, thread=ws_thread, body="Alt")
    Post.objects.filter(pk=late.pk).update(created_at=timezone.now() - timedelta(minutes=31))
    late.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.delete_post(user=ws_member, post=late)


def test_moderator_deletes_with_reason_and_author_is_told(ws_thread, ws_member, ws_moderator):
    from notifications.models import Notification
    from pages.models import AuditEntry

    post = services.post_reply(author=ws_member, thread=ws_thread, body="Unpassend")
    with pytest.raises(ValidationError):
        services.delete_post(user=ws_moderator, post=post, reason="")
    services.delete_post(user=ws_moderator, post=post, reason="Verstoß gegen die Netiquette")
    assert AuditEntry.objects.filter(action="forums.post_deleted", target_id=str(post.pk)).exists()
    assert Notification.objects.filter(recipient=ws_member, kind="forum_moderation").exists()


def test_deleted_post_shows_a_note_and_keeps_its_replies(client, ws_thread, ws_member, ws_moderator):
    post = services.post_reply(author=ws_member, thread=ws_thread, body="Wird gelöscht")
    reply = services.post_reply(author=ws_moderator, thread=ws_thread, parent=post, body="Bleibt stehen")
    services.delete_post(user=ws_member, post=post)
    html = client_for(client, ws_member).get(ws_thread.get_absolute_url()).content.decode()
    assert "Dieser Beitrag wurde gelöscht." in html
    assert "Wird gelöscht" not in html
    assert f'id="post-{reply.pk}"' in html


def test_helpful_is_one_per_member_with_a_denormalised_count(client, ws_thread, ws_member, ws_moderator):
    post = services.post_reply(author=ws_moderator, thread=ws_thread, body="Hilfreicher Tipp")
    assert services.toggle_helpful(user=ws_member, post=post) is True
    assert Post.objects.get(pk=post.pk).helpful_count == 1
    assert services.toggle_helpful(user=ws_member, post=post) is False
    assert Post.objects.get(pk=post.pk).helpful_count == 0
    response = client_for(client, ws_member).post(reverse("forums:post_react", args=[post.pk]), HTTP_HX_REQUEST="true")
    assert 'aria-pressed="true"' in response.content.decode()
    with pytest.raises(PermissionDenied):
        services.toggle_helpful(user=ws_moderator, post=post)  # not for one's own post


def test_draft_is_saved_restored_and_removed_after_posting(client, ws_thread, ws_member):
    c = client_for(client, ws_member)
    response = c.post(reverse("forums:draft", args=[ws_thread.pk]), {"body": "Halb geschrieben"})
    assert "Entwurf um" in response.content.decode()
    html = c.get(ws_thread.get_absolute_url()).content.decode()
    assert "Halb geschrieben" in html
    assert "wurde wiederhergestellt" in html
    c.post(reverse("forums:reply", args=[ws_thread.pk]), {"body": "Fertig geschrieben"})
    assert not Draft.objects.filter(user=ws_member).exists()


def test_draft_for_a_nested_reply_is_restored_on_its_reply_page(client, ws_thread, ws_member, ws_moderator):
    parent = services.post_reply(author=ws_moderator, thread=ws_thread, body="Frage")
    c = client_for(client, ws_member)
    c.post(reverse("forums:draft", args=[ws_thread.pk]), {"body": "Antwortentwurf", "parent": parent.pk})
    html = c.get(reverse("forums:reply", args=[ws_thread.pk]) + f"?parent={parent.pk}").content.decode()
    assert "Antwortentwurf" in html


def test_replies_are_rate_limited_with_429_and_a_german_message(client, ws_thread, ws_member, settings):
    settings.FORUMS_RATE_LIMITS = {"reply": (2, 60)}
    c = client_for(client, ws_member)
    url = reverse("forums:reply", args=[ws_thread.pk])
    assert c.post(url, {"body": "Eins"}).status_code == 302
    assert c.post(url, {"body": "Zwei"}).status_code == 302
    response = c.post(url, {"body": "Drei"})
    assert response.status_code == 429
    assert "Bitte warten Sie" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert ws_thread.posts.count() == 3


def test_new_threads_are_rate_limited(ws_board, ws_member, settings):
    settings.FORUMS_RATE_LIMITS = {"thread": (1, 600)}
    services.create_thread(author=ws_member, board=ws_board, title="Erstes Thema", body="x")
    with pytest.raises(RateLimitError):
        services.create_thread(author=ws_member, board=ws_board, title="Zweites Thema", body="x")


def test_new_thread_over_the_limit_answers_429(client, ws_board, ws_member, settings):
    settings.FORUMS_RATE_LIMITS = {"thread": (0, 600)}
    response = client_for(client, ws_member).post(
        reverse("forums:thread_create", args=[ws_board.pk]), {"title": "Zu viele Themen", "body": "Text"}
    )
    assert response.status_code == 429
    assert "viele Themen eröffnet" in response.content.decode()
