"""End-to-end journeys in Debian's Chromium, driven by Playwright, against the portal served
by the real ASGI server (uvicorn, HTTP and websockets) in a subprocess that uses the test
database. Data must be committed (``transactional_db``) for the server to see it."""

import os
from pathlib import Path

import pytest
from django.db import connection

from tests.servers import free_port, start_portal, stop_portal

BASE_DIR = Path(__file__).resolve().parent.parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SKIP_MESSAGE = (
    "Browser tests skipped: Chromium not found at /usr/bin/chromium (install it with: apt-get install -y chromium)"
)


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        # In CI a missing browser is a failure, never a silent skip.
        raise pytest.UsageError(f"CI requires Chromium at {CHROMIUM}")
    skip = pytest.mark.skip(reason=SKIP_MESSAGE)
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def _database_url():
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def portal_server(transactional_db, settings, tmp_path):
    """Start uvicorn on a free port against the test database; yields the base URL."""
    if connection.settings_dict["NAME"] in (":memory:", "") or "mode=memory" in str(connection.settings_dict["NAME"]):
        pytest.fail("browser tests need a file-based test database (see tests/settings in pytest.ini)")
    port = free_port()
    media = tmp_path / "server-media"
    media.mkdir()
    settings.MEDIA_ROOT = media
    env = {
        "DATABASE_URL": _database_url(),
        "MEDIA_ROOT": str(media),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PORTAL_REQUIRE_MFA_FOR_STAFF": "false",
    }
    process, base_url = start_portal(port=port, env=env, log_path=tmp_path / "server.log")
    yield base_url
    stop_portal(process)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread, and Django refuses
    # database access from a thread with a running loop. The test code itself is synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, portal_server):
    context = browser.new_context(base_url=portal_server, locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def new_page(browser, portal_server):
    """Factory for additional, independent browser contexts (a second person)."""
    contexts = []

    def make():
        context = browser.new_context(base_url=portal_server, locale="de-DE", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield make
    for context in contexts:
        context.close()


def login(page, email, password):
    page.goto("/accounts/login/")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture
def demo_data(transactional_db):
    from django.core.management import call_command

    call_command("seed_demo", stdout=open(os.devnull, "w"))


@pytest.fixture
def screenshot_dir():
    path = BASE_DIR / "test-artifacts" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
