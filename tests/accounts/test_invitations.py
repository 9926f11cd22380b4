from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, User
from tests.accounts.conftest import link_in_mail, signup_data
from tests.accounts.factories import InvitationFactory
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_invited_person_signs_up_without_approval_or_verification_mail(
    client, staff_client, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("members:invitations"), {"email": "Neu.Eingeladen@Example.org"})
    assert response.status_code == 302
    assert len(outbox) == 1
    assert outbox[0].subject == "[Sozialplanungsplattform] Einladung zur Sozialplanungsplattform"
    link = link_in_mail(outbox[0])
    staff_client.logout()
    outbox.clear()

    response = client.get(link)
    assert response.status_code == 302
    signup_page = client.get(response["Location"])
    assert 'value="neu.eingeladen@example.org"' in signup_page.content.decode()

    response = client.post(reverse("account_signup"), signup_data(email="neu.eingeladen@example.org"))
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert outbox == []  # no confirmation mail needed
    user = User.objects.get(email="neu.eingeladen@example.org")
    assert user.status == User.Status.ACTIVE
    assert EmailAddress.objects.get(user=user).verified
    assert client.get("/").status_code == 200
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == user
    assert not invitation.is_usable


def test_used_invitation_shows_a_clear_page(client):
    invitation = InvitationFactory(accepted_at=timezone.now())
    response = client.get(reverse("accounts:accept_invitation", args=[invitation.token]))
    assert response.status_code == 404
    assert "Dieser Einladungslink ist abgelaufen oder wurde bereits verwendet." in response.content.decode()


def test_expired_invitation_shows_a_clear_page_and_sign_up_needs_approval(client, outbox):
    invitation = InvitationFactory(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(reverse("accounts:accept_invitation", args=[invitation.token]))
    assert response.status_code == 404
    assert "Einladung nicht gültig" in response.content.decode()
    client.post(reverse("account_signup"), signup_data(email=invitation.email))
    assert User.objects.get(email=invitation.email).status == User.Status.PENDING
    assert len(outbox) == 1  # the normal confirmation mail


def test_unknown_invitation_token_shows_the_same_page(client):
    response = client.get(reverse("accounts:accept_invitation", args=["nicht-vorhanden"]))
    assert response.status_code == 404
    assert "Einladung nicht gültig" in response.content.decode()


def test_invitation_link_used_with_another_email_still_needs_approval(client, outbox):
    invitation = InvitationFactory()
    client.get(reverse("accounts:accept_invitation", args=[invitation.token]))
    client.post(reverse("account_signup"), signup_data(email="jemand.anderes@example.org"))
    user = User.objects.get(email="jemand.anderes@example.org")
    assert user.status == User.Status.PENDING
    assert not EmailAddress.objects.get(user=user).verified
    assert len(outbox) == 1
    invitation.refresh_from_db()
    assert invitation.is_usable


def test_inviting_an_existing_member_is_refused_with_a_message(staff_client, outbox):
    existing = MemberFactory()
    response = staff_client.post(reverse("members:invitations"), {"email": existing.email.upper()})
    assert response.status_code == 200
    assert "Für diese E-Mail-Adresse besteht bereits ein Konto." in response.content.decode()
    assert not Invitation.objects.exists()
    assert outbox == []


def test_only_staff_can_invite(member_client):
    assert member_client.get(reverse("members:invitations")).status_code == 403
    assert member_client.post(reverse("members:invitations"), {"email": "x@example.org"}).status_code == 403
    assert not Invitation.objects.exists()
