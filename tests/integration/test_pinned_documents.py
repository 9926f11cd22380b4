"""Moderators pin key documents; the workspace home shows them; members cannot pin."""

import pytest
from django.urls import reverse

from documents.services import upload_document
from tests.documents.factories import WorkspaceFactory, member_of, pdf_bytes
from workspaces.models import Membership


@pytest.fixture
def document(db, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    workspace = WorkspaceFactory(slug="arbeitskreis")
    author = member_of(workspace)
    with django_capture_on_commit_callbacks(execute=True):
        return upload_document(
            uploader=author,
            workspace=workspace,
            title="Leitfaden Sozialbericht",
            file=SimpleUploadedFile("l.pdf", pdf_bytes()),
        )


def test_moderator_pins_and_the_workspace_home_shows_it(client, document):
    moderator = member_of(document.workspace, role=Membership.Role.MODERATOR)
    client.force_login(moderator)
    response = client.post(reverse("documents:pin", args=[document.pk]), {"pinned": "1"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.pinned_at is not None
    home = client.get(document.workspace.get_absolute_url()).content.decode()
    assert "Wichtige Dokumente" in home and "Leitfaden Sozialbericht" in home
    client.post(reverse("documents:pin", args=[document.pk]), {"pinned": "0"})
    document.refresh_from_db()
    assert document.pinned_at is None


def test_member_cannot_pin_and_outsider_gets_404(client, document):
    from tests.factories import MemberFactory

    client.force_login(member_of(document.workspace))
    assert client.post(reverse("documents:pin", args=[document.pk])).status_code == 403
    client.force_login(MemberFactory())
    assert client.post(reverse("documents:pin", args=[document.pk])).status_code == 404
    document.refresh_from_db()
    assert document.pinned_at is None
