import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Kommune

SIGNUP_PASSWORD = "Sicheres-Passwort-2026"


def signup_data(**overrides):
    data = {
        "display_name": "Anna Beispiel",
        "email": "anna.beispiel@example.org",
        "kommune": Kommune.objects.get(slug="stadt-jena").pk,
        "organisation": "Stadt Jena, Fachdienst Soziales",
        "function": "sozialplanung",
        "password1": SIGNUP_PASSWORD,
        "password2": SIGNUP_PASSWORD,
    }
    data.update(overrides)
    return data


def link_in_mail(message, pattern=r"http://testserver(/\S+)"):
    """The first portal link in a sent mail, as a path."""
    match = re.search(pattern, message.body)
    assert match, message.body
    return match.group(1)


def log_in(client, email, password=SIGNUP_PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


@pytest.fixture
def outbox():
    mail.outbox.clear()
    return mail.outbox
