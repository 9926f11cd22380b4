import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import PASSWORD, MemberFactory
from tests.forums.factories import BoardFactory, make_thread

pytestmark = pytest.mark.django_db


def test_full_journey_sets_only_strictly_necessary_cookies(client):
    user = MemberFactory()
    thread = make_thread(board=BoardFactory(), author=user)
    seen = set()

    def visit(response):
        assert response.status_code in (200, 302), response
        seen.update(response.cookies.keys())

    visit(client.get(reverse("account_login")))
    visit(client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD}))
    for path in ("/", "/documents/", "/forums/", thread.get_absolute_url(), "/search/?q=Sozialraum", "/dates/"):
        visit(client.get(path))
    visit(client.post(reverse("set_language"), {"language": "en", "next": "/"}))
    visit(client.get("/"))

    allowed = {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    assert seen <= allowed, seen - allowed
    assert settings.SESSION_COOKIE_NAME in seen and settings.LANGUAGE_COOKIE_NAME in seen


def test_html_lang_follows_the_chosen_language(member_client):
    assert '<html lang="de">' in member_client.get("/").text
    member_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert '<html lang="en">' in member_client.get("/").text


def test_keepalive_extends_the_session(member_client):
    response = member_client.post(reverse("accounts:keepalive"))
    assert response.status_code == 204
    assert settings.SESSION_COOKIE_NAME in response.cookies


def test_keepalive_needs_post_and_login(member_client):
    assert member_client.get(reverse("accounts:keepalive")).status_code == 405
    member_client.logout()
    response = member_client.post(reverse("accounts:keepalive"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_persistent_session_announces_its_lifetime_for_the_timeout_warning(client):
    user = MemberFactory()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD, "remember": "on"})
    page = client.get("/")
    assert f'data-session-seconds="{settings.SESSION_COOKIE_AGE}"' in page.text
    assert 'role="alertdialog"' in page.text


def test_browser_session_has_no_timeout_warning(client):
    user = MemberFactory()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert "data-session-seconds" not in client.get("/").text
