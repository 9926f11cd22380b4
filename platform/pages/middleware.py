import logging

from django.conf import settings
from django.http import HttpResponse

logger = logging.getLogger(__name__)

# Strict by design: every script and style is a file of the portal's own; no inline
# script, no third-party origin.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"


class SecurityHeadersMiddleware:
    """Sets the headers Django's SecurityMiddleware does not: CSP, Permissions-Policy,
    and ``no-store`` on every page a member sees, so shared computers keep nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if (
            getattr(request, "user", None) is not None
            and request.user.is_authenticated
            and not request.path.startswith(settings.STATIC_URL)
        ):
            response.headers.setdefault("Cache-Control", "no-store, private")
        return response


SERVICE_UNAVAILABLE_HTML = """<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Vorübergehend nicht erreichbar – Sozialplanungsplattform</title></head>
<body><main><h1>Vorübergehend nicht erreichbar</h1>
<p>Die Plattform ist gerade nicht erreichbar, weil ein Dienst neu startet. Bitte versuchen Sie es in einer Minute erneut.
Ihre Daten sind nicht verloren.</p>
<p lang="en">The portal is briefly unavailable while a service restarts. Please try again in a minute.</p>
</main></body></html>"""


def database_unavailable_response(exception):
    """The plain 503 for a database outage (no traceback, no template that would need the
    database), or None when ``exception`` is something else. Drops the broken connection so
    the next request opens a fresh one."""
    from django.db import InterfaceError, OperationalError, close_old_connections

    if not isinstance(exception, (OperationalError, InterfaceError)):
        return None
    logger.warning("database unavailable: %s", exception.__class__.__name__)
    close_old_connections()
    response = HttpResponse(SERVICE_UNAVAILABLE_HTML, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = "30"
    return response


class DatabaseUnavailableMiddleware:
    """While the database is unreachable, views answer the plain 503 and the next request
    reconnects on its own. Errors raised before the view (loading the session and the user
    in other middleware) never reach ``process_exception``; ``pages.views.server_error``
    answers those."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return database_unavailable_response(exception)
