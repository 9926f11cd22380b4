"""axe-core finds no WCAG 2.1 AA violation on the main pages a logged-in member sees; html lang
follows the chosen language; the thread page reflows at 400 % zoom (320 CSS px)."""

import pytest

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import login

EMAIL = "planerin.jena@demo.sozialplanung.de"
PASSWORD = "Demo-Passwort-2026"


def demo_thread():
    from forums.models import Thread

    return (
        Thread.objects.filter(board__workspace__slug="praeventionsketten", post_count__gt=2)
        .order_by("-post_count")
        .first()
    )


def member_pages():
    from django.utils import timezone

    from accounts.models import User
    from documents.models import Document
    from events.models import Event
    from workspaces.permissions import scoped_visible_q

    me = User.objects.get(email=EMAIL)
    thread = demo_thread()
    document = Document.objects.filter(scoped_visible_q(me), deleted_at__isnull=True).order_by("pk").first()
    event = Event.objects.filter(scoped_visible_q(me)).order_by("starts_at").first()
    other = User.objects.members().exclude(pk=me.pk).order_by("pk").first()
    today = timezone.localdate()
    return [
        "/",
        "/workspaces/",
        "/workspaces/praeventionsketten/",
        "/documents/",
        f"/documents/{document.pk}/",
        "/documents/upload/",
        "/forums/",
        f"/forums/boards/{thread.board_id}/",
        f"/forums/threads/{thread.pk}/",
        "/search/?q=Präventionskette",
        "/members/",
        f"/members/{other.pk}/",
        "/notifications/",
        "/notifications/preferences/",
        "/dates/",
        f"/dates/calendar/{today.year}/{today.month}/",
        f"/dates/{event.pk}/",
        "/accounts/profile/",
        "/accounts/privacy/",
    ]


@pytest.mark.browser
def test_member_pages_have_no_axe_violations(page, demo_data, screenshot_dir):
    login(page, EMAIL, PASSWORD)
    failures = []
    for path in member_pages():
        response = page.goto(path)
        assert response.status == 200, path
        try:
            assert_accessible(page, path)
        except AssertionError as error:
            failures.append(str(error))
        if path == "/accounts/privacy/":
            page.screenshot(path=str(screenshot_dir / "privacy-page.png"), full_page=True)
    assert not failures, "\n".join(failures)


@pytest.mark.browser
def test_html_lang_follows_the_chosen_language(page, demo_data):
    login(page, EMAIL, PASSWORD)
    page.goto("/")
    assert page.get_attribute("html", "lang") == "de"
    page.select_option("#language-select", "en")
    page.get_by_role("button", name="Wechseln").click()
    page.wait_for_function("document.documentElement.lang === 'en'")
    page.goto("/forums/")
    assert page.get_attribute("html", "lang") == "en"


@pytest.mark.browser
def test_thread_page_reflows_at_400_percent_zoom(page, demo_data, screenshot_dir):
    login(page, EMAIL, PASSWORD)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"/forums/threads/{demo_thread().pk}/")
    page.screenshot(path=str(screenshot_dir / "thread-320px.png"), full_page=True)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 321, scroll_width
