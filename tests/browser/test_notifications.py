"""Live notifications in two browsers: a staff member's open page learns about a new
sign-up (made through the web UI in another browser) without reloading."""

import re

import pytest
from playwright.sync_api import expect

PASSWORD = "Demo-Passwort-2026"
pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _database_next_to_playwright(monkeypatch):
    # Playwright's sync API keeps an event loop running in this thread; the test's own
    # database work (seeding, flushing) is plain synchronous code and safe here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def login(page, email, password):
    # Like tests.browser.conftest.login, but by field names: independent of how the
    # project catalogue words the sign-in button.
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def _sign_up(page, name, email):
    page.goto("/accounts/signup/")
    page.locator("input[name=display_name]").fill(name)
    page.locator("input[name=email]").fill(email)
    page.locator("select[name=kommune]").select_option(label="Stadt Jena")
    page.locator("select[name=function]").select_option(value="sozialplanung")
    page.locator("input[name=password1]").fill("Ein-sicheres-Passwort-2026")
    page.locator("input[name=password2]").fill("Ein-sicheres-Passwort-2026")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/accounts/signup/" not in url)


def test_staff_bell_counts_up_live_when_someone_signs_up(demo_data, page, new_page, screenshot_dir):
    login(page, "admin@demo.sozialplanung.de", PASSWORD)
    page.goto("/")
    expect(page.locator("body")).to_have_attribute("data-notifications-live", "open")
    badge = page.locator("#notification-count")
    expect(badge).to_have_text(re.compile(r"^1\b"))  # the demo sign-up waiting since seeding

    # A second tab of the same staff member, to see that tabs stay consistent.
    other_tab = page.context.new_page()
    other_tab.goto("/notifications/")
    expect(other_tab.locator("body")).to_have_attribute("data-notifications-live", "open")

    visitor = new_page()
    _sign_up(visitor, "Paula Prüfer", "paula.pruefer@example.org")

    # Without any reload: the bell, the page title and the polite live region update.
    expect(badge).to_have_text(re.compile(r"^2\b"))
    expect(page).to_have_title(re.compile(r"^\(2\) "))
    expect(page.locator("#live-region")).to_have_text(
        "Neue Benachrichtigung: Neues Mitglied wartet auf Freischaltung: Paula Prüfer"
    )
    expect(other_tab.locator("#notification-count")).to_have_text(re.compile(r"^2\b"))
    # Focus stayed where it was.
    assert page.evaluate("document.activeElement === document.body")

    page.locator("#notification-bell").click()
    dropdown = page.locator(".notification-dropdown")
    expect(dropdown).to_be_visible()
    newest = dropdown.locator("#notification-items li").first
    expect(newest).to_contain_text("Paula Prüfer")
    page.screenshot(path=str(screenshot_dir / "notifications-bell-dropdown.png"))

    # Reading everything in one tab clears the bell in the other tab.
    dropdown.get_by_role("button", name="Alle als gelesen markieren").click()
    expect(badge).to_be_hidden()
    expect(other_tab.locator("#notification-count")).to_be_hidden()
    expect(other_tab).to_have_title(re.compile(r"^(?!\()"))

    # The item leads to the approval queue through the redirect endpoint.
    page.goto("/notifications/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Benachrichtigungen")
    link = page.get_by_role("link", name="Neues Mitglied wartet auf Freischaltung: Paula Prüfer")
    expect(link).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "notifications-list.png"), full_page=True)
    link.click()
    page.wait_for_url("**/members/approvals/")

    # One journey (the demo data is seeded once per test): a planner's settings page.
    planner = new_page()
    _preferences_are_saved(planner, screenshot_dir)


def _preferences_are_saved(page, screenshot_dir):
    login(page, "planerin.jena@demo.sozialplanung.de", PASSWORD)
    page.goto("/notifications/preferences/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Benachrichtigungseinstellungen")
    page.screenshot(path=str(screenshot_dir / "notifications-preferences.png"), full_page=True)
    page.get_by_label("E-Mail für „Erwähnungen meiner Person“").select_option(label="in der E-Mail-Zusammenfassung")
    page.get_by_label("wöchentlich (montags)").check()
    page.get_by_role("button", name="Einstellungen speichern").click()
    expect(page.locator(".alert")).to_contain_text("gespeichert")
    expect(page.get_by_label("E-Mail für „Erwähnungen meiner Person“")).to_have_value("digest")
    expect(page.get_by_label("wöchentlich (montags)")).to_be_checked()
