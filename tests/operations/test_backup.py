import hashlib
import tarfile

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from pages import audit
from pages.backup import row_counts
from tests.factories import MemberFactory, StaffFactory


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_fresh_database_with_same_rows_and_files(settings, tmp_path):
    staff = StaffFactory()
    members = MemberFactory.create_batch(3)
    audit.record(actor=staff, action="member.approved", target=members[0])
    stored = settings.MEDIA_ROOT / "documents" / "ab" / "file.bin"
    stored.parent.mkdir(parents=True)
    stored.write_bytes(b"%PDF-1.7 payload " * 1000)
    checksum = hashlib.sha256(stored.read_bytes()).hexdigest()
    archive = tmp_path / "backup.tar.gz"

    call_command("backup", output=str(archive), stdout=open("/dev/null", "w"))
    counts_before = row_counts()

    call_command("flush", interactive=False, verbosity=0)
    stored.unlink()
    assert User.objects.count() == 0

    call_command("restore", str(archive), stdout=open("/dev/null", "w"))

    assert row_counts() == counts_before
    assert User.objects.filter(email=members[0].email).exists()
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == checksum
    restored = User.objects.get(email=members[1].email)
    assert restored.check_password("Test-Passwort-2026")


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_database_with_accounts(tmp_path):
    MemberFactory()
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), stdout=open("/dev/null", "w"))
    with pytest.raises(CommandError, match="already holds accounts"):
        call_command("restore", str(archive))


@pytest.mark.django_db(transaction=True)
def test_restore_rejects_tampered_archive(tmp_path):
    MemberFactory()
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), stdout=open("/dev/null", "w"))
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive, "r:gz") as source, tarfile.open(tampered, "w:gz") as target:
        for member in source.getmembers():
            payload = source.extractfile(member).read()
            if member.name == "database.json":
                payload = payload.replace(b"person", b"PERSON", 1)
                member.size = len(payload)
            import io

            target.addfile(member, io.BytesIO(payload))
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(tampered))
