import pytest
from django.db import connections

from tests.factories import MemberFactory, StaffFactory


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    settings.SITE_URL = "http://testserver"


@pytest.fixture(autouse=True)
def _fast_password_hashing(request, settings):
    # The browser tests' server process checks passwords with the real hashers.
    if "browser" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def member(db):
    return MemberFactory()


@pytest.fixture
def staff(db):
    return StaffFactory()


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    client.user = member
    return client


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    client.user = staff
    return client


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Transactional tests flush every table afterwards, including the Kommunen and Themen
    that a data migration loaded; give each transactional test its reference data back."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    if transactional or "transactional_db" in request.fixturenames:
        if not transactional:
            request.getfixturevalue("transactional_db")
        from accounts.demo import ensure_reference_data

        ensure_reference_data()


@pytest.fixture(scope="session", autouse=True)
def _close_database_pools(django_db_setup, django_db_blocker):
    """PostgreSQL runs use a connection pool; close it before the test database is dropped."""
    yield
    with django_db_blocker.unblock():
        for connection in connections.all():
            if getattr(connection, "pool", None):
                connection.close_pool()


@pytest.fixture
def seen(monkeypatch):
    """What each request had read ahead when its view ran (``pages.read_ahead``)."""
    from pages import read_ahead
    from pages.read_ahead import ReadAheadMiddleware

    seen = []
    original = ReadAheadMiddleware.process_view

    def process_view(self, request, *args):
        original(self, request, *args)
        seen.append(dict(read_ahead.found()))

    monkeypatch.setattr(ReadAheadMiddleware, "process_view", process_view)
    return seen


@pytest.fixture
def cache_reads(monkeypatch):
    """The keys of each read from the cache, one list per round trip."""
    from django.core.cache import caches

    reads, inside = [], []
    backend = type(caches["default"])

    def counted(method, keys_of):
        def read(self, keys, *args, **kwargs):
            keys = list(keys) if keys_of is list else keys  # read once, also when a generator
            if inside:  # a backend's get_many made of gets (the local-memory cache)
                return method(self, keys, *args, **kwargs)
            reads.append(keys_of(keys))
            inside.append(True)
            try:
                return method(self, keys, *args, **kwargs)
            finally:
                inside.pop()

        return read

    get_many, get = backend.get_many, backend.get
    counted_get_many, counted_get = counted(get_many, list), counted(get, lambda key: [key])

    monkeypatch.setattr(backend, "get_many", counted_get_many)
    monkeypatch.setattr(backend, "get", counted_get)
    return reads


@pytest.fixture
def cached_sessions(settings):
    """Sessions in the cache as with Redis (``pages.sessions``), here in any cache."""
    settings.SESSION_ENGINE = "pages.sessions"
