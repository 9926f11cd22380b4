"""Journey: a planner uploads a PDF to her workspace with a progress bar, finds it by Kommune,
and a colleague outside the workspace gets the 404 page for its address."""

import os
import re

import pytest
from playwright.sync_api import expect

PASSWORD = "Demo-Passwort-2026"
JENA = "planerin.jena@demo.sozialplanung.de"
GERA = "planer.gera@demo.sozialplanung.de"
TITLE = "Fortschreibung Präventionskette Jena 2025"


@pytest.fixture(autouse=True)
def _database_beside_playwright(monkeypatch):
    # Playwright's sync API keeps an event loop running in this thread; Django then refuses
    # synchronous database calls (test data set-up and the database flush) unless allowed.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def login(page, email, password):
    """Like tests.browser.conftest.login, but accepting allauth's own "Anmeldung" label for the
    button as well as the portal's "Anmelden" (the project catalogue decides which one shows)."""
    page.goto("/accounts/login/")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name=re.compile(r"^\s*Anmeld")).click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def _ensure_workspace():
    from accounts.models import User
    from workspaces.models import Membership, Workspace

    workspace, _created = Workspace.objects.get_or_create(
        slug="praeventionsketten", defaults={"name": "Thüringer Präventionsketten"}
    )
    Membership.objects.get_or_create(workspace=workspace, user=User.objects.get(email=JENA))
    Membership.objects.filter(workspace=workspace, user__email=GERA).delete()
    return workspace


def _pdf_with_image() -> bytes:
    """About 1 MB (an incompressible image), so the throttled upload shows its progress."""
    from fpdf import FPDF
    from PIL import Image

    image = Image.frombytes("RGB", (600, 600), os.urandom(600 * 600 * 3))
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=14)
    pdf.multi_cell(0, 8, f"{TITLE}\nStand der Präventionskette in Jena-Lobeda und Winzerla.")
    pdf.image(image, x=10, y=40, w=120)
    return bytes(pdf.output())


@pytest.mark.browser
def test_planner_uploads_pdf_with_progress_and_outsider_gets_404(demo_data, page, new_page, screenshot_dir, tmp_path):
    _ensure_workspace()
    pdf_path = tmp_path / "Praeventionskette_Jena_2025.pdf"
    pdf_path.write_bytes(_pdf_with_image())

    login(page, JENA, PASSWORD)
    page.goto("/documents/upload/?workspace=praeventionsketten")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dokumente hochladen")
    page.get_by_label("Dateien").set_input_files(str(pdf_path))
    expect(page.locator("[data-selected-files]")).to_contain_text("Praeventionskette_Jena_2025.pdf")
    expect(page.get_by_label("Ablageort")).to_have_value("praeventionsketten")
    page.get_by_label("Titel").fill(TITLE)
    page.get_by_label("Dokumentart").select_option(label="Konzept")
    page.get_by_label("Betroffene Kommunen").select_option(label="Stadt Jena")
    page.get_by_label("Präventionsketten").check()
    page.screenshot(path=str(screenshot_dir / "documents-upload.png"), full_page=True)

    # Slow the upload down (about 1 MB at 300 KB/s) so the progress bar can be watched.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 20, "downloadThroughput": -1, "uploadThroughput": 300 * 1024},
    )
    page.get_by_role("button", name="Hochladen", exact=True).click()
    progress = page.locator("#upload-progress")
    expect(progress).to_be_visible()
    expect(progress).to_have_attribute("data-percent", re.compile(r"^[1-9][0-9]*$"))
    page.screenshot(path=str(screenshot_dir / "documents-upload-progress.png"))
    page.wait_for_url(re.compile(r"/documents/\d+/$"), timeout=60_000)
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    document_url = page.url

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("Arbeitsbereich: Thüringer Präventionsketten")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"Herunterladen \(PDF"))).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "documents-detail.png"), full_page=True)

    page.goto("/documents/")
    page.get_by_label("Kommune").select_option(label="Stadt Jena")
    page.get_by_role("button", name="Filter", exact=True).click()
    page.wait_for_url(re.compile(r"kommune=stadt-jena"))
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "documents-list.png"), full_page=True)

    gera = new_page()
    login(gera, GERA, PASSWORD)
    response = gera.goto(document_url)
    assert response.status == 404
    expect(gera.get_by_role("heading", level=1)).to_have_text("Seite nicht gefunden")
    assert TITLE not in gera.content()
    download = gera.request.get(document_url + "download/")
    assert download.status == 404
    gera.goto("/documents/")
    expect(gera.get_by_role("link", name=TITLE)).to_have_count(0)
