"""Websocket gatekeeping: the session's user, and the browser's full origin."""

from urllib.parse import urlsplit

from channels.auth import AuthMiddleware
from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import validate_host

DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize_origin(origin: str) -> tuple[str, str, int] | None:
    """``(scheme, host, port)`` of an origin, with the default port filled in; None if malformed."""
    try:
        parts = urlsplit(origin.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname or parts.path not in ("", "/"):
        return None
    return scheme, parts.hostname.lower(), port or DEFAULT_PORTS[scheme]


def allowed_origins() -> set[tuple[str, str, int]]:
    origins = {normalize_origin(origin) for origin in settings.CSRF_TRUSTED_ORIGINS}
    origins.add(normalize_origin(settings.SITE_URL))
    origins.discard(None)
    return origins


class PortalOriginValidator:
    """Accepts a websocket only when its Origin is one of the portal's full origins
    (scheme, host and port: ``SITE_URL`` and ``CSRF_TRUSTED_ORIGINS``). With ``DEBUG`` on,
    the request's own origin is accepted too if its host is in ``ALLOWED_HOSTS``, so
    ``localhost`` and ``127.0.0.1`` both work in development."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not self.origin_allowed(scope):
            denier = WebsocketDenier()
            return await denier(scope, receive, send)
        return await self.application(scope, receive, send)

    @staticmethod
    def origin_allowed(scope) -> bool:
        headers = dict(scope.get("headers") or [])
        origin = normalize_origin(headers.get(b"origin", b"").decode("latin1"))
        if origin is None:
            return False
        if origin in allowed_origins():
            return True
        if not settings.DEBUG:
            return False
        host = headers.get(b"host", b"").decode("latin1")
        scheme = "https" if scope.get("scheme") in ("wss", "https") else "http"
        own = normalize_origin(f"{scheme}://{host}") if host else None
        return own is not None and origin == own and validate_host(own[1], settings.ALLOWED_HOSTS)


class PortalAuthMiddleware(AuthMiddleware):
    """Channels' session auth; kept as a named class so the ASGI stack reads plainly."""


def PortalAuthMiddlewareStack(inner):  # noqa: N802 - mirrors channels.auth.AuthMiddlewareStack
    from channels.sessions import SessionMiddlewareStack

    # Cookies → session → user; the session middleware needs the parsed cookies.
    return SessionMiddlewareStack(PortalAuthMiddleware(inner))
