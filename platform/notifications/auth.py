"""Websocket gatekeeping: the session's user, and the browser's full origin."""

from urllib.parse import urlsplit

from channels.auth import AuthMiddleware
from channels.security.websocket import WebsocketDenier
from django.conf import settings


def allowed_origins() -> set[str]:
    origins = {origin.rstrip("/") for origin in settings.CSRF_TRUSTED_ORIGINS}
    origins.add(settings.SITE_URL.rstrip("/"))
    return origins


class PortalOriginValidator:
    """Accepts a websocket only when its Origin is one of the portal's full origins
    (scheme, host and port) or, in development, a loopback origin on the request's own host."""

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
        origin = headers.get(b"origin", b"").decode("latin1").rstrip("/")
        if not origin:
            return False
        if origin in allowed_origins():
            return True
        host = headers.get(b"host", b"").decode("latin1")
        parts = urlsplit(origin)
        # Same origin as the request itself: the page was served by this very server.
        scheme = "https" if scope.get("scheme") in ("wss", "https") else "http"
        return bool(host) and parts.netloc == host and parts.scheme == scheme


class PortalAuthMiddleware(AuthMiddleware):
    """Channels' session auth; kept as a named class so the ASGI stack reads plainly."""


def PortalAuthMiddlewareStack(inner):  # noqa: N802 - mirrors channels.auth.AuthMiddlewareStack
    from channels.sessions import SessionMiddleware

    return SessionMiddleware(PortalAuthMiddleware(inner))
