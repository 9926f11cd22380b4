import pytest

from documents import services
from notifications.models import Notification
from tests.documents.factories import member_of, pdf_bytes, upload
from workspaces.models import Activity

pytestmark = pytest.mark.django_db


def test_new_document_notifies_workspace_members_except_uploader(
    workspace, ws_member, outsider, django_capture_on_commit_callbacks
):
    colleague = member_of(workspace)
    with django_capture_on_commit_callbacks() as callbacks:
        document = services.upload_document(uploader=ws_member, file=upload("a.pdf", pdf_bytes()), workspace=workspace)
    assert callbacks, "push and extraction are queued on commit"
    rows = Notification.objects.filter(kind="document_new")
    assert [n.recipient for n in rows] == [colleague]
    assert rows[0].target == document and rows[0].workspace == workspace
    activity = Activity.objects.get(verb="document_uploaded")
    assert activity.workspace == workspace and activity.target_title == document.title


def test_new_version_notifies_members(workspace, ws_member):
    colleague = member_of(workspace)
    document = services.upload_document(uploader=ws_member, file=upload("a.pdf", pdf_bytes("1")), workspace=workspace)
    services.add_version(document=document, uploader=ws_member, file=upload("b.pdf", pdf_bytes("2")))
    assert list(Notification.objects.filter(kind="document_version").values_list("recipient", flat=True)) == [
        colleague.pk
    ]
    assert Activity.objects.filter(verb="document_version_added").exists()


def test_portal_wide_upload_notifies_nobody(member):
    member_of_nothing = member
    services.upload_document(uploader=member_of_nothing, file=upload("a.pdf", pdf_bytes()))
    assert not Notification.objects.exists()


def test_kinds_and_target_are_registered():
    from documents.models import Document
    from notifications.registry import kinds, target_type_for

    assert {"document_new", "document_version"} <= set(kinds())
    assert target_type_for(Document()) is not None


def test_deleting_removes_the_activity(workspace, ws_member, ws_moderator):
    document = services.upload_document(uploader=ws_member, file=upload("a.pdf", pdf_bytes()), workspace=workspace)
    services.delete_document(document=document, by=ws_moderator)
    assert not Activity.objects.filter(target_id=document.pk, verb="document_uploaded").exists()
