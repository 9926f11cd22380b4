import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from documents import services
from tests.documents.factories import member_of, pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(ws_member, workspace):
    return services.upload_document(
        uploader=ws_member, file=upload("bericht.pdf", pdf_bytes("v1")), workspace=workspace
    )


def test_new_version_becomes_current_and_history_lists_all(client, ws_member, document):
    version = services.add_version(
        document=document, uploader=ws_member, file=upload("bericht-2.pdf", pdf_bytes("v2")), change_note="Tippfehler"
    )
    document.refresh_from_db()
    assert version.number == 2 and document.current_version == version
    client.force_login(ws_member)
    page = client.get(document.get_absolute_url()).content.decode()
    assert "Tippfehler" in page and ws_member.display_name in page
    assert reverse("documents:version_download", args=[document.pk, 1]) in page


def test_old_version_stays_downloadable(client, ws_member, document):
    services.add_version(document=document, uploader=ws_member, file=upload("b.pdf", pdf_bytes("v2")))
    client.force_login(ws_member)
    old = client.get(reverse("documents:version_download", args=[document.pk, 1]))
    assert old.status_code == 200
    assert b"".join(old.streaming_content) == pdf_bytes("v1")


def test_identical_new_version_is_refused(ws_member, document):
    with pytest.raises(ValidationError):
        services.add_version(document=document, uploader=ws_member, file=upload("b.pdf", pdf_bytes("v1")))


def test_uploader_can_restore_older_version(client, ws_member, document):
    services.add_version(document=document, uploader=ws_member, file=upload("b.pdf", pdf_bytes("v2")))
    client.force_login(ws_member)
    response = client.post(reverse("documents:version_restore", args=[document.pk, 1]))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.current_version.number == 1
    assert document.versions.count() == 2


def test_moderator_can_restore_but_other_member_cannot(client, workspace, ws_moderator, document):
    services.add_version(document=document, uploader=document.uploaded_by, file=upload("b.pdf", pdf_bytes("v2")))
    client.force_login(member_of(workspace))
    assert client.post(reverse("documents:version_restore", args=[document.pk, 1])).status_code == 403
    client.force_login(ws_moderator)
    assert client.post(reverse("documents:version_restore", args=[document.pk, 1])).status_code == 302


def test_other_member_cannot_add_version(workspace, document):
    with pytest.raises(PermissionDenied):
        services.add_version(document=document, uploader=member_of(workspace), file=upload("b.pdf", pdf_bytes("x")))


def test_version_upload_view(client, ws_member, document):
    client.force_login(ws_member)
    response = client.post(
        reverse("documents:version_upload", args=[document.pk]),
        {"file": upload("neu.pdf", pdf_bytes("neu")), "change_note": "Zahlen 2024 ergänzt"},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.current_version.number == 2 and document.current_version.change_note == "Zahlen 2024 ergänzt"


def test_version_upload_view_shows_error_for_refused_file(client, ws_member, document):
    client.force_login(ws_member)
    response = client.post(
        reverse("documents:version_upload", args=[document.pk]), {"file": upload("x.pdf", b"MZ" + b"\x00" * 50)}
    )
    assert response.status_code == 400
    assert document.versions.count() == 1
