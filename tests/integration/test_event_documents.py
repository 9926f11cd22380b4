"""Dates carry documents from their workspace library; readers see only what they may open."""

import pytest
from django.urls import reverse

from documents.services import upload_document
from events.services import attach_document, create_event
from tests.documents.factories import WorkspaceFactory, member_of, pdf_bytes
from tests.factories import MemberFactory
from workspaces.models import Membership


def _upload(uploader, workspace, title, callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    uploader = type(uploader).objects.get(pk=uploader.pk)  # memberships are cached per user object
    with callbacks(execute=True):
        return upload_document(
            uploader=uploader,
            workspace=workspace,
            title=title,
            file=SimpleUploadedFile(f"{title}.pdf", pdf_bytes(title)),
        )


@pytest.fixture
def setting(db, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    workspace = WorkspaceFactory(slug="beirat")
    moderator = member_of(workspace, role=Membership.Role.MODERATOR)
    start = timezone.now() + timedelta(days=3)
    event = create_event(
        by=moderator,
        workspace=workspace,
        title="Beiratssitzung",
        kind="beirat",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    agenda = _upload(moderator, workspace, "Tagesordnung", django_capture_on_commit_callbacks)
    return workspace, moderator, event, agenda, django_capture_on_commit_callbacks


def test_moderator_attaches_a_document_and_members_see_it(client, setting):
    workspace, moderator, event, agenda, _callbacks = setting
    client.force_login(moderator)
    response = client.post(reverse("events:attach", args=[event.pk]), {"document": agenda.pk})
    assert response.status_code == 302
    assert list(event.documents.all()) == [agenda]
    client.force_login(member_of(workspace))
    assert "Tagesordnung" in client.get(event.get_absolute_url()).content.decode()
    client.force_login(moderator)
    client.post(reverse("events:detach", args=[event.pk, agenda.pk]))
    assert not event.documents.exists()


def test_document_of_another_workspace_cannot_be_attached(client, setting):
    _workspace, moderator, event, _agenda, callbacks = setting
    other = WorkspaceFactory(slug="anderer")
    Membership.objects.create(workspace=other, user=moderator)
    foreign = _upload(moderator, other, "Fremd", callbacks)
    client.force_login(moderator)
    response = client.post(reverse("events:attach", args=[event.pk]), {"document": foreign.pk}, follow=True)
    assert "Bitte wählen Sie ein Dokument." in response.content.decode()
    assert not event.documents.exists()


def test_members_cannot_attach_and_outsiders_get_404(client, setting):
    workspace, _moderator, event, agenda, _callbacks = setting
    client.force_login(member_of(workspace))
    assert client.post(reverse("events:attach", args=[event.pk]), {"document": agenda.pk}).status_code == 403
    client.force_login(MemberFactory())
    assert client.post(reverse("events:attach", args=[event.pk]), {"document": agenda.pk}).status_code == 404
    assert not event.documents.exists()


def test_service_refuses_documents_outside_the_events_scope(setting):
    from django.core.exceptions import ValidationError

    _workspace, moderator, event, _agenda, callbacks = setting
    other = WorkspaceFactory(slug="dritter")
    Membership.objects.create(workspace=other, user=moderator)
    foreign = _upload(moderator, other, "Extern", callbacks)
    with pytest.raises(ValidationError):
        attach_document(by=moderator, event=event, document=foreign)
