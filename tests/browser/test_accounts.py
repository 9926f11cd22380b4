"""Accounts in a real browser: sign-in, language switch, and screenshots of every accounts page."""

import pytest

from accounts.demo import DEMO_PASSWORD
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_member_logs_in_sees_dashboard_and_switches_to_english(page, demo_data, screenshot_dir):
    page.goto("/members/")
    page.wait_for_url("**/accounts/login/?next=/members/")
    assert page.locator("html").get_attribute("lang") == "de"
    page.screenshot(path=screenshot_dir / "accounts-login.png", full_page=True)

    login(page, "planerin.jena@demo.sozialplanung.de", DEMO_PASSWORD)
    page.wait_for_url(lambda url: url.endswith("/"))
    assert "Jana Planerin" in page.get_by_role("heading", level=1).inner_text()  # the dashboard greets her
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    assert nav.get_by_role("link", name="Mitglieder").is_visible()

    page.get_by_label("Sprache").select_option("en")
    page.get_by_role("button", name="Wechseln").click()
    nav = page.get_by_role("navigation", name="Main navigation")
    nav.get_by_role("link", name="Members").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    assert nav.get_by_role("link", name="Documents").is_visible()
    assert page.get_by_role("button", name="Switch").is_visible()

    page.get_by_label("Language").select_option("de")
    page.get_by_role("button", name="Switch").click()
    page.get_by_role("navigation", name="Hauptnavigation").wait_for()

    page.goto("/members/")
    page.get_by_role("link", name="Georg Planer").wait_for()
    assert page.get_by_role("link", name="Nora Neu").count() == 0  # pending: never listed
    page.screenshot(path=screenshot_dir / "accounts-directory.png", full_page=True)

    page.goto("/accounts/profile/")
    assert page.get_by_label("Name").input_value() == "Jana Planerin"
    page.get_by_label("Kurzbiografie").fill("Sozialplanerin in Jena, Schwerpunkt Präventionsketten.")
    page.get_by_role("button", name="Profil speichern").click()
    page.get_by_text("Ihr Profil wurde gespeichert.").wait_for()
    page.screenshot(path=screenshot_dir / "accounts-profile.png", full_page=True)


def test_signup_page_and_pending_member(page, new_page, demo_data, screenshot_dir):
    page.goto("/accounts/signup/")
    assert page.get_by_role("heading", level=1).inner_text() == "Registrieren"
    for label in ("Name", "E-Mail-Adresse", "Kommune oder Institution", "Funktion", "Passwort (Wiederholung)"):
        assert page.get_by_label(label, exact=False).first.is_visible(), label
    page.screenshot(path=screenshot_dir / "accounts-signup.png", full_page=True)

    pending = new_page()
    login(pending, "neu@demo.sozialplanung.de", DEMO_PASSWORD)
    pending.wait_for_url("**/accounts/pending/")
    assert pending.get_by_role("heading", level=1).inner_text() == "Ihre Registrierung wird geprüft"
    assert pending.get_by_role("navigation", name="Hauptnavigation").get_by_role("link").count() == 1  # brand only
    pending.screenshot(path=screenshot_dir / "accounts-pending.png", full_page=True)


def test_staff_approve_a_pending_member(page, demo_data, screenshot_dir):
    login(page, "admin@demo.sozialplanung.de", DEMO_PASSWORD)
    page.goto("/members/approvals/")
    card = page.locator("section.card", has_text="Nora Neu")
    assert "Saale-Orla-Kreis" in card.inner_text()
    assert "Altenhilfeplanung" in card.inner_text()
    page.screenshot(path=screenshot_dir / "accounts-approval-queue.png", full_page=True)
    card.get_by_role("button", name="Freischalten").click()
    page.get_by_text("Nora Neu wurde freigeschaltet und per E-Mail benachrichtigt.").wait_for()
    assert page.get_by_text("Zurzeit warten keine Registrierungen auf Freischaltung.").is_visible()
