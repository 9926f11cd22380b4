"""The layout's navigation: the current section, the staff menu, per language and per user,
also where its markup is rendered once and reused ({% memo %})."""

import re

import pytest
from django.conf import settings
from django.template import Context, Template

from pages.templatetags import portal
from tests.factories import MemberFactory, StaffFactory

pytestmark = pytest.mark.django_db


def _current(body: str) -> list[str]:
    return re.findall(r'<a class="nav-link active" aria-current="page" href="[^"]*">([^<]+)</a>', body)


@pytest.mark.parametrize(
    "path, current",
    [("/", ["Übersicht"]), ("/documents/", ["Dokumente"]), ("/members/", ["Mitglieder"]), ("/impressum/", [])],
)
def test_the_current_section_is_marked_on_every_page(client, path, current):
    client.force_login(MemberFactory())
    for _ in range(2):  # the second time from the memo
        assert _current(client.get(path).content.decode()) == current


def test_the_staff_menu_is_shown_to_staff_only_whoever_came_first(client):
    staff, member = StaffFactory(display_name="Sabine Staff"), MemberFactory(display_name="Max Mitglied")
    for user, sees_staff_menu in [(staff, True), (member, False), (staff, True)]:
        client.force_login(user)
        body = client.get("/").content.decode()
        assert ("Mitglieder freischalten" in body) is sees_staff_menu
        assert user.display_name in body
        assert "Sabine Staff" not in body or user == staff


def test_each_language_has_its_own_navigation(client):
    client.force_login(MemberFactory())
    german = client.get("/documents/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/documents/").content.decode()
    assert _current(german) == ["Dokumente"] and "Impressum" in german
    assert _current(english) == ["Documents"] and "Legal notice" in english


def test_memo_blocks_are_rendered_once_per_key():
    portal._memo.clear()
    template = Template('{% load portal %}{% memo "t" key %}{{ key }}-{{ other }}{% endmemo %}')
    assert template.render(Context({"key": 1, "other": "a"})) == "1-a"
    assert template.render(Context({"key": 1, "other": "b"})) == "1-a"  # what is not a key is not looked at
    assert template.render(Context({"key": 2, "other": "b"})) == "2-b"


def test_bell_and_session_dialog_keep_each_members_count_token_and_page(client):
    from django.middleware.csrf import _does_token_match

    from notifications.services import notify

    first, second = MemberFactory(), MemberFactory()
    notify(recipients=[first], kind="workspace_announcement", data={"title": "Eins"})
    notify(recipients=[first], kind="workspace_announcement", data={"title": "Zwei"})
    for user, path, unread in [(first, "/", "2"), (second, "/documents/", None), (first, "/members/", "2")]:
        client.cookies.clear()
        client.force_login(user)
        body = client.get(path).content.decode()
        badge = re.search(
            r'<span class="badge rounded-pill text-bg-danger( d-none)?" id="notification-count"[^>]*>(\d*)', body
        )
        assert (badge.group(2) or None) == unread and bool(badge.group(1)) is (unread is None)
        assert f'<input type="hidden" name="next" value="{path}">' in body
        secret = client.cookies[settings.CSRF_COOKIE_NAME].value
        forms = {
            "bell": 'action="/notifications/read-all/">',
            "session dialog": 'class="session-timeout-form">',
        }
        for name, opening in forms.items():
            assert opening in body, name
            token = re.match(
                r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">', body.split(opening, 1)[1]
            )
            assert token and _does_token_match(token.group(1), secret), name
