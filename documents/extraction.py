"""Plain text of uploaded versions, for search.

``extract_document_text(version_id)`` is the unit of work: it is called after the upload's
transaction commits (inline in the embedded default; a task queue can call the same
function in production). The parsing happens in a separate, resource-limited process
(``documents.extract_worker``) with a wall-clock timeout, so a hostile file marks the
version as failed instead of hanging or crashing the server.
"""

import json
import logging
import subprocess
import sys

from django.conf import settings
from django.core.files.storage import default_storage

from documents.models import DocumentVersion

logger = logging.getLogger(__name__)


def extraction_limits() -> dict:
    setting = getattr(settings, "DOCUMENTS_EXTRACTION", {})
    return {
        "timeout": 30,
        "cpu_seconds": 20,
        "memory_bytes": 768 * 1024 * 1024,
        "max_pages": 500,
        "max_chars": 2_000_000,
        "max_cells": 500_000,
        "max_entries": int(getattr(settings, "DOCUMENTS_ZIP_MAX_ENTRIES", 5000)),
        "max_unzipped": int(getattr(settings, "DOCUMENTS_ZIP_MAX_UNZIPPED_SIZE", 500 * 1024 * 1024)),
        "max_ratio": int(getattr(settings, "DOCUMENTS_ZIP_MAX_RATIO", 100)),
        **setting,
    }


def run_extractor(path: str, file_type: str) -> str | None:
    """The text of the file at ``path``, or ``None`` when the worker failed or ran out of limits."""
    limits = extraction_limits()
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "documents.extract_worker", path, file_type, json.dumps(limits)],
            cwd=settings.BASE_DIR,
            capture_output=True,
            timeout=limits["timeout"],
            check=False,
            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(settings.BASE_DIR), "PYTHONDONTWRITEBYTECODE": "1"},
        )
    except subprocess.TimeoutExpired:
        logger.warning("text extraction timed out for %s", file_type)
        return None
    if completed.returncode != 0:
        logger.warning(
            "text extraction failed for %s (exit %s): %s",
            file_type,
            completed.returncode,
            completed.stderr.decode("utf-8", "replace")[-300:],
        )
        return None
    return completed.stdout.decode("utf-8", errors="replace")


def extract_document_text(version_id: int) -> str:
    """Extract and store the text of one version; returns the resulting extraction status.

    Safe to call twice: a version that is no longer pending is left alone.
    """
    version = DocumentVersion.objects.filter(pk=version_id).only("id", "file", "file_type", "extraction_status").first()
    if version is None or version.extraction_status != DocumentVersion.Extraction.PENDING:
        return version.extraction_status if version else ""
    try:
        text = run_extractor(default_storage.path(version.file.name), version.file_type)
    except Exception:  # an unexpected error must never reach the request that uploaded
        logger.exception("text extraction crashed for version %s", version_id)
        text = None
    if text is None:
        status = DocumentVersion.Extraction.FAILED
        text = ""
    else:
        status = DocumentVersion.Extraction.DONE
    DocumentVersion.objects.filter(pk=version_id).update(text=text, extraction_status=status)
    if text:
        _reindex_document_of(version_id)
    return status


def _reindex_document_of(version_id: int) -> None:
    from documents.models import Document
    from search.services import update_index

    document = Document.objects.filter(current_version_id=version_id).first()
    if document is not None:
        update_index(document)


def schedule_text_extraction(version_id: int) -> None:
    """Called on commit. Inline for now; the production worker (a task queue) replaces this call."""
    extract_document_text(version_id)
