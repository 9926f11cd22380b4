"""Issue 9.1: deactivating a member ends every login at once."""

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from accounts.services import deactivate_member
from pages.models import AuditEntry
from search.models import SearchEntry
from search.services import update_index
from tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db


def _logged_in_client(user):
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    assert client.get("/").status_code == 200
    return client


def test_deactivated_member_is_redirected_to_login_on_next_request(staff, django_capture_on_commit_callbacks):
    member = MemberFactory()
    browser_one, browser_two = _logged_in_client(member), _logged_in_client(member)
    # A session allauth does not track (e.g. created before usersessions was installed).
    untracked = Client()
    untracked.force_login(member)
    UserSession.objects.filter(session_key=untracked.session.session_key).delete()
    assert UserSession.objects.filter(user=member).count() == 2
    update_index(member)
    assert SearchEntry.objects.filter(kind="member", object_id=member.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        deactivate_member(member=member, by=staff, reason="left the office")

    member.refresh_from_db()
    assert member.is_active is False
    for client in (browser_one, browser_two, untracked):
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert not UserSession.objects.filter(user=member).exists()
    assert not any(str(s.get_decoded().get("_auth_user_id")) == str(member.pk) for s in Session.objects.all())
    assert not SearchEntry.objects.filter(kind="member", object_id=member.pk).exists()
    entry = AuditEntry.objects.get(action="member.deactivated")
    assert entry.actor_id == staff.pk


def test_deactivation_closes_open_sockets(staff, django_capture_on_commit_callbacks, monkeypatch):
    import notifications.services as notification_services

    sent = []
    monkeypatch.setattr(notification_services, "send_to_users", lambda events: sent.append(events))
    member = MemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        deactivate_member(member=member, by=staff)
    assert any(member.pk in events and events[member.pk]["type"] == "session.end" for events in sent)


def test_only_staff_may_deactivate_and_not_themselves(member, staff):
    other = MemberFactory()
    with pytest.raises(PermissionDenied):
        deactivate_member(member=other, by=member)
    with pytest.raises(ValidationError):
        deactivate_member(member=staff, by=staff)
    other.refresh_from_db()
    assert other.is_active


def test_admin_action_deactivates_and_signs_out(staff_client):
    member = MemberFactory()
    victim = _logged_in_client(member)
    response = staff_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "deactivate_and_sign_out", "_selected_action": [member.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "deaktiviert" in response.content.decode()
    member.refresh_from_db()
    assert not member.is_active
    assert victim.get("/").status_code == 302
