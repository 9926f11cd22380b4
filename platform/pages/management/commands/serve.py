"""``manage.py serve``: the portal under uvicorn; the supervisor hands connections to the workers in turn.

Production (docs/operations.md): ``python manage.py serve --workers 4 --proxy-headers``
behind nginx. The benchmark and the soak serve through it too.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.serving import serve


class Command(BaseCommand):
    help = "Serves the portal with uvicorn; the workers get the connections in turn (portal.serving)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1)
        parser.add_argument("--proxy-headers", action="store_true", help="trust X-Forwarded-For/-Proto")
        parser.add_argument("--forwarded-allow-ips", default="127.0.0.1")
        parser.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
        parser.add_argument("--no-access-log", action="store_true")

    def handle(
        self, *args, host, port, workers, proxy_headers, forwarded_allow_ips, log_level, no_access_log, **options
    ):
        if workers > 1 and not settings.REDIS_URL:
            # Each process would keep its own cache and channel layer: a change dropped from one
            # worker's shared reads would stay cached in the others, and pushes would not cross.
            raise CommandError("Several workers need Redis for the cache and channel layer: set REDIS_URL.")
        serve(
            host=host,
            port=port,
            workers=max(workers, 1),
            proxy_headers=proxy_headers,
            forwarded_allow_ips=forwarded_allow_ips,
            log_level=log_level,
            access_log=not no_access_log,
        )
