"""Every URL of the portal needs a login, except an explicit list of public pages.

The URL resolver is walked, so a URL added later is covered without touching this test."""

import re
import uuid

import pytest
from django.urls import URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

# Reachable without an account: sign-in and sign-up steps, legal pages, health, language switch.
PUBLIC_URL_NAMES = {
    "account_login",
    "account_signup",
    "account_inactive",
    "account_email_verification_sent",
    "account_confirm_email",
    "account_confirm_login_code",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "mfa_authenticate",
    "accounts:accept_invitation",
    "pages:impressum",
    "pages:datenschutz",
    "pages:barrierefreiheit",
    "pages:health",
    "pages:ping",
    "set_language",
    # Signed tokens in the link stand in for the login: one-click unsubscribe from emails
    # (RFC 8058) and the personal calendar feed that calendar apps subscribe to.
    "notifications:unsubscribe",
    "events:feed",
}

ROUTE_SAMPLES = {"int": "1", "str": "sample", "slug": "sample", "path": "1", "uuid": str(uuid.UUID(int=1))}


def _route_sample(route: str) -> str:
    return re.sub(r"<(?:(\w+):)?\w+>", lambda m: ROUTE_SAMPLES[m.group(1) or "str"], route)


def _regex_sample(regex: str) -> str:
    regex = re.sub(r"\(\?P<\w+>([\w|]+)\)", lambda m: m.group(1).split("|")[0], regex)  # first alternative
    regex = re.sub(r"\(\?P<\w+>[^)]*\)", "1", regex)
    return regex.replace("^", "").replace("$", "").replace(r"\Z", "").replace("\\", "")


def _sample(pattern) -> str:
    text = str(pattern)
    if hasattr(pattern, "regex") and type(pattern).__name__ == "RegexPattern":
        return _regex_sample(text)
    return _route_sample(text)


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + _sample(pattern.pattern), ns)
        else:
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield "/" + prefix + _sample(pattern.pattern), name


def all_urls():
    urls = []
    for path, name in _walk(get_resolver().url_patterns):
        try:
            resolve(path)
        except Resolver404:
            raise AssertionError(f"sample path {path!r} for {name!r} does not resolve; extend the samples") from None
        urls.append((path, name))
    return urls


URLS = all_urls()
PRIVATE = [(path, name) for path, name in URLS if name not in PUBLIC_URL_NAMES]
PUBLIC = [(path, name) for path, name in URLS if name in PUBLIC_URL_NAMES]


def test_walk_finds_the_portal_urls():
    names = {name for _path, name in URLS}
    assert {"members:directory", "members:approval_queue", "accounts:profile", "workspaces:dashboard"} <= names
    assert PUBLIC_URL_NAMES <= names, "a public URL name in the allowlist no longer exists"


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "name"), PRIVATE, ids=[f"{name}:{path}" for path, name in PRIVATE])
def test_anonymous_visitor_is_sent_to_login(client, path, name):
    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code == 302, f"{method.__name__} {path} ({name}) answered {response.status_code}"
        location = response["Location"]
        if name == "account_logout":  # nothing to sign out from: straight to the login page
            assert location == "/accounts/login/"
            continue
        assert location.startswith(("/accounts/login/?next=", "/admin/login/?next=")), (path, name, location)


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "name"), PUBLIC, ids=[f"{name}:{path}" for path, name in PUBLIC])
def test_public_pages_open_without_login_and_never_fail(client, path, name):
    response = client.get(path)
    assert response.status_code < 500
    assert not response.get("Location", "").startswith("/accounts/login/?next=")
