"""Outsiders see 404 exactly like a non-existent id; visible-but-not-allowed actions get 403."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from documents import services
from documents.models import Document
from tests.documents.factories import WorkspaceFactory, member_of, pdf_bytes, upload
from workspaces.models import Workspace

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_document(ws_member, workspace):
    return services.upload_document(
        uploader=ws_member, file=upload("intern.pdf", pdf_bytes("intern")), workspace=workspace
    )


def urls_for(document_pk):
    return [
        reverse("documents:detail", args=[document_pk]),
        reverse("documents:download", args=[document_pk]),
        reverse("documents:version_download", args=[document_pk, 1]),
        reverse("documents:edit", args=[document_pk]),
        reverse("documents:delete", args=[document_pk]),
        reverse("documents:version_upload", args=[document_pk]),
    ]


def test_non_member_gets_404_for_private_document(client, outsider, private_document):
    client.force_login(outsider)
    for url in urls_for(private_document.pk):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("documents:version_restore", args=[private_document.pk, 1]))
    assert response.status_code == 404


def test_404_for_private_document_is_identical_to_missing_id(client, outsider, private_document):
    client.force_login(outsider)
    hidden_url = reverse("documents:detail", args=[private_document.pk])
    missing_url = reverse("documents:detail", args=[999_999])
    hidden, missing = client.get(hidden_url), client.get(missing_url)
    assert hidden.status_code == missing.status_code == 404

    def normalised(response, url):
        # Only the CSRF token and the page's own address (language switch) may differ.
        content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", response.content)
        return content.replace(url.encode(), b"URL")

    assert normalised(hidden, hidden_url) == normalised(missing, missing_url)


@pytest.mark.parametrize("document_pk", [999_999, 2**63, 10**30])
def test_an_id_no_document_has_is_404(client, ws_member, document_pk):
    """Ids beyond a 64-bit integer too: the document is looked up by a compiled statement."""
    client.force_login(ws_member)
    for url in urls_for(document_pk):
        assert client.get(url).status_code == 404, url


def test_anonymous_is_sent_to_login(client, private_document):
    for url in [reverse("documents:list"), reverse("documents:upload"), *urls_for(private_document.pk)]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url, url


def test_pending_member_cannot_open_documents(client, private_document):
    from tests.factories import PendingFactory

    client.force_login(PendingFactory())
    response = client.get(reverse("documents:list"))
    assert response.status_code == 302 and "pending" in response.url


def test_member_sees_workspace_document(client, workspace, private_document):
    client.force_login(member_of(workspace))
    assert client.get(reverse("documents:detail", args=[private_document.pk])).status_code == 200
    assert client.get(reverse("documents:download", args=[private_document.pk])).status_code == 200


def test_portal_visible_workspace_documents_are_readable_by_all_members(client, outsider):
    open_workspace = WorkspaceFactory(visibility=Workspace.Visibility.PORTAL, join_policy=Workspace.JoinPolicy.OPEN)
    document = services.upload_document(
        uploader=member_of(open_workspace), file=upload("a.pdf", pdf_bytes()), workspace=open_workspace
    )
    client.force_login(outsider)
    assert client.get(document.get_absolute_url()).status_code == 200


def test_other_member_may_view_but_not_edit_or_delete(client, workspace, private_document):
    client.force_login(member_of(workspace))
    assert client.get(reverse("documents:edit", args=[private_document.pk])).status_code == 403
    assert client.get(reverse("documents:delete", args=[private_document.pk])).status_code == 403
    assert client.post(reverse("documents:delete", args=[private_document.pk])).status_code == 403
    assert client.get(reverse("documents:version_upload", args=[private_document.pk])).status_code == 403
    private_document.refresh_from_db()
    assert private_document.deleted_at is None


def test_uploader_can_edit_metadata(client, ws_member, private_document):
    client.force_login(ws_member)
    response = client.post(
        reverse("documents:edit", args=[private_document.pk]),
        {"title": "Neuer Titel", "description": "Kurz", "kind": "evaluation", "year": "2023"},
    )
    assert response.status_code == 302
    private_document.refresh_from_db()
    assert (private_document.title, private_document.kind, private_document.year) == ("Neuer Titel", "evaluation", 2023)


def test_uploader_cannot_delete_but_moderator_can(client, ws_member, ws_moderator, private_document):
    client.force_login(ws_member)
    assert client.post(reverse("documents:delete", args=[private_document.pk])).status_code == 403
    client.force_login(ws_moderator)
    response = client.post(reverse("documents:delete", args=[private_document.pk]))
    assert response.status_code == 302
    private_document.refresh_from_db()
    assert private_document.deleted_at is not None
    assert client.get(private_document.get_absolute_url()).status_code == 404


def test_staff_can_delete_portal_wide_document(staff_client, member):
    document = services.upload_document(uploader=member, file=upload("a.pdf", pdf_bytes()))
    assert staff_client.post(reverse("documents:delete", args=[document.pk])).status_code == 302
    assert Document.objects.get().deleted_at is not None


def test_deleted_document_keeps_file_until_purged(ws_moderator, private_document, settings):
    from pathlib import Path

    path = Path(settings.MEDIA_ROOT) / private_document.current_version.file.name
    services.delete_document(document=private_document, by=ws_moderator)
    assert path.exists()
    assert services.purge_deleted_documents(retention_days=30) == 0
    Document.objects.filter(pk=private_document.pk).update(deleted_at=timezone.now() - timezone.timedelta(days=31))
    assert services.purge_deleted_documents(retention_days=30) == 1
    assert not Document.objects.exists()


def test_purge_command_deletes_files_after_commit(
    ws_moderator, private_document, settings, django_capture_on_commit_callbacks
):
    from pathlib import Path

    from django.core.management import call_command

    path = Path(settings.MEDIA_ROOT) / private_document.current_version.file.name
    services.delete_document(document=private_document, by=ws_moderator)
    Document.objects.filter(pk=private_document.pk).update(deleted_at=timezone.now() - timezone.timedelta(days=90))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_deleted_documents", stdout=open("/dev/null", "w"))
    assert not Document.objects.exists()
    assert not path.exists()
