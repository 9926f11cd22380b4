import pytest
from django.urls import reverse

from documents import services
from documents.models import Document
from tests.documents.factories import pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(member):
    return services.upload_document(uploader=member, file=upload("Bericht Jena – Übersicht.pdf", pdf_bytes()))


def test_download_is_an_attachment_with_safe_headers(member_client, document):
    response = member_client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''Bericht%20Jena%20%E2%80%93%20%C3%9Cbersicht.pdf" in disposition.lower() or (
        "filename*=" in disposition
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    assert response["Content-Type"] == "application/pdf"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_download_counter_increments_with_one_update(member_client, document, django_assert_num_queries):
    url = reverse("documents:download", args=[document.pk])
    member_client.get(url)
    member_client.get(url)
    assert Document.objects.get(pk=document.pk).download_count == 2


def test_download_count_uses_a_single_update_statement(document, django_assert_num_queries):
    with django_assert_num_queries(1) as captured:
        services.count_download(document)
    assert captured.captured_queries[0]["sql"].upper().startswith("UPDATE")


def test_x_accel_redirect_hands_the_bytes_to_nginx(member_client, document, settings):
    settings.DOCUMENTS_X_ACCEL_REDIRECT = "/internal-media/"
    response = member_client.get(reverse("documents:download", args=[document.pk]))
    assert response["X-Accel-Redirect"] == "/internal-media/" + document.current_version.file.name
    assert response.content == b""
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_text_files_download_as_attachment_too(member_client, member):
    document = services.upload_document(uploader=member, file=upload("notiz.txt", b"Hallo <b>Welt</b>"))
    response = member_client.get(reverse("documents:download", args=[document.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"].startswith("text/plain")
