"""Wrong links and wrong input: a clear German message, nothing half-written, never a 500."""

import pytest
from django.urls import reverse

from accounts.models import Profile, User
from tests.accounts.conftest import link_in_mail, signup_data
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_wrong_verification_link_says_it_is_invalid(client):
    response = client.get(reverse("account_confirm_email", args=["das-ist-kein-schluessel"]))
    assert response.status_code in (200, 404)
    assert "Dieser Bestätigungslink ist abgelaufen oder ungültig." in response.content.decode()


def test_expired_verification_link_says_it_is_invalid(client, outbox, settings):
    client.post(reverse("account_signup"), signup_data())
    confirm_path = link_in_mail(outbox[0])
    settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = -1
    response = client.get(confirm_path)
    assert response.status_code == 200
    assert "Dieser Bestätigungslink ist abgelaufen oder ungültig." in response.content.decode()
    assert not User.objects.get(email="anna.beispiel@example.org").emailaddress_set.get().verified


def test_wrong_password_reset_link_says_it_is_invalid(client):
    member = MemberFactory()
    uidb36 = "".join("0123456789abcdefghijklmnopqrstuvwxyz"[int(d)] for d in str(member.pk))
    response = client.get(f"/accounts/password/reset/key/{uidb36}-falscher-schluessel/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Ungültiger Link" in content
    assert "Der Link zum Zurücksetzen des Passworts ist ungültig" in content


def test_expired_password_reset_link_says_it_is_invalid(client, outbox, settings):
    member = MemberFactory()
    client.post(reverse("account_reset_password"), {"email": member.email})
    assert outbox[0].subject == "[Sozialplanungsplattform] E-Mail zum Zurücksetzen des Passworts"
    reset_path = link_in_mail(outbox[0])
    settings.PASSWORD_RESET_TIMEOUT = -1
    response = client.get(reset_path, follow=True)
    assert "Der Link zum Zurücksetzen des Passworts ist ungültig" in response.content.decode()


def test_password_reset_works_with_a_fresh_link(client, outbox):
    member = MemberFactory()
    client.post(reverse("account_reset_password"), {"email": member.email})
    response = client.get(link_in_mail(outbox[0]))
    assert response.status_code == 302
    new_password = "Ganz-Neues-Passwort-2026"
    response = client.post(response["Location"], {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(new_password)


def test_duplicate_sign_up_creates_nothing_and_mails_the_owner(client, outbox):
    existing = MemberFactory(email="schon.da@example.org")
    users_before = User.objects.count()
    response = client.post(reverse("account_signup"), signup_data(email="Schon.Da@example.org"))
    # same answer as for a new address, so nobody learns which addresses have accounts
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.count() == users_before
    assert len(outbox) == 1
    assert outbox[0].to == [existing.email]
    assert outbox[0].subject == "[Sozialplanungsplattform] Konto besteht bereits"
    assert "Mit dieser E-Mail-Adresse besteht jedoch bereits ein Konto." in outbox[0].body


def test_sign_up_with_unknown_kommune_is_refused(client, outbox):
    response = client.post(reverse("account_signup"), signup_data(kommune="999999"))
    assert response.status_code == 200
    assert "Bitte wählen Sie eine Kommune aus der Liste." in response.content.decode()
    assert not User.objects.filter(email="anna.beispiel@example.org").exists()
    assert outbox == []


def test_profile_with_unknown_kommune_is_refused(member_client):
    before = Profile.objects.get(user=member_client.user).kommune_id
    response = member_client.post(
        reverse("accounts:profile"), {"display_name": "Neuer Name", "kommune": "999999", "bio": ""}
    )
    assert response.status_code == 200
    assert "Bitte wählen Sie eine Kommune aus der Liste." in response.content.decode()
    member_client.user.refresh_from_db()
    assert member_client.user.display_name != "Neuer Name"
    assert Profile.objects.get(user=member_client.user).kommune_id == before


def test_oversized_bio_is_refused_and_nothing_is_saved(member_client):
    profile = Profile.objects.get(user=member_client.user)
    response = member_client.post(
        reverse("accounts:profile"),
        {"display_name": "Neuer Name", "kommune": profile.kommune_id, "bio": "x" * (Profile.BIO_MAX_LENGTH + 1)},
    )
    assert response.status_code == 200
    assert "höchstens 1000 Zeichen" in response.content.decode()
    member_client.user.refresh_from_db()
    assert member_client.user.display_name != "Neuer Name"
    profile.refresh_from_db()
    assert profile.bio == ""


def test_profile_is_saved(member_client):
    from accounts.models import Kommune, Topic

    gera = Kommune.objects.get(slug="stadt-gera")
    topics = list(Topic.objects.filter(slug__in=["praventionsketten", "armutspravention"]))
    response = member_client.post(
        reverse("accounts:profile"),
        {
            "display_name": "Dr. Anna Beispiel",
            "kommune": gera.pk,
            "organisation": "Jugendamt",
            "function": "jugendhilfeplanung",
            "topics": [t.pk for t in topics],
            "bio": "Planung seit 2015.",
            "show_email": "on",
        },
        follow=True,
    )
    assert "Ihr Profil wurde gespeichert." in response.content.decode()
    member_client.user.refresh_from_db()
    profile = member_client.user.profile
    assert member_client.user.display_name == "Dr. Anna Beispiel"
    assert (profile.kommune, profile.function, profile.show_email) == (gera, "jugendhilfeplanung", True)
    assert set(profile.topics.all()) == set(topics)


def test_pending_person_may_edit_their_profile_but_nothing_else(client):
    from tests.factories import PendingFactory

    client.force_login(PendingFactory())
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert client.get(reverse("members:invitations"))["Location"] == reverse("accounts:pending")
