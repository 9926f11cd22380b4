import os
import tempfile
import tracemalloc
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Kommune, Topic
from documents import services
from documents.models import Document, DocumentVersion
from tests.documents.factories import docx_bytes, pdf_bytes, upload
from tests.factories import PendingFactory

pytestmark = pytest.mark.django_db


def stored_files(settings):
    root = Path(settings.MEDIA_ROOT) / "documents"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_upload_document_stores_file_under_generated_name(ws_member, workspace, settings):
    document = services.upload_document(
        uploader=ws_member,
        file=upload("../../Sozialbericht Jena.pdf", pdf_bytes()),
        workspace=workspace,
        kind=Document.Kind.SOZIALBERICHT,
        year=2024,
        kommunen=[Kommune.objects.get(slug="stadt-jena")],
        topics=[Topic.objects.get(slug="sozialberichterstattung")],
    )
    version = document.current_version
    assert document.title == "Sozialbericht Jena"
    assert version.number == 1 and version.file_type == "pdf" and version.content_type == "application/pdf"
    assert version.original_filename == "Sozialbericht Jena.pdf"
    assert version.file.name.startswith("documents/") and "Sozialbericht" not in version.file.name
    assert len(version.sha256) == 64
    path = Path(settings.MEDIA_ROOT) / version.file.name
    assert path.read_bytes()[:5] == b"%PDF-"
    assert Path(settings.MEDIA_ROOT) in path.parents
    assert version.extraction_status == DocumentVersion.Extraction.PENDING


def test_nul_bytes_and_very_long_names_are_harmless(member, settings):
    document = services.upload_document(uploader=member, file=upload("a\x00b" + "x" * 300 + ".pdf", pdf_bytes()))
    version = document.current_version
    assert "\x00" not in version.original_filename and len(version.original_filename) <= 150
    assert len(document.title) <= 200
    assert len(stored_files(settings)) == 1


def test_refused_file_leaves_nothing_behind(member, settings):
    with pytest.raises(ValidationError):
        services.upload_document(uploader=member, file=upload("bericht.pdf", b"MZ\x90\x00" + b"\x00" * 64))
    assert Document.objects.count() == 0
    assert stored_files(settings) == []


def test_non_member_of_workspace_cannot_upload_there(outsider, workspace):
    with pytest.raises(PermissionDenied):
        services.upload_document(uploader=outsider, file=upload("a.pdf", pdf_bytes()), workspace=workspace)


def test_pending_member_cannot_upload(db):
    with pytest.raises(PermissionDenied):
        services.upload_document(uploader=PendingFactory(), file=upload("a.pdf", pdf_bytes()))


def test_failure_mid_upload_leaves_neither_row_nor_file(ws_member, workspace, settings, monkeypatch):
    def explode(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "record_activity", explode)
    with pytest.raises(RuntimeError):
        services.upload_document(uploader=ws_member, file=upload("a.pdf", pdf_bytes()), workspace=workspace)
    assert Document.objects.count() == 0 and DocumentVersion.objects.count() == 0
    assert stored_files(settings) == []


def test_cleanup_command_removes_orphans_and_keeps_referenced_files(member, settings):
    document = services.upload_document(uploader=member, file=upload("a.pdf", pdf_bytes()))
    orphan_dir = Path(settings.MEDIA_ROOT) / "documents" / "2020" / "01"
    orphan_dir.mkdir(parents=True)
    old_orphan = orphan_dir / "deadbeef.pdf"
    old_orphan.write_bytes(b"%PDF-1.4 left behind")
    os.utime(old_orphan, (1_600_000_000, 1_600_000_000))
    young_orphan = orphan_dir / "fresh.pdf"
    young_orphan.write_bytes(b"%PDF-1.4 upload still running")
    referenced = Path(settings.MEDIA_ROOT) / document.current_version.file.name
    os.utime(referenced, (1_600_000_000, 1_600_000_000))

    call_command("cleanup_document_files", stdout=open(os.devnull, "w"))

    assert not old_orphan.exists()
    assert young_orphan.exists()
    assert referenced.exists()


def test_upload_of_50_mb_keeps_memory_flat(member, settings):
    size = 50 * 1024 * 1024
    uploaded = TemporaryUploadedFile("gross.pdf", "application/pdf", size, None)
    uploaded.write(b"%PDF-1.4\n")
    chunk = bytes(range(256)) * 4096
    written = 9
    while written < size:
        part = chunk[: size - written]
        uploaded.write(part)
        written += len(part)
    uploaded.flush()
    uploaded.seek(0)
    assert uploaded.size == size
    # Warm up once, so lazily loaded modules and translation catalogues are not measured.
    services.upload_document(uploader=member, file=upload("klein.pdf", pdf_bytes("klein")))

    tracemalloc.start()
    try:
        document = services.upload_document(uploader=member, file=uploaded)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        uploaded.close()
    assert document.current_version.size == size
    assert peak < 2 * 1024 * 1024, f"peak {peak / 1024 / 1024:.1f} MB"


# --- Views ----------------------------------------------------------------------------


def test_upload_page_renders(member_client):
    response = member_client.get(reverse("documents:upload"))
    assert response.status_code == 200
    assert b'type="file"' in response.content and b"multiple" in response.content


def test_upload_form_creates_document_and_redirects_to_it(client, ws_member, workspace):
    client.force_login(ws_member)
    response = client.post(
        reverse("documents:upload"),
        {"files": upload("Konzept.docx", docx_bytes()), "workspace": workspace.slug, "kind": "konzept", "title": ""},
    )
    document = Document.objects.get()
    assert response.status_code == 302 and response.url == document.get_absolute_url()
    assert document.workspace == workspace and document.title == "Konzept" and document.kind == "konzept"


def test_upload_of_several_files_creates_one_document_each(member_client):
    response = member_client.post(
        reverse("documents:upload"),
        {"files": [upload("eins.pdf", pdf_bytes("eins")), upload("zwei.docx", docx_bytes())], "kind": "sonstiges"},
    )
    assert response.status_code == 302 and response.url == reverse("documents:list")
    assert sorted(Document.objects.values_list("title", flat=True)) == ["eins", "zwei"]


def test_upload_by_xhr_answers_json(member_client):
    response = member_client.post(
        reverse("documents:upload"),
        {"files": upload("eins.pdf", pdf_bytes()), "kind": "sonstiges"},
        headers={"X-Requested-With": "XMLHttpRequest"},
    )
    assert response.status_code == 200
    assert response.json()["redirect"] == Document.objects.get().get_absolute_url()


def test_refused_file_shows_german_message_and_no_500(member_client):
    response = member_client.post(
        reverse("documents:upload"),
        {"files": upload("bericht.pdf", b"<html><script>alert(1)</script></html>"), "kind": "sonstiges"},
        headers={"Accept-Language": "de"},
    )
    assert response.status_code == 400
    assert "Webseiten" in response.content.decode()
    assert Document.objects.count() == 0


def test_upload_into_foreign_workspace_is_refused_by_the_form(client, outsider, workspace):
    client.force_login(outsider)
    response = client.post(
        reverse("documents:upload"),
        {"files": upload("a.pdf", pdf_bytes()), "workspace": workspace.slug, "kind": "sonstiges"},
    )
    assert response.status_code == 400
    assert Document.objects.count() == 0


def test_oversize_upload_gets_413_with_german_page(member_client, settings):
    settings.DOCUMENTS_MAX_UPLOAD_SIZE = 10_000
    response = member_client.post(
        reverse("documents:upload"), {"files": upload("gross.pdf", b"%PDF-1.4\n" + b"0" * 20_000), "kind": "sonstiges"}
    )
    assert response.status_code == 413
    assert "größer als" in response.content.decode()
    assert Document.objects.count() == 0
    assert stored_files(settings) == []


def test_oversize_upload_by_xhr_gets_413_json(member_client, settings):
    settings.DOCUMENTS_MAX_UPLOAD_SIZE = 10_000
    response = member_client.post(
        reverse("documents:upload"),
        {"files": upload("gross.pdf", b"%PDF-1.4\n" + b"0" * 20_000), "kind": "sonstiges"},
        headers={"X-Requested-With": "XMLHttpRequest"},
    )
    assert response.status_code == 413 and "größer" in response.json()["error"]


# --- Duplicates -------------------------------------------------------------------------


def test_same_bytes_in_same_place_raise_duplicate(ws_member, workspace):
    content = pdf_bytes("Einmalig")
    first = services.upload_document(uploader=ws_member, file=upload("a.pdf", content), workspace=workspace)
    with pytest.raises(services.DuplicateUploadError) as excinfo:
        services.upload_document(uploader=ws_member, file=upload("b.pdf", content), workspace=workspace)
    assert excinfo.value.existing == first
    # Another place is not a duplicate.
    services.upload_document(uploader=ws_member, file=upload("b.pdf", content), workspace=None)


def test_duplicate_upload_asks_and_can_add_a_new_version(client, ws_member, workspace, settings):
    client.force_login(ws_member)
    content = pdf_bytes("Doppelt")
    first = services.upload_document(uploader=ws_member, file=upload("a.pdf", content), workspace=workspace)
    response = client.post(
        reverse("documents:upload"), {"files": upload("a.pdf", content), "workspace": workspace.slug, "kind": "studie"}
    )
    assert response.status_code == 302 and response.url == reverse("documents:duplicates")
    assert Document.objects.count() == 1
    page = client.get(response.url)
    assert page.status_code == 200 and first.title in page.content.decode()
    token = next(iter(client.session["documents_pending_duplicates"]))
    client.post(reverse("documents:duplicates"), {f"{token}-action": "version"})
    first.refresh_from_db()
    assert Document.objects.count() == 1
    assert first.current_version.number == 2
    assert not (Path(settings.MEDIA_ROOT) / "documents" / "pending" / token).exists()


def test_duplicate_upload_can_be_kept_as_separate_document(client, ws_member, workspace):
    client.force_login(ws_member)
    content = pdf_bytes("Doppelt")
    services.upload_document(uploader=ws_member, file=upload("a.pdf", content), workspace=workspace)
    client.post(
        reverse("documents:upload"), {"files": upload("a.pdf", content), "workspace": workspace.slug, "kind": "studie"}
    )
    token = next(iter(client.session["documents_pending_duplicates"]))
    client.post(reverse("documents:duplicates"), {f"{token}-action": "separate"})
    assert Document.objects.count() == 2


def test_duplicate_upload_can_be_discarded(client, ws_member, workspace, settings):
    client.force_login(ws_member)
    content = pdf_bytes("Doppelt")
    services.upload_document(uploader=ws_member, file=upload("a.pdf", content), workspace=workspace)
    client.post(
        reverse("documents:upload"), {"files": upload("a.pdf", content), "workspace": workspace.slug, "kind": "studie"}
    )
    token = next(iter(client.session["documents_pending_duplicates"]))
    client.post(reverse("documents:duplicates"), {f"{token}-action": "discard"})
    assert Document.objects.count() == 1
    assert len(stored_files(settings)) == 1


def test_temp_dir_is_not_left_with_upload_files(member):
    before = set(os.listdir(tempfile.gettempdir()))
    services.upload_document(uploader=member, file=upload("a.pdf", pdf_bytes()))
    assert set(os.listdir(tempfile.gettempdir())) - before == set()
