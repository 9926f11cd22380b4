import logging
import sys
import uuid

from django.contrib import messages
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache

from pages import ratelimit, services
from pages.decorators import public, staff_required
from pages.forms import AccessibilityFeedbackForm, LegalPageForm
from pages.middleware import database_unavailable_response
from pages.models import LegalPage
from pages.services import can_edit_legal_pages

logger = logging.getLogger(__name__)


FEEDBACK_LIMIT = 5  # reports per address and hour
FEEDBACK_WINDOW = 3600


def _legal_page(request, slug, *, extra=None, status=200):
    page = services.legal_page(slug)
    context = {"page": page, "can_edit": can_edit_legal_pages(request.user), **(extra or {})}
    return render(request, "pages/legal_page.html", context, status=status)


@public
def impressum(request):
    return _legal_page(request, LegalPage.Slug.IMPRESSUM)


@public
def datenschutz(request):
    return _legal_page(request, LegalPage.Slug.DATENSCHUTZ)


@public
def barrierefreiheit(request):
    """The accessibility statement with its feedback form (BITV 2.0): open to visitors too."""
    form = AccessibilityFeedbackForm(request.POST or None, initial={"page_url": request.GET.get("seite", "")[:500]})
    status = 200
    if request.method == "POST":
        if not ratelimit.hit(
            "a11y-feedback", ratelimit.client_ip(request), limit=FEEDBACK_LIMIT, window=FEEDBACK_WINDOW
        ):
            messages.error(
                request,
                _("You have sent several reports in a short time. Please try again in an hour or write us an email."),
            )
            status = 429
        elif form.is_valid():
            if not form.is_spam():
                data = form.cleaned_data
                services.submit_accessibility_feedback(
                    message=data["message"],
                    name=data["name"].strip(),
                    email=data["email"],
                    page_url=data["page_url"].strip(),
                    user=request.user,
                )
            messages.success(request, _("Thank you! Your report has been sent to the office of the portal."))
            return redirect(reverse("pages:barrierefreiheit") + "#feedback")
        else:
            messages.error(request, _("Your report could not be sent yet. Please check the marked fields."))
            status = 400
    return _legal_page(request, LegalPage.Slug.BARRIEREFREIHEIT, extra={"feedback_form": form}, status=status)


@staff_required
def edit_legal_page(request, slug):
    page = services.legal_page(slug)
    form = LegalPageForm(request.POST or None, instance=LegalPage.objects.get(pk=page.pk))
    if request.method == "POST" and form.is_valid():
        services.update_legal_page(
            by=request.user,
            page=page,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            request=request,
        )
        messages.success(request, _("The page has been saved."))
        return redirect(page)
    return render(request, "pages/legal_page_form.html", {"page": page, "form": form})


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


def server_error(request):
    """``handler500``. A database outage that surfaces in middleware (the session and the
    user load before any view runs) gets the same 503 as one inside a view: a member who is
    logged in must not see "Ein Fehler ist aufgetreten" while PostgreSQL restarts. Django
    calls this inside the ``except`` block of the failed request (asgiref keeps that true
    across threads), so ``sys.exc_info()`` holds the exception."""
    return database_unavailable_response(sys.exc_info()[1]) or defaults.server_error(request)
