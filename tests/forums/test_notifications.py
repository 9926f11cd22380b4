"""Watch levels, mentions and the notifications the forums send."""

import pytest
from django.urls import reverse

from forums import services
from forums.models import ThreadSubscription, WatchLevel
from forums.selectors import recipients_for_post
from forums.text import MAX_MENTIONS
from notifications.models import Notification
from tests.factories import MemberFactory
from tests.forums.conftest import client_for
from tests.forums.factories import MembershipFactory


def mention(user):
    return f"@[{user.display_name}](/members/{user.pk}/)"


@pytest.fixture
def colleague(workspace):
    return MembershipFactory(workspace=workspace).user


def test_reply_to_a_post_notifies_its_author(ws_thread, ws_member, colleague):
    post = services.post_reply(author=colleague, thread=ws_thread, body="Antwort an die Autorin")
    assert recipients_for_post(post) == {ws_member: "reply"}
    other = MembershipFactory(workspace=ws_thread.board.workspace).user
    services.post_reply(author=other, thread=ws_thread, body="Antwort an das Thema")
    # The colleague now watches the thread (replying watches by default) but was not answered.
    later = services.post_reply(author=other, thread=ws_thread, body="Noch eine")
    assert recipients_for_post(later)[colleague] == "watching"


def test_muted_thread_tells_nothing(ws_thread, ws_member, colleague):
    services.set_thread_watch(user=ws_member, thread=ws_thread, level=WatchLevel.MUTED)
    post = services.post_reply(author=colleague, thread=ws_thread, body=f"Hallo {mention(ws_member)}")
    assert recipients_for_post(post) == {}


def test_watching_a_board_tells_about_every_reply_and_new_thread(ws_board, ws_thread, ws_member, colleague):
    services.set_board_watch(user=colleague, board=ws_board, level=WatchLevel.WATCHING)
    reply = services.post_reply(author=ws_member, thread=ws_thread, body="Noch eine Antwort")
    assert recipients_for_post(reply)[colleague] == "watching"
    thread = services.create_thread(author=ws_member, board=ws_board, title="Neues Thema", body="Text")
    assert recipients_for_post(thread.first_post)[colleague] == "new_thread"


def test_new_threads_only_tells_about_first_posts_but_not_replies(ws_board, ws_thread, ws_member, colleague):
    services.set_board_watch(user=colleague, board=ws_board, level=WatchLevel.NEW_THREADS)
    reply = services.post_reply(author=ws_member, thread=ws_thread, body="Antwort")
    assert colleague not in recipients_for_post(reply)
    thread = services.create_thread(author=ws_member, board=ws_board, title="Noch ein Thema", body="Text")
    assert recipients_for_post(thread.first_post) == {colleague: "new_thread"}


def test_replying_watches_the_thread_by_default(ws_thread, colleague, settings):
    services.post_reply(author=colleague, thread=ws_thread, body="Ich bin dabei")
    assert ThreadSubscription.objects.get(user=colleague, thread=ws_thread).level == WatchLevel.WATCHING
    settings.FORUMS_WATCH_ON_POST = False
    other = MembershipFactory(workspace=ws_thread.board.workspace).user
    services.post_reply(author=other, thread=ws_thread, body="Ich auch")
    assert not ThreadSubscription.objects.filter(user=other, thread=ws_thread).exists()


def test_mention_notifies_a_member_who_can_see_the_thread(
    ws_thread, ws_member, colleague, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        post = services.post_reply(author=ws_member, thread=ws_thread, body=f"Was meinen Sie, {mention(colleague)}?")
    assert callbacks, "the push to the channel layer runs on commit"
    notification = Notification.objects.get(recipient=colleague)
    assert notification.kind == "forum_mention"
    assert notification.target == post


def test_mentioning_someone_who_cannot_see_the_thread_tells_them_nothing(ws_thread, ws_member, outsider):
    post = services.post_reply(author=ws_member, thread=ws_thread, body=f"Kennen Sie das, {mention(outsider)}?")
    assert outsider not in recipients_for_post(post)
    assert not Notification.objects.filter(recipient=outsider).exists()
    assert list(post.mentioned_users.all()) == [outsider]


def test_short_mentions_are_resolved_by_unique_name(ws_thread, ws_member, colleague):
    post = services.post_reply(author=ws_member, thread=ws_thread, body=f"Danke @[{colleague.display_name}]!")
    assert recipients_for_post(post)[colleague] == "mention"
    assert f'href="/members/{colleague.pk}/"' in post.body_html


def test_more_than_ten_mentions_are_refused_with_a_german_message(client, ws_thread, ws_member):
    people = [MemberFactory() for _ in range(MAX_MENTIONS + 1)]
    body = " ".join(mention(person) for person in people)
    response = client_for(client, ws_member).post(reverse("forums:reply", args=[ws_thread.pk]), {"body": body})
    assert response.status_code == 200
    assert "höchstens 10 Personen" in response.content.decode()
    assert ws_thread.posts.count() == 1


def test_replies_merge_into_one_unread_notification(ws_thread, ws_member, colleague):
    ThreadSubscription.objects.filter(user=ws_member).update(level=WatchLevel.WATCHING)
    services.post_reply(author=colleague, thread=ws_thread, body="Eins")
    services.post_reply(author=colleague, thread=ws_thread, body="Zwei")
    notification = Notification.objects.get(recipient=ws_member, kind="forum_reply")
    assert notification.count == 2
    assert notification.merge_key == f"thread:{ws_thread.pk}:reply"


def test_recipients_lose_access_when_they_leave_the_workspace(ws_thread, ws_member, colleague):
    ThreadSubscription.objects.create(user=colleague, thread=ws_thread, level=WatchLevel.WATCHING)
    colleague.memberships.all().delete()
    post = services.post_reply(author=ws_member, thread=ws_thread, body="Geheim")
    assert colleague not in recipients_for_post(post)


def test_new_thread_notifies_board_watchers(ws_board, ws_member, colleague):
    services.set_board_watch(user=colleague, board=ws_board, level=WatchLevel.NEW_THREADS)
    thread = services.create_thread(
        author=ws_member, board=ws_board, title="Fachtag Präventionsketten", body="Wer kommt?"
    )
    notification = Notification.objects.get(recipient=colleague)
    assert notification.kind == "forum_new_thread"
    assert notification.target == thread


def test_watch_level_forms_save_the_choice(client, ws_thread, ws_member):
    c = client_for(client, ws_member)
    c.post(reverse("forums:thread_watch", args=[ws_thread.pk]), {"level": "muted"})
    assert ThreadSubscription.objects.get(user=ws_member, thread=ws_thread).level == "muted"
    c.post(reverse("forums:board_watch", args=[ws_thread.board_id]), {"level": "new_threads"})
    assert ws_thread.board.subscriptions.get(user=ws_member).level == "new_threads"


def _list_page(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_names_the_threads_of_reply_notifications_with_constant_queries(
    client, ws_board, ws_member, colleague, ws_moderator
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.forums.factories import make_thread

    counts = []
    for round_number in range(2):
        for number in range(3 if round_number == 0 else 12):
            thread = make_thread(board=ws_board, author=ws_member, title=f"Thema {round_number}-{number}")
            services.post_reply(author=colleague, thread=thread, body="Eine Antwort")
        member = client_for(client, ws_member)
        _list_page(member)
        with CaptureQueriesContext(connection) as ctx:
            page = _list_page(member)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    assert "„Thema 1-11“" in page
    # A hidden thread's reply is no longer named to the member; the moderation still sees it.
    hidden = make_thread(board=ws_board, author=ws_member, title="Vertrauliche Abstimmung")
    services.post_reply(author=colleague, thread=hidden, body="Antwort")
    services.hide_thread(moderator=ws_moderator, thread=hidden, reason="Personenbezogene Daten")
    assert "Vertrauliche Abstimmung" not in _list_page(client_for(client, ws_member))
    assert "nicht verfügbar" in _list_page(client_for(client, ws_member))
