"""Journey: a planner asks to join the Arbeitskreis, the moderator admits him, and the
dashboard shows the new workspace. A members-only workspace stays a 404 for him."""

import re

import pytest
from playwright.sync_api import expect

PASSWORD = "Demo-Passwort-2026"
GERA = "planer.gera@demo.sozialplanung.de"
MODERATION = "moderation@demo.sozialplanung.de"
ARBEITSKREIS = "Arbeitskreis Sozialplanung"


def login(page, email, password):
    # Like tests.browser.conftest.login, but matches allauth's German button ("Anmeldung").
    page.goto("/accounts/login/")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name=re.compile(r"^Anmeld")).click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture(autouse=True)
def _database_beside_playwright(monkeypatch):
    # Playwright's sync API keeps an event loop running in this thread; the test's own
    # database work (seeding, flushing) is synchronous and safe here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.mark.browser
def test_join_request_approved_shows_workspace_on_dashboard(demo_data, page, new_page, screenshot_dir):
    login(page, GERA, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Willkommen")
    expect(page.locator("#my-workspaces + ul")).not_to_contain_text(ARBEITSKREIS)

    page.goto("/workspaces/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Arbeitsbereiche")
    expect(page.get_by_text("Thüringer Präventionsketten")).to_have_count(0)
    page.screenshot(path=screenshot_dir / "workspaces-list.png", full_page=True)

    page.get_by_role("link", name=re.compile(rf"Beitritt anfragen\s*:\s*{ARBEITSKREIS}")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beitritt anfragen")
    page.get_by_label("Nachricht an die Moderation (optional)").fill(
        "Ich bin Jugendhilfeplaner in Gera und möchte im Arbeitskreis mitarbeiten."
    )
    page.screenshot(path=screenshot_dir / "workspaces-request-join.png", full_page=True)
    page.get_by_role("button", name="Anfrage senden").click()
    expect(page.get_by_role("status")).to_contain_text("Ihre Anfrage wurde gesendet.")
    expect(page.locator("article", has_text=ARBEITSKREIS)).to_contain_text("Anfrage offen")

    response = page.goto("/workspaces/praeventionsketten/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Seite nicht gefunden")
    expect(page.locator("main")).not_to_contain_text("Präventionsketten")
    page.screenshot(path=screenshot_dir / "workspaces-hidden-404.png", full_page=True)

    moderator = new_page()
    login(moderator, MODERATION, PASSWORD)
    expect(moderator.get_by_role("heading", name="Offene Beitrittsanfragen")).to_be_visible()
    moderator.screenshot(path=screenshot_dir / "workspaces-dashboard-moderator.png", full_page=True)
    moderator.get_by_role("link", name=ARBEITSKREIS).last.click()
    expect(moderator.get_by_role("heading", level=1)).to_have_text("Beitrittsanfragen")
    expect(moderator.locator("main")).to_contain_text("Ich bin Jugendhilfeplaner in Gera")
    moderator.screenshot(path=screenshot_dir / "workspaces-join-requests.png", full_page=True)
    moderator.get_by_role("button", name=re.compile(r"Annehmen\s*:\s*Georg Planer")).click()
    expect(moderator.get_by_role("status")).to_contain_text("Georg Planer wurde aufgenommen.")
    expect(moderator.get_by_role("table")).to_contain_text("angenommen")
    moderator.screenshot(path=screenshot_dir / "workspaces-join-requests-decided.png", full_page=True)

    moderator.get_by_role("link", name="Mitglieder", exact=True).last.click()
    expect(moderator.get_by_role("table")).to_contain_text("Georg Planer")
    moderator.screenshot(path=screenshot_dir / "workspaces-members.png", full_page=True)
    moderator.get_by_role("link", name="Mitglied hinzufügen").click()
    moderator.get_by_label("Mitglieder suchen").fill("Jana")
    expect(moderator.locator("#member-candidates")).to_contain_text("Jana Planerin")
    moderator.screenshot(path=screenshot_dir / "workspaces-add-member.png", full_page=True)

    moderator.goto("/workspaces/praeventionsketten/")
    expect(moderator.get_by_role("heading", name="Teilnehmende Kommunen")).to_be_visible()
    moderator.screenshot(path=screenshot_dir / "workspaces-home.png", full_page=True)

    page.goto("/")
    expect(page.locator("#my-workspaces + ul")).to_contain_text(ARBEITSKREIS)
    page.screenshot(path=screenshot_dir / "workspaces-dashboard-member.png", full_page=True)
    page.get_by_role("link", name=ARBEITSKREIS).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ARBEITSKREIS)
    expect(page.locator(".workspace-actions")).to_contain_text("Mitglied")
    page.screenshot(path=screenshot_dir / "workspaces-home-arbeitskreis.png", full_page=True)
