"""Journeys through the dates (Termine) and the legal pages in Chromium."""

import re

import pytest

pytestmark = pytest.mark.browser

PASSWORD = "Demo-Passwort-2026"
LEAN_COFFEE = "Lean Coffee: KI in der Sozialberichterstattung"


def login(page, email, password):
    """Like ``tests.browser.conftest.login``, but accepts allauth's own German label
    ("Anmeldung") as well as the portal's ("Anmelden") for the submit button."""
    page.goto("/accounts/login/")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort", exact=False).first.fill(password)
    page.locator("main").get_by_role("button", name=re.compile(r"^\s*Anmeld(en|ung)\s*$")).click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture(autouse=True, scope="module")
def _orm_beside_playwright():
    # Playwright's sync API keeps an event loop in this thread, which makes Django refuse ORM
    # calls (seeding, the flush after each test) from it. Nothing async touches the database
    # here. Module scope, so the setting outlives each test's database teardown.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


# One journey in one test: the flush after a transactional test also removes the rows of data
# migrations (Kommunen), so ``demo_data`` cannot seed a second time in the same run.
def test_dates_and_legal_pages_journey(demo_data, page, new_page, screenshot_dir):
    _planerin_registers_for_a_date_with_places(page, screenshot_dir)
    _full_date_puts_member_on_waiting_list(page)
    _staff_sees_the_form_for_a_new_date(new_page(), screenshot_dir)
    _visitor_reads_legal_pages_and_reports_a_barrier(new_page(), screenshot_dir)


def _planerin_registers_for_a_date_with_places(page, screenshot_dir):
    login(page, "planerin.jena@demo.sozialplanung.de", PASSWORD)

    page.goto("/dates/")
    page.get_by_role("heading", level=1, name="Termine").wait_for()
    page.screenshot(path=screenshot_dir / "events-list.png", full_page=True)

    page.get_by_role("link", name=LEAN_COFFEE).click()
    page.get_by_role("heading", level=1, name=LEAN_COFFEE).wait_for()
    assert page.get_by_text("0 von 12 Plätzen belegt").is_visible()
    page.get_by_role("button", name="Ich nehme teil").click()
    page.locator("#registration-status").get_by_text("Sie nehmen teil").wait_for()
    assert page.get_by_text("1 von 12 Plätzen belegt").is_visible()
    assert page.get_by_role("button", name="Abmelden").is_visible()
    page.screenshot(path=screenshot_dir / "events-detail.png", full_page=True)

    start = page.locator(".events-facts time").first.get_attribute("datetime")
    page.goto(f"/dates/calendar/{int(start[:4])}/{int(start[5:7])}/")
    table = page.get_by_role("table")
    table.get_by_role("link", name=LEAN_COFFEE).wait_for()
    page.screenshot(path=screenshot_dir / "events-month.png", full_page=True)

    page.goto("/dates/?mine=on")
    page.get_by_role("link", name=LEAN_COFFEE).wait_for()
    assert page.get_by_text("Sie nehmen teil").first.is_visible()

    page.goto("/dates/subscription/")
    page.get_by_role("button", name="Abo-Adresse erzeugen").click()
    feed_url = page.get_by_label("Ihre persönliche Abo-Adresse").input_value()
    assert "/dates/feed/" in feed_url
    page.screenshot(path=screenshot_dir / "events-subscription.png", full_page=True)


def _full_date_puts_member_on_waiting_list(page):
    page.goto("/dates/")
    page.get_by_role("link", name="Qualifizierung Modul 1: Empirische Sozialforschung").click()
    page.get_by_role("button", name="Auf die Warteliste").click()
    page.locator("#registration-status").get_by_text("Warteliste (Platz 2)").wait_for()


def _staff_sees_the_form_for_a_new_date(page, screenshot_dir):
    login(page, "admin@demo.sozialplanung.de", PASSWORD)
    page.goto("/dates/new/")
    page.get_by_role("heading", level=1, name="Neuer Termin").wait_for()
    page.get_by_label("Ganztägig").check()
    assert not page.get_by_label("Uhrzeit (Beginn)").is_visible()
    page.screenshot(path=screenshot_dir / "events-form.png", full_page=True)


def _visitor_reads_legal_pages_and_reports_a_barrier(page, screenshot_dir):
    for url, name in (
        ("/impressum/", "impressum"),
        ("/datenschutz/", "datenschutz"),
        ("/barrierefreiheit/", "barrierefreiheit"),
    ):
        page.goto(url)
        page.get_by_role("heading", level=1).wait_for()
        page.screenshot(path=screenshot_dir / f"pages-{name}.png", full_page=True)
    page.get_by_label("Welche Barriere ist Ihnen aufgefallen?").fill("Zu kurz")
    page.get_by_role("button", name="Meldung senden").click()
    page.get_by_text("mindestens 10 Zeichen").wait_for()
    page.get_by_label("Welche Barriere ist Ihnen aufgefallen?").fill(
        "Im Monatskalender sind die Termine mit dem Screenreader schwer zu finden."
    )
    page.get_by_role("button", name="Meldung senden").click()
    page.get_by_text("Vielen Dank!").wait_for()
    page.screenshot(path=screenshot_dir / "pages-feedback-sent.png", full_page=True)
