"""Issue 9.6: the production settings, loaded in a fresh interpreter under PORTAL_ENV=production."""

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SCRIPT = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({name: getattr(settings, name, None) for name in [
    "DEBUG", "SESSION_COOKIE_NAME", "CSRF_COOKIE_NAME", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_SSL_REDIRECT", "SECURE_CONTENT_TYPE_NOSNIFF", "PORTAL_REQUIRE_MFA_FOR_STAFF",
    "ACCOUNT_REAUTHENTICATION_REQUIRED", "SESSION_COOKIE_AGE", "SESSION_COOKIE_DOMAIN", "CSRF_COOKIE_DOMAIN",
    "SESSION_COOKIE_PATH", "CSRF_COOKIE_PATH",
]}))
"""


def _production_settings():
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "DEBUG"))},
        "PORTAL_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "portal.example.org",
        "SITE_URL": "https://portal.example.org",
        "PYTHONPATH": str(BASE_DIR / "platform") + os.pathsep + str(BASE_DIR),
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    print(values)  # visible with -s: the values the test checked
    return values


def test_production_cookies_use_host_prefix_and_hsts_covers_a_year_with_subdomains():
    values = _production_settings()
    assert values["DEBUG"] is False
    # __Host- cookies: Secure, Path=/, no Domain, so a subdomain cannot plant or read them.
    for kind in ("SESSION", "CSRF"):
        assert values[f"{kind}_COOKIE_NAME"].startswith("__Host-")
        assert values[f"{kind}_COOKIE_SECURE"] is True
        assert values[f"{kind}_COOKIE_DOMAIN"] is None
        assert values[f"{kind}_COOKIE_PATH"] == "/"
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["PORTAL_REQUIRE_MFA_FOR_STAFF"] is True
    assert values["ACCOUNT_REAUTHENTICATION_REQUIRED"] is True
