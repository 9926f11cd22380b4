"""Every write to the document library.

The upload pipeline: check permission → identify the file by its bytes and hash it in
chunks → move it to a generated name under MEDIA_ROOT/documents/ → write the rows in one
transaction. If anything after the file write fails, the file is deleted again, so there is
never a row without a file nor a file without a row (``cleanup_orphan_files`` catches what a
killed process leaves behind). Text extraction runs after commit.
"""

import hashlib
import logging
import os
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from documents import permissions
from documents.extraction import schedule_text_extraction
from documents.filetypes import FileType, detect_file_type, sanitize_filename, title_from_filename
from documents.models import Document, DocumentVersion
from notifications.services import notify
from pages import audit
from search.services import remove_from_index, update_index
from workspaces.activity import forget_activity, record_activity

logger = logging.getLogger(__name__)

STORAGE_DIR = "documents"
PENDING_DIR = "documents/pending"


@dataclass(frozen=True)
class InspectedFile:
    file_type: FileType
    sha256: str
    size: int
    original_filename: str


class DuplicateUploadError(Exception):
    """The same bytes already exist in this library; the member must confirm what to do."""

    def __init__(self, existing: Document, inspected: InspectedFile):
        super().__init__(existing.pk)
        self.existing = existing
        self.inspected = inspected


def inspect_file(file) -> InspectedFile:
    """Identify and hash an uploaded file, reading it in chunks (never whole into memory).

    Raises ``ValidationError`` with a German message for anything outside the allowlist.
    """
    name = getattr(file, "name", "") or ""
    size = file.size
    file_type = detect_file_type(file, name, size)
    digest = hashlib.sha256()
    counted = 0
    for chunk in file.chunks():
        digest.update(chunk)
        counted += len(chunk)
    if counted != size:
        raise ValidationError(_("The file is damaged or incomplete and cannot be accepted."), code="broken")
    return InspectedFile(
        file_type=file_type,
        sha256=digest.hexdigest(),
        size=size,
        original_filename=sanitize_filename(name, file_type),
    )


def _store_file(file, file_type: FileType) -> str:
    """Write the bytes under a generated name; returns the storage name."""
    name = f"{STORAGE_DIR}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{file_type.extension}"
    return default_storage.save(name, file)


def _delete_file(name: str) -> None:
    try:
        default_storage.delete(name)
    except OSError:
        logger.warning("could not delete document file %s; cleanup_document_files will", name)


def find_duplicate(*, sha256: str, workspace) -> Document | None:
    return (
        Document.objects.filter(workspace=workspace, deleted_at__isnull=True, versions__sha256=sha256)
        .order_by("-created_at")
        .first()
    )


def _workspace_recipients(workspace):
    return User.objects.members().filter(memberships__workspace=workspace)


def _announce(*, document: Document, actor, kind: str, verb: str) -> None:
    record_activity(actor=actor, verb=verb, target=document, workspace=document.workspace)
    if document.workspace_id is not None:
        notify(
            recipients=_workspace_recipients(document.workspace),
            kind=kind,
            target=document,
            actor=actor,
            workspace=document.workspace,
        )


def upload_document(
    *,
    uploader,
    file,
    workspace=None,
    title: str = "",
    description: str = "",
    kind: str = Document.Kind.SONSTIGES,
    topics=(),
    kommunen=(),
    year: int | None = None,
    allow_duplicate: bool = False,
) -> Document:
    """Create a document with its first version from ``file`` (an UploadedFile or File).

    Raises ``PermissionDenied`` when the uploader may not write there, ``ValidationError``
    for a refused file, ``DuplicateUploadError`` when the same bytes already exist in this
    library and ``allow_duplicate`` is not set.
    """
    if not permissions.can_upload_to(uploader, workspace):
        raise PermissionDenied
    inspected = inspect_file(file)
    if not allow_duplicate:
        existing = find_duplicate(sha256=inspected.sha256, workspace=workspace)
        if existing is not None:
            raise DuplicateUploadError(existing, inspected)
    stored_name = _store_file(file, inspected.file_type)
    try:
        with transaction.atomic():
            now = timezone.now()
            document = Document.objects.create(
                workspace=workspace,
                title=(title or "").strip()[:200] or title_from_filename(inspected.original_filename),
                description=description,
                kind=kind,
                year=year,
                uploaded_by=uploader,
                created_at=now,
                updated_at=now,
            )
            document.topics.set(topics)
            document.kommunen.set(kommunen)
            version = _create_version(document=document, uploader=uploader, inspected=inspected, name=stored_name)
            audit.record(actor=uploader, action="document.uploaded", target=document, file=inspected.original_filename)
            _announce(document=document, actor=uploader, kind="document_new", verb="document_uploaded")
            update_index(document)
            transaction.on_commit(lambda: schedule_text_extraction(version.pk))
    except BaseException:
        _delete_file(stored_name)
        raise
    return document


def _create_version(*, document, uploader, inspected: InspectedFile, name: str, change_note: str = "", number=1):
    version = DocumentVersion.objects.create(
        document=document,
        number=number,
        file=name,
        original_filename=inspected.original_filename,
        file_type=inspected.file_type.key,
        content_type=inspected.file_type.content_type,
        size=inspected.size,
        sha256=inspected.sha256,
        change_note=change_note[:500],
        uploaded_by=uploader,
    )
    document.current_version = version
    document.updated_at = version.created_at
    document.save(update_fields=["current_version", "updated_at"])
    return version


def add_version(*, document: Document, uploader, file, change_note: str = "", allow_identical: bool = False):
    """Add a new file as the current version. Identical bytes to the current version are
    refused unless the member confirmed it (``allow_identical``)."""
    permissions.check_edit_document(uploader, document)
    inspected = inspect_file(file)
    current = document.current_version
    if not allow_identical and current is not None and current.sha256 == inspected.sha256:
        raise ValidationError(_("This file is identical to the current version."), code="identical")
    stored_name = _store_file(file, inspected.file_type)
    try:
        with transaction.atomic():
            locked = Document.objects.select_for_update().get(pk=document.pk)
            number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
            version = _create_version(
                document=locked,
                uploader=uploader,
                inspected=inspected,
                name=stored_name,
                change_note=change_note,
                number=number,
            )
            audit.record(actor=uploader, action="document.version_added", target=locked, version=number)
            _announce(document=locked, actor=uploader, kind="document_version", verb="document_version_added")
            update_index(locked)
            transaction.on_commit(lambda: schedule_text_extraction(version.pk))
    except BaseException:
        _delete_file(stored_name)
        raise
    document.refresh_from_db()
    return version


def restore_version(*, version: DocumentVersion, by) -> Document:
    """Make an older version current again (no bytes are copied; history stays intact)."""
    document = version.document
    permissions.check_edit_document(by, document)
    with transaction.atomic():
        Document.objects.filter(pk=document.pk).update(current_version=version, updated_at=timezone.now())
        audit.record(actor=by, action="document.version_restored", target=document, version=version.number)
        document.refresh_from_db()
        update_index(document)
    return document


def update_document(*, document: Document, by, title, description, kind, topics, kommunen, year) -> Document:
    permissions.check_edit_document(by, document)
    with transaction.atomic():
        document.title = title.strip()[:200] or document.title
        document.description = description
        document.kind = kind
        document.year = year
        document.updated_at = timezone.now()
        document.save(update_fields=["title", "description", "kind", "year", "updated_at"])
        document.topics.set(topics)
        document.kommunen.set(kommunen)
        audit.record(actor=by, action="document.updated", target=document)
        update_index(document)
    return document


def delete_document(*, document: Document, by) -> None:
    """Soft delete: the document disappears at once; rows and files stay until the
    retention job (``purge_deleted_documents``) removes them."""
    permissions.check_delete_document(by, document)
    with transaction.atomic():
        Document.objects.filter(pk=document.pk).update(deleted_at=timezone.now(), deleted_by=by)
        forget_activity(document)
        remove_from_index(document)
        audit.record(actor=by, action="document.deleted", target=document)


def pin_document(*, document: Document, by, pinned: bool = True) -> Document:
    """Moderators of the document's workspace (staff for the portal-wide library) pin key documents."""
    permissions.check_view_document(by, document)
    if not permissions.can_moderate_document(by, document):
        raise PermissionDenied
    with transaction.atomic():
        document.pinned_at = timezone.now() if pinned else None
        document.save(update_fields=["pinned_at"])
        audit.record(actor=by, action="document.pinned" if pinned else "document.unpinned", target=document)
    return document


def count_download(document: Document) -> None:
    """One UPDATE … SET download_count = download_count + 1; no read-modify-write race."""
    Document.objects.filter(pk=document.pk).update(download_count=F("download_count") + 1)


def purge_deleted_documents(*, retention_days: int | None = None, now=None) -> int:
    """Remove soft-deleted documents older than the retention period, files after commit."""
    if retention_days is None:
        retention_days = settings.DOCUMENTS_DELETED_RETENTION_DAYS
    cutoff = (now or timezone.now()) - timedelta(days=retention_days)
    purged = 0
    for document in Document.objects.filter(deleted_at__lt=cutoff).only("id", "title"):
        with transaction.atomic():
            names = list(DocumentVersion.objects.filter(document=document).values_list("file", flat=True))
            audit.record(actor=None, action="document.purged", target=document)
            Document.objects.filter(pk=document.pk).update(current_version=None)
            document.delete()
            transaction.on_commit(lambda names=names: [_delete_file(name) for name in names])
        purged += 1
    return purged


def cleanup_orphan_files(*, min_age_seconds: int = 3600, dry_run: bool = False) -> list[str]:
    """Delete files under MEDIA_ROOT/documents/ that no version references (left by a crashed
    process, or an outer transaction that rolled back) and abandoned duplicate stashes.
    Files younger than ``min_age_seconds`` are spared: their upload may still be running."""
    referenced = set(DocumentVersion.objects.values_list("file", flat=True))
    root = os.path.join(settings.MEDIA_ROOT, STORAGE_DIR)
    cutoff = time.time() - min_age_seconds
    removed = []
    for directory, _dirs, files in os.walk(root):
        for filename in files:
            path = os.path.join(directory, filename)
            name = os.path.relpath(path, settings.MEDIA_ROOT).replace(os.sep, "/")
            if name in referenced or os.path.getmtime(path) > cutoff:
                continue
            removed.append(name)
            if not dry_run:
                _delete_file(name)
    return removed


# --- Duplicate confirmation: the uploaded bytes wait under a token until the member decides ---


def stash_upload(file) -> str:
    """Keep an uploaded file (already inspected) under a random token; returns the token."""
    token = secrets.token_hex(16)
    default_storage.save(f"{PENDING_DIR}/{token}", file)
    return token


def stashed_file(token: str, name: str) -> File | None:
    if not token.isalnum() or len(token) != 32:
        return None
    path = f"{PENDING_DIR}/{token}"
    if not default_storage.exists(path):
        return None
    return File(default_storage.open(path, "rb"), name=name)


def discard_stash(token: str) -> None:
    if token.isalnum() and len(token) == 32:
        _delete_file(f"{PENDING_DIR}/{token}")
