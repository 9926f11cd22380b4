"""Issue 9.2: sessions expire, and sensitive account changes need a fresh password."""

import time

import pytest
from allauth.account import app_settings as account_settings
from allauth.account.internal.flows import reauthentication
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db


def _login(client, user, **extra):
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD, **extra})
    assert response.status_code == 302, response.content[:400]
    return response


def test_session_lifetime_is_explicit():
    assert settings.SESSION_COOKIE_AGE == 14 * 24 * 3600
    assert settings.ACCOUNT_SESSION_REMEMBER is None  # the person decides with the checkbox


def test_login_page_offers_remember_me_checkbox(client):
    content = client.get(reverse("account_login")).content.decode()
    assert 'name="remember"' in content
    assert 'type="checkbox"' in content


def test_without_remember_me_the_session_ends_with_the_browser(client, member):
    response = _login(client, member)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value
    assert not cookie["max-age"]
    assert not cookie["expires"]


def test_with_remember_me_the_session_lasts_two_weeks(client, member):
    response = _login(client, member, remember="on")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE
    assert cookie["expires"]


def test_changing_email_needs_recent_reauthentication(member, monkeypatch):
    client = Client()
    _login(client, member)
    add = {"action_add": "", "email": "new-address@example.org"}
    response = client.post(reverse("account_email"), add)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not member.emailaddress_set.filter(email="new-address@example.org").exists()

    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302
    response = client.post(reverse("account_email"), add)
    assert member.emailaddress_set.filter(email="new-address@example.org").exists()

    # Five minutes later the password is asked again.
    later = time.time() + account_settings.REAUTHENTICATION_TIMEOUT + 1
    monkeypatch.setattr(reauthentication.time, "time", lambda: later)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "third@example.org"})
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not member.emailaddress_set.filter(email="third@example.org").exists()


def test_changing_password_needs_the_current_password(member):
    client = Client()
    _login(client, member)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "wrong-password", "password1": "Neu-Passwort-2026!x", "password2": "Neu-Passwort-2026!x"},
    )
    member.refresh_from_db()
    assert member.check_password(PASSWORD)
    assert response.status_code in (200, 302)


def test_deactivating_mfa_needs_recent_reauthentication():
    user = MemberFactory()
    TOTP.activate(user, generate_totp_secret())
    client = Client()
    client.force_login(user)
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith((reverse("account_reauthenticate"), reverse("mfa_reauthenticate")))
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
