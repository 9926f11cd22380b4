import pytest
from django.test import Client

from pages.models import AuditEntry, LegalPage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/impressum/", "Impressum"),
        ("/datenschutz/", "Datenschutzerklärung"),
        ("/barrierefreiheit/", "Erklärung zur Barrierefreiheit"),
    ],
)
def test_visitors_read_legal_pages(client, url, heading):
    response = client.get(url)
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in response.content.decode()


def test_accessibility_statement_has_the_bitv_structure(client):
    html = client.get("/barrierefreiheit/").content.decode()
    for section in (
        "Stand der Vereinbarkeit mit den Anforderungen",
        "Nicht barrierefreie Inhalte",
        "Erstellung dieser Erklärung",
        "Feedback und Kontakt",
        "Durchsetzungsverfahren",
        "Landesdurchsetzungsstelle",
    ):
        assert section in html
    assert 'id="feedback"' in html


def test_login_page_links_all_legal_pages(client):
    html = client.get("/accounts/login/").content.decode()
    for url in ("/impressum/", "/datenschutz/", "/barrierefreiheit/"):
        assert f'href="{url}"' in html


def test_staff_edits_legal_page_and_edit_is_audited(staff_client):
    response = staff_client.get("/impressum/bearbeiten/")
    assert response.status_code == 200
    response = staff_client.post(
        "/impressum/bearbeiten/", {"title": "Impressum", "body": "## Anbieter\n\nInstitut für Sozialplanung e. V."}
    )
    assert response.status_code == 302 and response["Location"] == "/impressum/"
    page = LegalPage.objects.get(slug="impressum")
    assert page.updated_by == staff_client.user
    entry = AuditEntry.objects.get(action="legal_page.updated")
    assert entry.actor == staff_client.user and entry.target_id == str(page.pk)
    html = staff_client.get("/impressum/").content.decode()
    assert "Institut für Sozialplanung e. V." in html


def test_legal_page_markdown_is_sanitized(staff_client):
    staff_client.post(
        "/datenschutz/bearbeiten/",
        {
            "title": "Datenschutzerklärung",
            "body": '## Rechte\n\n<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n[Link](javascript:alert(3))',
        },
    )
    html = Client().get("/datenschutz/").content.decode()
    assert "<script>alert(1)" not in html
    assert "<img" not in html
    assert 'href="javascript' not in html
    assert "<h2>Rechte</h2>" in html


def test_member_who_is_not_staff_may_not_edit(member_client):
    assert member_client.get("/impressum/bearbeiten/").status_code == 403
    assert member_client.post("/impressum/bearbeiten/", {"title": "x", "body": "y"}).status_code == 403
    assert not AuditEntry.objects.filter(action="legal_page.updated").exists()


def test_visitor_is_sent_to_login_for_editing(client):
    response = client.get("/impressum/bearbeiten/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_unknown_page_cannot_be_edited(staff_client):
    assert staff_client.get("/irgendwas/bearbeiten/").status_code == 404


def test_empty_body_is_refused_with_a_message(staff_client):
    response = staff_client.post("/impressum/bearbeiten/", {"title": "Impressum", "body": ""})
    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    assert "Anbieter" in LegalPage.objects.get(slug="impressum").body


def test_edit_link_only_for_staff(staff_client):
    assert "/impressum/bearbeiten/" in staff_client.get("/impressum/").content.decode()
    assert "/impressum/bearbeiten/" not in Client().get("/impressum/").content.decode()
