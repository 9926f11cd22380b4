from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from events import services
from events.models import Registration
from notifications.models import Notification
from tests.events.factories import EventFactory, WorkspaceFactory, add_member
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _soon(**kwargs):
    start = timezone.now() + timedelta(hours=20)
    return EventFactory(registration_enabled=True, starts_at=start, ends_at=start + timedelta(hours=2), **kwargs)


def test_reminders_go_to_confirmed_participants_once():
    event = _soon(capacity=1)
    confirmed, waiting = MemberFactory(), MemberFactory()
    services.register(user=confirmed, event=event)
    services.register(user=waiting, event=event)
    assert services.send_event_reminders() == 1
    assert services.send_event_reminders() == 0
    reminders = Notification.objects.filter(kind="event_reminder")
    assert [n.recipient for n in reminders] == [confirmed]
    assert Registration.objects.get(user=confirmed).reminded_at is not None


def test_no_reminder_for_dates_further_away_or_cancelled(staff):
    later = EventFactory(registration_enabled=True, starts_at=timezone.now() + timedelta(days=3))
    cancelled = _soon()
    member = MemberFactory()
    services.register(user=member, event=later)
    services.register(user=member, event=cancelled)
    services.cancel_event(by=staff, event=cancelled)
    assert services.send_event_reminders() == 0
    assert not Notification.objects.filter(kind="event_reminder").exists()


def test_no_reminder_for_someone_who_lost_access():
    workspace = WorkspaceFactory()
    member = MemberFactory()
    membership = add_member(workspace, member)
    event = _soon(workspace=workspace)
    services.register(user=member, event=event)
    membership.delete()
    assert services.send_event_reminders() == 0
    assert not Notification.objects.filter(kind="event_reminder").exists()


def test_management_command_is_idempotent():
    event = _soon()
    services.register(user=MemberFactory(), event=event)
    call_command("send_event_reminders", stdout=open("/dev/null", "w"))
    call_command("send_event_reminders", stdout=open("/dev/null", "w"))
    assert Notification.objects.filter(kind="event_reminder").count() == 1
