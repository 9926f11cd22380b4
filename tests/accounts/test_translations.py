"""The portal speaks formal German ("Sie"), also on allauth's screens and in its emails."""

import re
from pathlib import Path

import allauth
import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

ALLAUTH_PO = Path(allauth.__file__).parent / "locale" / "de" / "LC_MESSAGES" / "django.po"
PROJECT_PO = Path(settings.BASE_DIR) / "locale" / "de" / "LC_MESSAGES" / "django.po"
MSGID_LIST = "templates/allauth/formal_german_msgids.py"
# Parts of allauth the portal uses: accounts, MFA and their templates, emails and messages.
USED_ALLAUTH_SOURCES = re.compile(r"^(account|mfa|core|templates/(account|mfa|allauth))/")
# Still in allauth's German catalogue, but no longer used by any allauth template or module.
UNUSED_IN_ALLAUTH = {(None, "Forgot Password?")}
INFORMAL = re.compile(r"\b(du|dich|dir|dein|deine|deinen|deinem|deiner|deines|hast|bist|kannst|musst|möchtest)\b", re.I)


def _key(entry):
    return (entry.msgctxt, entry.msgid)


@pytest.fixture(scope="module")
def allauth_entries():
    return {
        _key(e): e
        for e in polib.pofile(str(ALLAUTH_PO))
        if not e.obsolete
        and any(USED_ALLAUTH_SOURCES.match(path) for path, _line in e.occurrences)
        and _key(e) not in UNUSED_IN_ALLAUTH
    }


@pytest.fixture(scope="module")
def overrides():
    return {
        _key(e): e
        for e in polib.pofile(str(PROJECT_PO))
        if not e.obsolete and any(path == MSGID_LIST for path, _line in e.occurrences)
    }


def test_every_allauth_account_and_mfa_string_has_a_project_translation(allauth_entries, overrides):
    missing = sorted(msgid for (_ctx, msgid) in allauth_entries.keys() - overrides.keys())
    assert not missing, f"add these to {MSGID_LIST} and translate them: {missing}"


def test_the_msgid_list_has_no_strings_allauth_dropped(allauth_entries, overrides):
    stale = sorted(msgid for (_ctx, msgid) in overrides.keys() - allauth_entries.keys())
    assert not stale, f"allauth no longer uses these; remove them from {MSGID_LIST}: {stale}"


def test_effective_german_is_formal_for_every_allauth_string(allauth_entries):
    informal = []
    with translation.override("de"):
        for (context, msgid), entry in allauth_entries.items():
            if entry.msgid_plural:
                texts = [translation.ngettext(msgid, entry.msgid_plural, n) for n in (1, 2)]
            elif context:
                texts = [translation.pgettext(context, msgid)]
            else:
                texts = [translation.gettext(msgid)]
            informal += [text for text in texts if INFORMAL.search(text)]
            assert all(text != msgid or msgid in {"MFA", "WebAuthn", "Passkey", "Code"} for text in texts), msgid
    assert not informal, informal


def test_login_page_is_formal_german(client, db):
    content = client.get(reverse("account_login")).content.decode()
    assert ">Anmelden</button>" in content.replace("\n", "").replace("  ", "")
    assert "Sie haben noch kein Konto?" in content
    assert not INFORMAL.search(re.sub(r"<[^>]+>", " ", content))


def test_english_is_available(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = client.get(reverse("account_login")).content.decode()
    assert 'lang="en"' in content
    assert "Sign In" in content
