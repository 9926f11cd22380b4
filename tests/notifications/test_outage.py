"""Redis (the channel layer) down: writing keeps working, rows are stored, one log line."""

import logging

import pytest
from django.db import transaction

from notifications import services
from notifications.models import Notification
from notifications.services import layer_health, notify
from tests.factories import MemberFactory, PendingFactory, StaffFactory


class BrokenLayer:
    def __init__(self):
        self.calls = 0

    async def group_send(self, group, message):
        self.calls += 1
        raise ConnectionRefusedError("Redis is down")


@pytest.fixture
def broken_layer(monkeypatch):
    layer = BrokenLayer()
    monkeypatch.setattr("notifications.services.get_channel_layer", lambda: layer)
    return layer


def _warnings(caplog):
    return [r for r in caplog.records if r.name == "notifications.services" and r.levelno == logging.WARNING]


@pytest.mark.django_db(transaction=True)
def test_layer_outage_stores_rows_and_logs_once_not_per_recipient(broken_layer, caplog):
    people = [MemberFactory() for _ in range(5)]
    for _round in range(3):
        with transaction.atomic():
            notify(recipients=people, kind="workspace_announcement")
    assert Notification.objects.count() == 15
    assert len(_warnings(caplog)) == 1
    # While the outage lasts, requests do not wait on the dead layer again and again: the first
    # round's one batch (sent at once) tried it, the later rounds did not.
    assert broken_layer.calls == len(people)


@pytest.mark.django_db(transaction=True)
def test_delivery_resumes_when_the_layer_is_back(broken_layer, monkeypatch, caplog, settings):
    settings.NOTIFICATIONS_LAYER_RETRY_SECONDS = 0
    person = MemberFactory()
    notify(recipients=[person], kind="workspace_announcement")
    sent = []

    class GoodLayer:
        async def group_send(self, group, message):
            sent.append((group, message))

    monkeypatch.setattr("notifications.services.get_channel_layer", lambda: GoodLayer())
    (row,) = notify(recipients=[person], kind="workspace_announcement")
    assert sent == [(f"user.{person.pk}", {"type": "notify.new", "ids": [row.pk]})]
    assert not layer_health.down
    assert any("reachable again" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db(transaction=True)
def test_signup_of_a_new_member_works_while_redis_is_down(settings, caplog):
    """A real channels_redis layer pointing at a closed port, through the web sign-up."""
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]}}
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    staff = StaffFactory()
    from accounts.models import Kommune
    from accounts.services import complete_signup

    newcomer = PendingFactory()
    complete_signup(user=newcomer, kommune=Kommune.objects.first(), function="sozialplanung")
    assert Notification.objects.filter(recipient=staff, kind="member_pending").count() == 1
    assert len(_warnings(caplog)) == 1
    assert services.unread_count(staff) == 1
