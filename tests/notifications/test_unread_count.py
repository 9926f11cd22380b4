"""The bell's unread count: cached per member, dropped whenever the count changes."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications import services
from notifications.services import notify, unread_count

pytestmark = pytest.mark.django_db


def _badge(client) -> str:
    body = client.get(reverse("notifications:preferences")).content.decode()
    return body.split('id="notification-count"', 1)[1].split(">", 1)[1].split("<", 1)[0]


def test_the_count_is_read_once_and_then_from_the_cache(member_client, fake_layer):
    notify(recipients=[member_client.user], kind="workspace_announcement", data={"title": "Eins"})
    assert _badge(member_client) == "1"
    with CaptureQueriesContext(connection) as ctx:
        assert _badge(member_client) == "1"
    assert not [q for q in ctx.captured_queries if "COUNT(*)" in q["sql"] and "notifications_notification" in q["sql"]]


def test_new_and_read_notifications_change_the_cached_count_at_once(member_client, fake_layer):
    user = member_client.user
    assert _badge(member_client) == ""
    (first,) = notify(recipients=[user], kind="workspace_announcement", data={"title": "Eins"})
    notify(recipients=[user], kind="workspace_announcement", data={"title": "Zwei"})
    assert _badge(member_client) == "2"
    member_client.post(reverse("notifications:mark_read", args=[first.pk]))
    assert _badge(member_client) == "1"
    member_client.post(reverse("notifications:mark_all_read"))
    assert _badge(member_client) == ""


def test_a_count_cached_while_the_change_was_not_yet_committed_is_dropped_after_commit(
    member, fake_layer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[member], kind="workspace_announcement", data={"title": "Eins"})
        # Another request counted before the commit and cached the old number.
        cache.set(services.unread_key_of(member.pk), 0)
    assert unread_count(member) == 1


def test_each_member_has_their_own_count(member_client, fake_layer, client):
    from tests.factories import MemberFactory

    other = MemberFactory()
    notify(recipients=[member_client.user], kind="workspace_announcement", data={"title": "Eins"})
    assert unread_count(member_client.user) == 1 and unread_count(other) == 0
