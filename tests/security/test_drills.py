"""Issue 9.7: reliability drills that can run on a shared machine."""

import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.core.management import call_command

from documents.models import Document, DocumentVersion
from tests.documents.factories import pdf_bytes, upload
from tests.servers import free_port, start_portal, stop_portal

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


# --- PostgreSQL restarted under load ---------------------------------------------------------

PG_BINDIR = next(
    (
        Path(folder)
        for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
        if os.access(Path(folder) / "initdb", os.X_OK) and os.access(Path(folder) / "pg_ctl", os.X_OK)
    ),
    None,
)
UNAVAILABLE_H1 = "<h1>Vorübergehend nicht erreichbar</h1>"
DEMO_MEMBER = "planerin.jena@demo.sozialplanung.de"
DEMO_PASSWORD = "Demo-Passwort-2026"
# Long enough that requests meet every state of the server going away: connections cut
# mid-query, refused new connections, and the health check of a dead persistent connection.
MIN_OUTAGE_SECONDS = 3


class PrivatePostgres:
    """A throwaway cluster on a free port, run by the ``postgres`` OS user, so the drill can
    stop and start a database server without touching the shared one."""

    def __init__(self, root: Path, port: int):
        self.root, self.port = root, port
        self.data = root / "data"

    def _run(self, program, *args):
        return subprocess.run(
            ["runuser", "-u", "postgres", "--", str(PG_BINDIR / program), *args],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        )

    def init(self):
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")

    def start(self):
        # fsync off: the cluster lives for one test; its data need not survive a power cut.
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "postgres.log"), "-o", options, "-w", "start")

    def stop(self, mode="fast"):
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def createdb(self, name):
        self._run("createdb", "-h", str(self.root), "-p", str(self.port), "-U", "postgres", name)

    def connections(self, name) -> int:
        """Server processes connected to database ``name`` (psql itself uses "postgres")."""
        query = f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{name}'"
        return int(
            self._run("psql", "-h", str(self.root), "-p", str(self.port), "-U", "postgres", "-Atc", query).stdout
        )

    def url(self, name):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


@pytest.fixture
def private_postgres():
    # Not pytest's tmp_path: its parent folders are private to root, and the postgres user
    # must reach the data folder and the socket.
    root = Path(tempfile.mkdtemp(prefix="portal-drill-pg-"))
    shutil.chown(root, "postgres", "postgres")
    cluster = PrivatePostgres(root, free_port())
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        try:
            cluster.stop(mode="immediate")
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(root, ignore_errors=True)


def _manage(*args, env):
    subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _browser(base, email=None, password=None):
    """An opener with its own cookie jar that does not follow redirects, so a logged-in page
    that lost its session shows up as a redirect instead of a login form with status 200.
    With ``email``, logs in through the real login form first."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect)
    if email:
        with opener.open(base + "/accounts/login/", timeout=10) as response:
            form = response.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "login": email, "password": password}).encode()
        try:
            opener.open(base + "/accounts/login/", data=data, timeout=10)
            raise AssertionError("the login form did not redirect: wrong password or a form error")
        except urllib.error.HTTPError as error:
            assert error.code == 302 and error.headers["Location"] == "/", (error.code, error.headers["Location"])
    return opener


def _fetch(opener, url):
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")
    except OSError as error:  # the portal itself must stay up; record it as a failure
        return 0, repr(error)


def _load(base, member, stop, log):
    """Request health, the login page and two member pages round after round until ``stop``
    is set; each answer goes to ``log`` as (monotonic time, page, status, body)."""
    anonymous = _browser(base)
    pages = [
        ("health", anonymous, "/health/"),
        ("login", anonymous, "/accounts/login/"),
        ("dashboard", member, "/"),
        ("documents", member, "/documents/"),
    ]
    while not stop.is_set():
        for name, opener, path in pages:
            status, body = _fetch(opener, base + path)
            log.append((time.monotonic(), name, status, body))


def _acceptable_while_down(name, status, body):
    """Success, or the clean 503: JSON from /health/, the German page everywhere else."""
    if status == 200:
        return True
    if status != 503 or "Traceback" in body:
        return False
    return json.loads(body)["status"] == "error" if name == "health" else UNAVAILABLE_H1 in body


def _member_page_ok(name, status, body):
    return status == 200 and (name != "dashboard" or "Jana Planerin" in body)


def _wait_for(condition, *, timeout, what):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout} s for {what}")
        time.sleep(0.05)


@pytest.mark.skipif(PG_BINDIR is None, reason="PostgreSQL server binaries (initdb, pg_ctl) are not installed")
def test_postgres_restart_under_load_answers_503_then_recovers_without_portal_restart(private_postgres, tmp_path):
    """Issue 9: the database server restarts while members use the portal. Meanwhile every
    answer is a success or the clean 503; afterwards the same portal process (no restart)
    serves logged-in pages again within 20 s."""
    private_postgres.createdb("portal")
    database_url = private_postgres.url("portal")
    env = {**os.environ, "DATABASE_URL": database_url, "MEDIA_ROOT": str(tmp_path)}
    for key in ("REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(key, None)
    _manage("migrate", "--noinput", env=env)
    _manage("seed_demo", env=env)

    process, base = _serve(tmp_path, database_url)
    stop, log, threads = threading.Event(), [], []
    try:
        member = _browser(base, DEMO_MEMBER, DEMO_PASSWORD)
        status, body = _fetch(member, base + "/")
        assert _member_page_ok("dashboard", status, body), status
        threads = [threading.Thread(target=_load, args=(base, member, stop, log), daemon=True) for _ in range(3)]
        for thread in threads:
            thread.start()
        _wait_for(lambda: len(log) >= 20, timeout=30, what="the first answers under load")

        stopped_at = time.monotonic()
        private_postgres.stop(mode="fast")

        def outage_seen():
            down = [name for at, name, status, _body in log if at > stopped_at and status == 503]
            return time.monotonic() - stopped_at > MIN_OUTAGE_SECONDS and all(
                down.count(name) >= 5 for name in ("dashboard", "documents")
            )

        _wait_for(outage_seen, timeout=30, what="both member pages to answer 503 repeatedly")
        started_at = time.monotonic()
        private_postgres.start()
        restarted_at = time.monotonic()

        def recovered():
            after = [entry for entry in log if entry[0] > restarted_at]
            recent = {}
            for _at, name, status, body in after:
                recent[name] = _member_page_ok(name, status, body)
            return len(recent) == 4 and all(recent.values())

        _wait_for(recovered, timeout=20, what="every page, logged-in ones included, to answer 200 again")
        recovered_at = time.monotonic()
        _wait_for(lambda: len([e for e in log if e[0] > recovered_at]) >= 20, timeout=30, what="answers after recovery")
        stop.set()
        for thread in threads:
            thread.join(timeout=15)
        # Under ASGI each request runs in a thread of its own: a persistent connection per
        # thread piled up until PostgreSQL refused clients (the soak test ran into that). The
        # pool keeps the portal (one process here) within its size, DB_POOL_MAX_SIZE (default 20).
        assert private_postgres.connections("portal") <= 20
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=15)
        stop_portal(process)

    outage = [entry for entry in log if stopped_at <= entry[0] <= recovered_at]
    wrong = [
        (name, status, body[:300])
        for _at, name, status, body in outage
        if not _acceptable_while_down(name, status, body)
    ]
    assert not wrong, wrong
    unavailable = [at for at, name, status, _body in outage if status == 503 and name != "health"]
    assert unavailable, "no page answered 503 while PostgreSQL was stopped: the drill did not drill"
    after = [entry for entry in log if entry[0] > recovered_at]
    assert all(_member_page_ok(name, status, body) for _at, name, status, body in after), [
        (name, status) for _at, name, status, body in after if status != 200
    ]
    server_log = next(tmp_path.glob("server-*.log")).read_text()
    assert "Internal Server Error" not in server_log, server_log[-3000:]
    print(
        f"\nrequests while down or recovering: {len(outage)}, 503 pages: {len(unavailable)}; "
        f"503 from {unavailable[0] - stopped_at:.2f} s to {unavailable[-1] - stopped_at:.2f} s after the stop; "
        f"PostgreSQL start took {restarted_at - started_at:.2f} s; "
        f"all pages 200 again {recovered_at - restarted_at:.2f} s after it accepted connections"
    )
