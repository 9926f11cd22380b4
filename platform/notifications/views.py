from datetime import datetime

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from notifications import display, emails, registry, selectors, services
from notifications.filters import NotificationFilter
from notifications.forms import PreferencesForm
from notifications.models import Mute, Notification
from pages.decorators import public
from workspaces.rendering import shared_blank_filter_form, shared_filter_form

PAGE_SIZE = 25


def _local(value) -> str:
    return formats.date_format(timezone.localtime(value), "d.m.Y, H:i")


def _filter_fields(form) -> str:
    """The filter form's fields side by side (the list's own layout)."""
    return render_to_string("notifications/partials/filter_fields.html", {"form": form})


@require_GET
def notification_list(request):
    filterset = None
    if set(request.GET) - {"page"}:
        filterset = NotificationFilter(request.GET, queryset=selectors.notifications_of(request.user), request=request)
        notifications = selectors.for_list(filterset.qs)
        filter_fields = shared_filter_form(filterset.form, request.user, render=_filter_fields)
    else:  # no filter sent: neither the FilterSet nor its form is made (but once)
        notifications = selectors.unfiltered_list(request.user)
        filter_fields = shared_blank_filter_form(
            NotificationFilter,
            lambda: NotificationFilter(queryset=Notification.objects.none(), request=request),
            request.user,
            render=_filter_fields,
        )
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    items = display.render(request.user, page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    next_url = request.get_full_path()
    return render(
        request,
        "notifications/list.html",
        {
            "filter": filterset,
            "filter_fields": filter_fields,
            "page": page,
            "items": items,
            "entries": display.ItemRenderer(request, next_url=next_url).render_all(items),
            "query": query.urlencode(),
            "next": next_url,
        },
    )


def _parse_since(value: str):
    try:
        since = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return since if timezone.is_aware(since) else None


@require_GET
def feed(request):
    """Everything after ``?after=<id>`` (plus merged rows updated after ``?since=``): the
    catch-up endpoint the browser calls on (re)connect. Without ``after``: the latest few.
    Texts, titles and links are resolved now, through the policy."""
    raw_after = request.GET.get("after")
    try:
        after = int(raw_after) if raw_after not in (None, "") else None
    except ValueError:
        after = None
    if after is not None and after < 0:
        after = 0
    since = _parse_since(request.GET.get("since", ""))
    rows, more = selectors.feed_rows(request.user, after=after, since=since)
    items = display.render(request.user, rows)
    cursor = max([row.updated_at for row in rows] + ([since] if since else []), default=None)
    return JsonResponse(
        {
            "unread": services.unread_count(request.user),
            "more": more,
            "cursor": cursor.isoformat() if cursor else "",
            "items": [
                {
                    "id": item.id,
                    "kind": item.notification.kind,
                    "text": item.text,
                    "url": item.open_url,
                    "unread": item.unread,
                    "count": item.notification.count,
                    "time": _local(item.notification.updated_at),
                }
                for item in items
            ],
        }
    )


def _own(request, pk) -> Notification:
    return get_object_or_404(
        Notification.objects.select_related("actor", "workspace"), pk=pk, recipient=request.user, in_portal=True
    )


@require_GET
def open_notification(request, pk):
    """Marks the notification read and sends the member to its target, if they may still see it."""
    notification = _own(request, pk)
    services.mark_read(user=request.user, ids=[notification.pk])
    (item,) = display.render(request.user, [notification])
    url = item.target_url if item.visible else ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(url)
    messages.info(request, _("The content of this notification is no longer available to you."))
    return redirect("notifications:list")


def _back(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return redirect("notifications:list")


@require_POST
def mark_read(request, pk):
    notification = _own(request, pk)
    services.mark_read(user=request.user, ids=[notification.pk])
    if request.headers.get("HX-Request"):
        notification.refresh_from_db(fields=["read_at"])
        (item,) = display.render(request.user, [notification])
        return HttpResponse(display.ItemRenderer(request, next_url=request.POST.get("next", "")).render(item))
    return _back(request)


@require_POST
def mark_all_read(request):
    changed = services.mark_read(user=request.user)
    if changed:
        messages.success(request, _("All notifications are marked as read."))
    return _back(request)


@require_POST
def mute_thread(request, pk):
    notification = _own(request, pk)
    services.mute_thread_of(user=request.user, notification=notification)
    messages.success(request, _("You will receive no more notifications about this."))
    return _back(request)


@require_POST
def unmute(request, pk):
    services.unmute(user=request.user, mute_id=pk)
    messages.success(request, _("You will be notified about this again."))
    return redirect("notifications:preferences")


def _mute_rows(user):
    """The member's mutes other than workspaces, with a title when they may still see it."""
    from workspaces.models import Workspace

    rows = []
    mutes = Mute.objects.filter(user=user).select_related("content_type").order_by("-created_at")
    for mute in mutes:
        model = mute.content_type.model_class()
        if model is Workspace:
            continue
        target_type = registry.target_type_for_model(model)
        obj = model._base_manager.filter(pk=mute.object_id).first() if target_type is not None else None
        title = str(target_type.title(obj)) if obj is not None and target_type.can_view(user, obj) else ""
        rows.append({"mute": mute, "title": title or _("(no longer available)")})
    return rows


def _audiences(user) -> tuple[str, ...]:
    """Which kinds the member can receive at all, for a preferences page without noise."""
    from workspaces.models import Membership
    from workspaces.permissions import workspace_roles

    if user.is_staff:
        return ("", "moderators", "staff")
    if Membership.Role.MODERATOR in workspace_roles(user).values():
        return ("", "moderators")
    return ("",)


@require_http_methods(["GET", "POST"])
def preferences(request):
    from workspaces.models import Workspace
    from workspaces.selectors import workspaces_of

    user = request.user
    workspaces = workspaces_of(user)
    muted_ids = Mute.objects.filter(
        user=user, content_type__app_label="workspaces", content_type__model="workspace"
    ).values_list("object_id", flat=True)
    digest = getattr(user, "digest_settings", None)
    initial = {
        "frequency": digest.frequency if digest is not None else "daily",
        "muted_workspaces": list(Workspace.objects.filter(pk__in=list(muted_ids))),
    }
    form = PreferencesForm(
        request.POST or None,
        initial=initial,
        preferences=services.effective_preferences(user),
        workspaces=workspaces,
        audiences=_audiences(user),
    )
    if request.method == "POST" and form.is_valid():
        services.save_preferences(user=user, choices=form.choices(), frequency=form.cleaned_data["frequency"])
        services.set_workspace_mutes(user=user, workspaces=form.cleaned_data["muted_workspaces"], allowed=workspaces)
        messages.success(request, _("Your notification settings have been saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form, "mutes": _mute_rows(user)})


# --- Unsubscribe without login ----------------------------------------------------------------


def _describe(payload, user) -> str:
    if payload.get("d"):
        return _("the email digest")
    if "k" in payload:
        kind = registry.kind(payload["k"])
        return _("emails about “%(kind)s”") % {"kind": kind.label if kind else payload["k"]}
    return _("all notifications about this thread")


@public
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET shows a confirmation with a POST button (mail scanners follow links; GET never
    changes anything). POST unsubscribes: the form's button and the RFC 8058 one-click
    POST from the mail client alike. The signed token is the authorisation, so this needs
    no login and no CSRF token."""
    try:
        payload = emails.read_unsubscribe_token(token)
    except signing.SignatureExpired:
        return render(request, "notifications/unsubscribe_invalid.html", {"expired": True}, status=400)
    except signing.BadSignature:
        return render(request, "notifications/unsubscribe_invalid.html", {"expired": False}, status=400)
    user = get_user_model().objects.filter(pk=payload["u"], is_active=True).first()
    if user is None:
        return render(request, "notifications/unsubscribe_invalid.html", {"expired": False}, status=400)
    what = _describe(payload, user)
    if request.method == "GET":
        return render(request, "notifications/unsubscribe_confirm.html", {"what": what})
    if not services.apply_unsubscribe(user=user, payload=payload):
        return render(request, "notifications/unsubscribe_invalid.html", {"expired": False}, status=400)
    return render(request, "notifications/unsubscribe_done.html", {"what": what, "login_url": reverse("account_login")})
