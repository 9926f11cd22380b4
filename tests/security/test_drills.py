"""Issue 9.7: reliability drills that can run on a shared machine."""

import json
import os
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

from documents.models import Document, DocumentVersion
from tests.documents.factories import pdf_bytes, upload
from tests.servers import free_port, start_portal

BASE_DIR = Path(__file__).resolve().parent.parent.parent


class Killed(BaseException):
    """Stands in for kill -9: nothing after it runs, no except-Exception handler sees it."""


@pytest.mark.django_db
def test_crash_between_file_write_and_row_leaves_a_file_that_cleanup_removes(member, settings, monkeypatch):
    import documents.services as services

    monkeypatch.setattr(services, "_delete_file", lambda name: None)  # a killed process cleans nothing
    monkeypatch.setattr(Document.objects, "create", lambda **kwargs: (_ for _ in ()).throw(Killed()))
    with pytest.raises(Killed):
        services.upload_document(uploader=member, file=upload("bericht.pdf", pdf_bytes()), title="Absturz")
    monkeypatch.undo()
    root = Path(settings.MEDIA_ROOT) / services.STORAGE_DIR
    orphans = [path for path in root.rglob("*") if path.is_file()]
    assert len(orphans) == 1 and not DocumentVersion.objects.exists()

    # A file of a running upload (younger than the grace period) is spared...
    call_command("cleanup_document_files", stdout=open(os.devnull, "w"))
    assert orphans[0].exists()
    # ...an old one is removed, and a referenced file stays.
    kept = services.upload_document(uploader=member, file=upload("bleibt.pdf", pdf_bytes("bleibt")), title="Bleibt")
    old = time.time() - 2 * 3600
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, (old, old))
    call_command("cleanup_document_files", stdout=open(os.devnull, "w"))
    assert not orphans[0].exists()
    assert (Path(settings.MEDIA_ROOT) / kept.versions.get().file.name).exists()


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def _serve(tmp_path, database_url):
    port = free_port()
    env = {
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "MEDIA_ROOT": str(tmp_path),
        "REDIS_URL": None,
    }
    return start_portal(port=port, env=env, log_path=tmp_path / f"server-{port}.log")


def test_database_unreachable_answers_503_without_traceback(tmp_path):
    """PostgreSQL down (a closed port; the shared server is never stopped): /health/ says 503
    in JSON and pages answer 503 without a traceback."""
    process, base = _serve(tmp_path, "postgres://postgres@127.0.0.1:1/portal")
    try:
        status, headers, body = _get(base + "/health/")
        assert status == 503
        assert headers["Content-Type"].startswith("application/json")
        report = json.loads(body)
        assert report
        status, _headers, body = _get(base + "/impressum/")
        assert status == 503
        assert "Traceback" not in body and "OperationalError" not in body
        status, _headers, _body = _get(base + "/health/ping/")
        assert status == 200  # the process itself is alive
    finally:
        process.terminate()
        process.wait(timeout=10)
