import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts import privacy
from accounts.models import DataExport
from documents import services as document_services
from events import services as event_services
from notifications.models import Notification
from pages import audit
from tests.documents.factories import pdf_bytes, upload
from tests.events.factories import EventFactory
from tests.factories import MemberFactory
from tests.forums.factories import BoardFactory, MembershipFactory, WorkspaceFactory, make_thread

pytestmark = pytest.mark.django_db


def _data_for(user, *, marker):
    workspace = WorkspaceFactory(name=f"Arbeitsbereich {marker}")
    MembershipFactory(workspace=workspace, user=user)
    make_thread(board=BoardFactory(), author=user, title=f"Thema {marker}", body=f"Beitrag {marker}")
    document_services.upload_document(
        uploader=user, file=upload(f"Bericht-{marker}.pdf", pdf_bytes(f"Sozialbericht {marker}")), title=f"Dok {marker}"
    )
    event_services.register(user=user, event=EventFactory(title=f"Termin {marker}", registration_enabled=True))
    Notification.objects.create(recipient=user, kind="forum_reply", data={"marker": marker})
    audit.record(actor=user, action="member.profile_updated", target=user)


def _export(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = privacy.request_data_export(user=user)
    export.refresh_from_db()
    return export


def test_export_contains_only_the_members_own_data(django_capture_on_commit_callbacks):
    me = MemberFactory(display_name="Anna Eigene")
    other = MemberFactory(display_name="Bert Fremder")
    _data_for(me, marker="EIGEN")
    _data_for(other, marker="FREMD")

    export = _export(me, django_capture_on_commit_callbacks)

    assert export.status == DataExport.Status.READY
    assert export.expires_at == export.created_at + timedelta(hours=24)
    path = privacy.export_path(export)
    assert path.parent.name == "exports" and path.exists()
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        everything = b"".join(archive.read(name) for name in names if name.endswith(".json")).decode()
        profile = json.loads(archive.read("profile.json"))
        posts = json.loads(archive.read("posts.json"))
        files = [name for name in names if name.startswith("files/")]
        file_bytes = archive.read(files[0])
    assert {
        "profile.json",
        "memberships.json",
        "threads.json",
        "posts.json",
        "documents.json",
        "document_versions.json",
        "event_registrations.json",
        "notifications.json",
        "audit.json",
    } <= names
    assert profile["email"] == me.email
    assert [post["body"] for post in posts] == ["Beitrag EIGEN"]
    for expected in ("Arbeitsbereich EIGEN", "Thema EIGEN", "Dok EIGEN", "Termin EIGEN", "member.profile_updated"):
        assert expected in everything
    assert "FREMD" not in everything and other.email not in everything and "Bert Fremder" not in everything
    assert len(files) == 1 and "Bericht-EIGEN" in files[0] and file_bytes.startswith(b"%PDF")


def test_export_link_is_mailed_to_the_member(django_capture_on_commit_callbacks):
    me = MemberFactory()
    export = _export(me, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [me.email]
    assert reverse("accounts:privacy_download", args=[export.token]) in message.body
    # The mail says until when the link works (24 hours from the export, in local time).
    assert timezone.localtime(export.expires_at).strftime("%d.%m.%Y %H:%M") in message.body
    assert timedelta(hours=23) < export.expires_at - timezone.now() <= timedelta(hours=24)


def test_requesting_an_export_from_the_page_builds_it_after_commit(client, django_capture_on_commit_callbacks):
    me = MemberFactory()
    client.force_login(me)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:privacy_export"), follow=True)
    assert response.status_code == 200
    assert "Datenexport wird vorbereitet" in response.text
    export = DataExport.objects.get(user=me)
    assert export.status == DataExport.Status.READY
    page = client.get(reverse("accounts:privacy"))
    assert reverse("accounts:privacy_download", args=[export.token]) in page.text


def test_member_downloads_own_export_as_zip(client, django_capture_on_commit_callbacks):
    me = MemberFactory()
    export = _export(me, django_capture_on_commit_callbacks)
    client.force_login(me)
    response = client.get(reverse("accounts:privacy_download", args=[export.token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).read("profile.json")


def test_other_member_gets_404_for_an_export_link(client, django_capture_on_commit_callbacks):
    export = _export(MemberFactory(), django_capture_on_commit_callbacks)
    client.force_login(MemberFactory())
    assert client.get(reverse("accounts:privacy_download", args=[export.token])).status_code == 404


def test_anonymous_visitor_is_redirected_to_login_for_an_export_link(client, django_capture_on_commit_callbacks):
    export = _export(MemberFactory(), django_capture_on_commit_callbacks)
    response = client.get(reverse("accounts:privacy_download", args=[export.token]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_expired_export_gives_404(client, django_capture_on_commit_callbacks):
    me = MemberFactory()
    export = _export(me, django_capture_on_commit_callbacks)
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    client.force_login(me)
    assert client.get(reverse("accounts:privacy_download", args=[export.token])).status_code == 404


def test_wrong_token_gives_404(client, django_capture_on_commit_callbacks):
    me = MemberFactory()
    _export(me, django_capture_on_commit_callbacks)
    client.force_login(me)
    assert client.get(reverse("accounts:privacy_download", args=["guessed"])).status_code == 404


def test_purge_deletes_expired_exports_and_their_files(django_capture_on_commit_callbacks):
    me = MemberFactory()
    old = _export(me, django_capture_on_commit_callbacks)
    fresh = _export(me, django_capture_on_commit_callbacks)
    DataExport.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    call_command("purge_data_exports", stdout=io.StringIO())

    assert not privacy.export_path(old).exists()
    assert privacy.export_path(fresh).exists()
    assert list(DataExport.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert privacy.purge_expired_exports() == 0


def test_privacy_page_is_available_to_pending_members(client):
    from tests.factories import PendingFactory

    client.force_login(PendingFactory())
    response = client.get(reverse("accounts:privacy"))
    assert response.status_code == 200
    assert "Konto löschen" in response.text or "Mein Konto löschen" in response.text
