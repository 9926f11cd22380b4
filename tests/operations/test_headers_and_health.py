import pytest

from pages.middleware import CONTENT_SECURITY_POLICY


def test_every_response_carries_strict_csp_and_security_headers(client, db):
    response = client.get("/accounts/login/")
    csp = response.headers["Content-Security-Policy"]
    assert csp == CONTENT_SECURITY_POLICY
    for directive in ("script-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_member_pages_are_not_stored_by_browsers(member_client):
    response = member_client.get("/")
    assert "no-store" in response.headers["Cache-Control"]


def test_health_reports_every_dependency(client, db):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "channel_layer": "ok", "storage": "ok"},
    }


def test_health_answers_503_without_traceback_when_cache_fails(client, db, monkeypatch):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(cache, "set", broken)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "error"
    assert "Traceback" not in response.content.decode()


@pytest.mark.parametrize("path", ["/impressum/", "/datenschutz/", "/barrierefreiheit/"])
def test_legal_pages_are_public(client, db, path):
    assert client.get(path).status_code == 200
