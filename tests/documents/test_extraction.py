"""Text extraction in a separate, resource-limited process; hostile files fail softly."""

import io
import zipfile

import pytest
from django.urls import reverse

from documents import services
from documents.extraction import extract_document_text, run_extractor
from documents.models import DocumentVersion
from tests.documents.factories import CONTENT_TYPES, docx_bytes, odt_bytes, pdf_bytes, pptx_bytes, upload, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_text_is_extracted_after_commit(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = services.upload_document(
            uploader=member, file=upload("a.pdf", pdf_bytes("Präventionskette Jena", pages=2))
        )
    version = DocumentVersion.objects.get(pk=document.current_version_id)
    assert version.extraction_status == DocumentVersion.Extraction.DONE
    assert "Präventionskette Jena" in version.text
    assert "Seite 2" in version.text


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("a.docx", docx_bytes("Konzept für die Präventionskette"), "Präventionskette"),
        ("a.xlsx", xlsx_bytes(), "Jena\t9876"),
        ("a.pptx", pptx_bytes(), "Ergebnisse aus Erfurt"),
        ("a.odt", odt_bytes(), "Arbeitskreises Sozialplanung"),
        ("a.csv", "Kommune;Wert\nSömmerda;3\n".encode("cp1252"), "Sömmerda"),
    ],
)
def test_office_and_text_files_are_extracted(member, name, content, expected):
    document = services.upload_document(uploader=member, file=upload(name, content))
    assert extract_document_text(document.current_version_id) == DocumentVersion.Extraction.DONE
    assert expected in DocumentVersion.objects.get(pk=document.current_version_id).text


def test_pdf_page_limit_is_respected(member, settings):
    settings.DOCUMENTS_EXTRACTION = {"max_pages": 2}
    document = services.upload_document(uploader=member, file=upload("a.pdf", pdf_bytes("Inhalt", pages=4)))
    extract_document_text(document.current_version_id)
    text = DocumentVersion.objects.get(pk=document.current_version_id).text
    assert "Seite 2" in text and "Seite 3" not in text


def deeply_nested_pdf(depth=200_000) -> bytes:
    nested = b"[" * depth + b"]" * depth
    body = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R /Evil " + nested + b" >>\nendobj\n"
    body += b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    xref_at = len(body)
    body += b"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000000 00000 n \n"
    body += b"trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n" + str(xref_at).encode() + b"\n%%EOF\n"
    return body


def test_deeply_nested_pdf_fails_softly_and_shows_message(client, member):
    document = services.upload_document(uploader=member, file=upload("tief.pdf", deeply_nested_pdf()))
    status = extract_document_text(document.current_version_id)
    assert status == DocumentVersion.Extraction.FAILED
    client.force_login(member)
    assert "Text konnte nicht gelesen werden" in client.get(document.get_absolute_url()).content.decode()


def test_failed_extraction_is_shown_on_the_document(client, member, monkeypatch):
    document = services.upload_document(uploader=member, file=upload("a.pdf", pdf_bytes()))
    monkeypatch.setattr("documents.extraction.run_extractor", lambda path, file_type: None)
    assert extract_document_text(document.current_version_id) == DocumentVersion.Extraction.FAILED
    client.force_login(member)
    assert "Text konnte nicht gelesen werden" in client.get(document.get_absolute_url()).content.decode()


def test_worker_refuses_zip_bomb_on_its_own(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        with archive.open("word/document.xml", "w") as entry:
            for _ in range(30):
                entry.write(b" " * (1024 * 1024))
    path = tmp_path / "bombe.docx"
    path.write_bytes(buffer.getvalue())
    assert run_extractor(str(path), "docx") is None


def run_limited(code: str, cpu_seconds=2, memory_bytes=256 * 1024 * 1024):
    import subprocess
    import sys

    from django.conf import settings

    script = (
        f"from documents.extract_worker import limit_resources; limit_resources({cpu_seconds}, {memory_bytes}); {code}"
    )
    return subprocess.run([sys.executable, "-c", script], cwd=settings.BASE_DIR, capture_output=True, timeout=30)


def test_worker_limits_stop_memory_hogs():
    assert run_limited("x = bytearray(1024 * 1024 * 1024)").returncode != 0
    assert run_limited("x = bytearray(10 * 1024 * 1024)").returncode == 0


def test_worker_limits_stop_endless_loops():
    completed = run_limited("while True: pass", cpu_seconds=1)
    assert completed.returncode != 0


def test_worker_timeout_is_enforced(tmp_path, settings):
    settings.DOCUMENTS_EXTRACTION = {"timeout": 0.01}
    path = tmp_path / "a.pdf"
    path.write_bytes(pdf_bytes())
    assert run_extractor(str(path), "pdf") is None


def test_extraction_twice_is_harmless(member):
    document = services.upload_document(uploader=member, file=upload("a.txt", b"Hallo"))
    assert extract_document_text(document.current_version_id) == "done"
    assert extract_document_text(document.current_version_id) == "done"
    assert reverse("documents:detail", args=[document.pk])
