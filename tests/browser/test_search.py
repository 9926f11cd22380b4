"""Journey: a planner finds a demo document by its inner text; a colleague outside the
workspace finds nothing; the header's quick search suggests titles while typing."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

PASSWORD = "Demo-Passwort-2026"
JENA = "planerin.jena@demo.sozialplanung.de"
GERA = "planer.gera@demo.sozialplanung.de"
DOCUMENT = "Präventionskette Jena: Konzept 2024"


@pytest.mark.browser
def test_planner_finds_document_by_inner_text_and_outsider_does_not(demo_data, page, new_page, screenshot_dir):
    login(page, JENA, PASSWORD)

    page.goto("/search/?q=Präventionskette+Jena")
    expect(page.get_by_role("heading", level=1)).to_have_text("Suche")
    result = page.locator(".search-results article", has_text=DOCUMENT)
    expect(result).to_be_visible()
    expect(result.locator("mark").first).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "search-results.png"), full_page=True)

    # Only the extracted text of the PDF contains this word, not its title or metadata.
    page.goto("/search/?q=Elternbeteiligung")
    expect(page.locator(".search-results article", has_text=DOCUMENT)).to_be_visible()
    expect(page.locator(".search-passage mark", has_text="Elternbeteiligung").first).to_be_visible()

    # The quick search in the header suggests titles after two letters.
    page.goto("/")
    page.get_by_label("Portal durchsuchen").fill("Präv")
    suggestion = page.locator("#header-search-suggestions a", has_text=re.compile("Präventionsket"))
    expect(suggestion.first).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "search-suggestions.png"))

    outsider = new_page()
    login(outsider, GERA, PASSWORD)
    outsider.goto("/search/?q=Elternbeteiligung")
    expect(outsider.get_by_role("status").first).to_contain_text("0 Ergebnisse")
    expect(outsider.locator(".search-results article")).to_have_count(0)
