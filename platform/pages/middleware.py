from django.conf import settings

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
