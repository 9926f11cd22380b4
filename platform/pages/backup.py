"""Backup and restore: one tar.gz holding the database as portable JSON fixtures, every file
under MEDIA_ROOT, and a manifest with row counts and SHA-256 checksums.

The JSON dump is engine-neutral, so a backup taken on PostgreSQL restores into SQLite and
back; for large production databases ``pg_dump`` remains the faster tool (docs/operations.md).
"""

import hashlib
import io
import json
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

EXCLUDED_MODELS = {"contenttypes.contenttype", "auth.permission", "sessions.session", "admin.logentry"}
MANIFEST = "manifest.json"
DATABASE = "database.json"


class BackupError(Exception):
    pass


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _models():
    for model in apps.get_models():
        if model._meta.label_lower in EXCLUDED_MODELS or model._meta.proxy or not model._meta.managed:
            continue
        yield model


def row_counts() -> dict[str, int]:
    return {model._meta.label_lower: model._default_manager.count() for model in _models()}


def create_backup(target: Path) -> dict:
    """Write the archive to ``target`` and return its manifest."""
    media_root = Path(settings.MEDIA_ROOT)
    labels = sorted(model._meta.label for model in _models())
    buffer = io.StringIO()
    with transaction.atomic():  # one consistent snapshot of every table
        call_command("dumpdata", *labels, natural_foreign=True, natural_primary=False, stdout=buffer, format="json")
        counts = row_counts()
    data = buffer.getvalue().encode("utf-8")
    files = {}
    if media_root.exists():
        for path in sorted(p for p in media_root.rglob("*") if p.is_file()):
            files[path.relative_to(media_root).as_posix()] = _sha256_file(path)
    manifest = {
        "created_at": datetime.now(UTC).isoformat(),
        "database_engine": connection.vendor,
        "database_sha256": hashlib.sha256(data).hexdigest(),
        "row_counts": counts,
        "files": files,
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(target.suffix + ".partial")
    with tarfile.open(partial, "w:gz") as archive:
        _add_bytes(archive, DATABASE, data)
        for relative in files:
            archive.add(media_root / relative, arcname=f"media/{relative}", recursive=False)
        _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8"))
    partial.replace(target)  # a killed backup never leaves a file that looks complete
    return manifest


def _add_bytes(archive, name, payload: bytes):
    info = tarfile.TarInfo(name)
    info.size = len(payload)
    info.mtime = int(datetime.now(UTC).timestamp())
    archive.addfile(info, io.BytesIO(payload))


def _has_members() -> bool:
    return apps.get_model(settings.AUTH_USER_MODEL)._default_manager.exists()


def restore_backup(source: Path, *, force: bool = False) -> dict:
    """Restore an archive into a freshly migrated database and verify every checksum.

    Reference rows that migrations create (Kommunen, Themen, legal pages) are replaced by the
    archive's. A database that already has accounts is refused unless ``force`` is set.
    """
    if _has_members() and not force:
        raise BackupError("The database already holds accounts; restore only into a fresh database (or use --force).")
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(source, "r:gz") as archive:
        manifest = json.loads(archive.extractfile(MANIFEST).read())
        data = archive.extractfile(DATABASE).read()
        if hashlib.sha256(data).hexdigest() != manifest["database_sha256"]:
            raise BackupError("database.json does not match the manifest checksum")
        for relative, checksum in manifest["files"].items():
            member = archive.getmember(f"media/{relative}")
            if not member.isfile() or ".." in Path(relative).parts or Path(relative).is_absolute():
                raise BackupError(f"unsafe entry in archive: {relative}")
            destination = media_root / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with archive.extractfile(member) as handle, destination.open("wb") as out:
                for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                    digest.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != checksum:
                raise BackupError(f"checksum mismatch for {relative}")
    call_command("flush", interactive=False, verbosity=0)
    with tempfile.TemporaryDirectory() as folder:
        fixture = Path(folder) / DATABASE
        fixture.write_bytes(data)
        # loaddata saves in dump order, resolves natural keys and resets sequences.
        call_command("loaddata", str(fixture), verbosity=0)
    counts = row_counts()
    if counts != manifest["row_counts"]:
        raise BackupError("row counts after restore differ from the manifest")
    return manifest
