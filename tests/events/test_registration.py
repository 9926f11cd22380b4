from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from events import services
from events.models import Registration
from notifications.models import Notification
from tests.events.factories import EventFactory, WorkspaceFactory, add_member
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _event(**kwargs):
    return EventFactory(registration_enabled=True, **kwargs)


def test_registration_confirmed_while_places_last_then_waiting_list():
    event = _event(capacity=2)
    first, second, third = MemberFactory(), MemberFactory(), MemberFactory()
    assert services.register(user=first, event=event).status == Registration.Status.CONFIRMED
    assert services.register(user=second, event=event).status == Registration.Status.CONFIRMED
    assert services.register(user=third, event=event).status == Registration.Status.WAITING
    assert event.registrations.filter(status=Registration.Status.CONFIRMED).count() == 2


def test_registering_twice_keeps_one_registration():
    event = _event(capacity=3)
    member = MemberFactory()
    services.register(user=member, event=event)
    services.register(user=member, event=event)
    assert event.registrations.count() == 1


def test_without_capacity_everyone_gets_a_place():
    event = _event(capacity=None)
    for _ in range(5):
        assert services.register(user=MemberFactory(), event=event).status == Registration.Status.CONFIRMED


def test_cancellation_moves_first_on_waiting_list_up_and_notifies_them(django_capture_on_commit_callbacks):
    event = _event(capacity=1)
    holder, first_waiting, second_waiting = MemberFactory(), MemberFactory(), MemberFactory()
    services.register(user=holder, event=event)
    services.register(user=first_waiting, event=event)
    services.register(user=second_waiting, event=event)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.unregister(user=holder, event=event)
    assert callbacks, "the push is queued on commit"
    assert not Registration.objects.filter(user=holder).exists()
    assert Registration.objects.get(user=first_waiting).status == Registration.Status.CONFIRMED
    assert Registration.objects.get(user=second_waiting).status == Registration.Status.WAITING
    moved = Notification.objects.get(kind="event_moved_up")
    assert moved.recipient == first_waiting and moved.target_id == event.pk
    assert not Notification.objects.filter(recipient=second_waiting).exists()


def test_leaving_the_waiting_list_moves_nobody_up():
    event = _event(capacity=1)
    holder, waiting = MemberFactory(), MemberFactory()
    services.register(user=holder, event=event)
    services.register(user=waiting, event=event)
    services.unregister(user=waiting, event=event)
    assert Registration.objects.get(user=holder).status == Registration.Status.CONFIRMED
    assert not Notification.objects.filter(kind="event_moved_up").exists()


def test_more_places_move_people_up(staff):
    event = _event(capacity=1)
    members = [MemberFactory() for _ in range(3)]
    for member in members:
        services.register(user=member, event=event)
    fields = {"capacity": 3}
    services.update_event(by=staff, event=event, **fields)
    assert event.registrations.filter(status=Registration.Status.CONFIRMED).count() == 3


def test_registration_closed_for_past_or_cancelled_or_disabled_dates(staff):
    past = _event(starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1))
    disabled = EventFactory(registration_enabled=False)
    cancelled = _event()
    services.cancel_event(by=staff, event=cancelled)
    for event in (past, disabled, cancelled):
        with pytest.raises(ValidationError):
            services.register(user=MemberFactory(), event=event)
    assert not Registration.objects.exists()


def test_cancelling_a_date_notifies_registered_members(staff):
    event = _event(capacity=10)
    member = MemberFactory()
    services.register(user=member, event=event)
    services.cancel_event(by=staff, event=event)
    event.refresh_from_db()
    assert event.is_cancelled and event.sequence == 1
    assert Notification.objects.filter(kind="event_cancelled", recipient=member).exists()


def test_member_registers_in_the_browser_flow_and_sees_german_confirmation(member_client):
    event = _event(capacity=5)
    response = member_client.post(f"/dates/{event.pk}/register/", follow=True)
    html = response.content.decode()
    assert "Sie nehmen teil" in html
    assert "Abmelden" in html
    response = member_client.post(f"/dates/{event.pk}/unregister/", follow=True)
    assert "Ich nehme teil" in response.content.decode()
    assert not event.registrations.exists()


def test_full_date_offers_the_waiting_list(member_client):
    event = _event(capacity=1)
    services.register(user=MemberFactory(), event=event)
    html = member_client.get(f"/dates/{event.pk}/").content.decode()
    assert "Auf die Warteliste" in html
    html = member_client.post(f"/dates/{event.pk}/register/", follow=True).content.decode()
    assert "Warteliste (Platz 1)" in html


def test_register_on_closed_date_shows_message_not_error(member_client):
    event = EventFactory(registration_enabled=False)
    response = member_client.post(f"/dates/{event.pk}/register/", follow=True)
    assert response.status_code == 200
    assert "Anmeldung für diesen Termin ist nicht möglich" in response.content.decode()


def test_register_needs_post(member_client):
    event = _event()
    assert member_client.get(f"/dates/{event.pk}/register/").status_code == 405


def test_moderator_sees_participants_and_waiting_list(member_client):
    workspace = WorkspaceFactory()
    add_member(workspace, member_client.user, "moderator")
    event = _event(capacity=1, workspace=workspace)
    first, second = MemberFactory(display_name="Erste Person"), MemberFactory(display_name="Zweite Person")
    for person in (first, second):
        add_member(workspace, person)
        services.register(user=person, event=event)
    html = member_client.get(f"/dates/{event.pk}/").content.decode()
    assert "Erste Person" in html and "Zweite Person" in html
    assert "Warteliste" in html
