import logging
import uuid

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from pages.decorators import public

logger = logging.getLogger(__name__)


@public
def impressum(request):
    return render(request, "pages/impressum.html")


@public
def datenschutz(request):
    return render(request, "pages/datenschutz.html")


@public
def barrierefreiheit(request):
    return render(request, "pages/barrierefreiheit.html")


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache():
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "ok", 10)
    if cache.get(key) != "ok":
        raise RuntimeError("cache read-back failed")
    cache.delete(key)


def _check_channel_layer():
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.send)(channel, {"type": "health.ping"})
    message = async_to_sync(layer.receive)(channel)
    if message.get("type") != "health.ping":
        raise RuntimeError("channel layer round trip failed")


def _check_storage():
    default_storage.listdir("")


@public
@never_cache
def ping(request):
    """Liveness: the process answers. Also the benchmarks' floor: a trivial view through the
    same middleware stack as every page."""
    return HttpResponse("ok", content_type="text/plain")


@public
@never_cache
def health(request):
    """Readiness: 200 when database, cache, channel layer and file storage answer, else 503."""
    checks = {}
    for name, check in (
        ("database", _check_database),
        ("cache", _check_cache),
        ("channel_layer", _check_channel_layer),
        ("storage", _check_storage),
    ):
        try:
            check()
            checks[name] = "ok"
        except Exception as exc:  # any failure of a dependency is a "not ready", never a 500
            logger.warning("health check %s failed: %s", name, exc.__class__.__name__)
            checks[name] = "error"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)
