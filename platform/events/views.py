from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from documents.selectors import documents_visible_to
from events import ical, selectors, services
from events.filters import EventFilter
from events.forms import AttachDocumentForm, EventForm
from events.models import CalendarFeedToken
from events.permissions import (
    can_create_any_event,
    can_create_event,
    can_manage_event,
    can_register,
    check_manage_event,
)
from pages.decorators import public
from workspaces.models import Workspace
from workspaces.permissions import check_view_workspace

EVENTS_PER_PAGE = 20


def _query_without(request, *names):
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def event_list(request):
    past = request.GET.get("when") == "past"
    now = timezone.now()
    qs = selectors.visible_events(request.user)
    qs = (
        qs.filter(ends_at__lt=now).order_by("-starts_at", "-id")
        if past
        else qs.filter(ends_at__gte=now).order_by("starts_at", "id")
    )
    event_filter = EventFilter(request.GET or None, queryset=qs, request=request)
    page = Paginator(event_filter.qs, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(
        request,
        "events/event_list.html",
        {
            "filter": event_filter,
            "page": page,
            "past": past,
            "query": _query_without(request, "page"),
            "filter_query": _query_without(request, "page", "when"),
            "can_create": can_create_any_event(request.user),
            "this_month_url": reverse("events:month", args=[today.year, today.month]),
        },
    )


def calendar_redirect(request):
    today = timezone.localdate()
    url = reverse("events:month", args=[today.year, today.month])
    query = request.GET.urlencode()
    return redirect(f"{url}?{query}" if query else url)


def month(request, year, month):
    if not (1 <= month <= 12 and 1900 <= year <= 2999):
        raise Http404
    start, end = selectors.month_bounds(year, month)
    qs = selectors.events_overlapping(selectors.visible_events(request.user), start, end)
    event_filter = EventFilter(request.GET or None, queryset=qs, request=request)
    events = list(event_filter.qs.order_by("starts_at", "id"))
    first = date(year, month, 1)
    previous = date(year - 1, 12, 1) if month == 1 else date(year, month - 1, 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return render(
        request,
        "events/month.html",
        {
            "filter": event_filter,
            "first": first,
            "weeks": selectors.month_grid(events, year, month),
            "events": events,
            "previous": previous,
            "following": following,
            "today": timezone.localdate(),
            "query": _query_without(request, "page"),
        },
    )


def detail(request, pk):
    event = selectors.event_for(request.user, pk)
    registration = selectors.my_registration(request.user, event)
    manage = can_manage_event(request.user, event)
    confirmed, waiting = selectors.participants(event) if manage else ([], [])
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "registration": registration,
            "waiting_position": selectors.waiting_position(registration),
            "can_register": can_register(request.user, event),
            "can_manage": manage,
            "confirmed": confirmed,
            "waiting": waiting,
            "free_places": (max(event.capacity - event.confirmed_count, 0) if event.capacity is not None else None),
            "attached_documents": list(documents_visible_to(request.user).filter(events=event).order_by("title")),
            "attach_form": AttachDocumentForm(
                documents=services.attachable_documents(by=request.user, event=event).exclude(events=event)
            )
            if manage
            else None,
        },
    )


@require_POST
def attach(request, pk):
    event = selectors.event_for(request.user, pk)
    check_manage_event(request.user, event)
    form = AttachDocumentForm(request.POST, documents=services.attachable_documents(by=request.user, event=event))
    if not form.is_valid():
        messages.error(request, _("Please choose a document."))
        return redirect(event)
    try:
        services.attach_document(by=request.user, event=event, document=form.cleaned_data["document"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The document has been attached."))
    return redirect(event)


@require_POST
def detach(request, pk, document_pk):
    event = selectors.event_for(request.user, pk)
    check_manage_event(request.user, event)
    document = get_object_or_404(event.documents.all(), pk=document_pk)
    services.detach_document(by=request.user, event=event, document=document)
    messages.success(request, _("The document has been removed from the date."))
    return redirect(event)


def create(request):
    workspace = None
    slug = request.GET.get("workspace")
    if slug:
        workspace = get_object_or_404(Workspace, slug=slug)
        check_view_workspace(request.user, workspace)
    if not can_create_any_event(request.user):
        raise PermissionDenied
    form = EventForm(request.POST or None, user=request.user, workspace=workspace)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data.get("workspace")
        if not can_create_event(request.user, target):
            form.add_error("workspace", _("You may not create dates here."))
        else:
            try:
                event = services.create_event(by=request.user, workspace=target, **form.event_fields())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The date has been created."))
                return redirect(event)
    return render(request, "events/event_form.html", {"form": form, "event": None})


def edit(request, pk):
    event = selectors.event_for(request.user, pk)
    check_manage_event(request.user, event)
    form = EventForm(request.POST or None, user=request.user, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.update_event(by=request.user, event=event, **form.event_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The date has been saved."))
            return redirect(event)
    return render(request, "events/event_form.html", {"form": form, "event": event})


@require_POST
def cancel(request, pk):
    event = selectors.event_for(request.user, pk)
    services.cancel_event(by=request.user, event=event)
    messages.success(request, _("The date has been cancelled; everyone registered has been informed."))
    return redirect(event)


@require_POST
def register(request, pk):
    event = selectors.event_for(request.user, pk)
    try:
        registration = services.register(user=request.user, event=event)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if registration.status == registration.Status.CONFIRMED:
            messages.success(request, _("You are registered for this date."))
        else:
            messages.info(
                request,
                _("All places are taken. You are on the waiting list and will be told if a place becomes free."),
            )
    return redirect(event)


@require_POST
def unregister(request, pk):
    event = selectors.event_for(request.user, pk)
    if services.unregister(user=request.user, event=event) is not None:
        messages.success(request, _("You have cancelled your registration."))
    return redirect(event)


def _ics_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def event_ics(request, pk):
    event = selectors.event_for(request.user, pk)
    return _ics_response(ical.calendar([event], name=event.title), slugify(event.title)[:60] or f"termin-{event.pk}")


def workspace_ics(request, slug):
    workspace = get_object_or_404(Workspace, slug=slug)
    check_view_workspace(request.user, workspace)
    events = selectors.workspace_feed_events(request.user, workspace)
    return _ics_response(ical.calendar(events, name=workspace.name), f"termine-{workspace.slug}")


def subscription(request):
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            services.regenerate_feed_token(user=request.user)
            messages.success(
                request, _("Your calendar subscription address has been created. Old addresses no longer work.")
            )
        elif action == "revoke":
            services.revoke_feed_token(user=request.user)
            messages.success(
                request, _("Your calendar subscription has been switched off. The address no longer works.")
            )
        return redirect("events:subscription")
    token = CalendarFeedToken.objects.filter(user=request.user).first()
    feed_url = None
    if token is not None:
        feed_url = settings.SITE_URL.rstrip("/") + reverse("events:feed", args=[token.token])
    return render(request, "events/subscription.html", {"token": token, "feed_url": feed_url})


@public
@never_cache
def feed(request, token):
    """The personal calendar feed for calendar apps: no login; the secret token identifies the
    member, and only dates that member may see are included. Unknown or revoked token: 404."""
    owner = selectors.feed_token_owner(token)
    if owner is None:
        raise Http404
    events = selectors.personal_feed_events(owner)
    response = _ics_response(ical.calendar(events, name=_("Dates – Sozialplanungsplattform")), "termine")
    response["Content-Disposition"] = 'inline; filename="termine.ics"'
    response["Cache-Control"] = "no-store, private"
    response["Referrer-Policy"] = "no-referrer"
    return response
