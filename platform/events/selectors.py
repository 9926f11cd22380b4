"""Every read of dates that views and other apps share: already permission-filtered."""

import calendar as pycalendar
from datetime import date, datetime, time, timedelta

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from events.models import CalendarFeedToken, Event, Registration
from events.permissions import check_view_event, filter_events_visible_to
from events.signals import EVENTS_SCOPE
from pages.shared_reads import shared_read
from workspaces.permissions import audience, is_portal_member
from workspaces.signals import WORKSPACES_SCOPE

# How far back a subscribed calendar keeps past dates.
FEED_PAST_DAYS = 180


def _registrations_count(status):
    """Correlated subquery rather than a join with GROUP BY: PostgreSQL computes it only for
    the rows a LIMIT keeps (the dashboard's next five dates, not every future date)."""
    counted = (
        Registration.objects.filter(event=OuterRef("pk"), status=status)
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def visible_events(user):
    """Dates the user may see, with workspace and organiser joined, the number of confirmed
    and waiting registrations, and the user's own registration status (``my_status``)."""
    qs = filter_events_visible_to(user, Event.objects.all()).select_related("workspace", "organiser")
    qs = qs.annotate(
        confirmed_count=_registrations_count(Registration.Status.CONFIRMED),
        waiting_count=_registrations_count(Registration.Status.WAITING),
    )
    if is_portal_member(user):
        qs = qs.annotate(
            my_status=Subquery(Registration.objects.filter(event=OuterRef("pk"), user=user).values("status")[:1])
        )
    return qs


def upcoming_events_for(user, workspace=None, limit=5):
    """The next dates the user may see (not yet ended, not cancelled), soonest first, with
    their workspace: what the dashboard and workspace home list (title, time, place). Without
    the registration counts of ``visible_events``, which those lists do not show.

    With ``workspace`` only that workspace's dates (none if the user may not see it). Members
    who may see the same workspaces share the list until a date or a workspace changes or one
    of the listed dates ends.
    """

    def build():
        qs = filter_events_visible_to(user, Event.objects.select_related("workspace").defer("description"))
        qs = qs.filter(ends_at__gte=timezone.now(), is_cancelled=False)
        if workspace is not None:
            qs = qs.filter(workspace=workspace)
        return list(qs.order_by("starts_at", "id")[:limit])

    def fresh(events):
        now = timezone.now()
        return all(event.ends_at >= now for event in events)

    place = "all" if workspace is None else workspace.pk
    key = f"upcoming-events:{place}:{limit}:{audience(user)}"
    return shared_read(key, (EVENTS_SCOPE, WORKSPACES_SCOPE), build, fresh=fresh)


def event_for(user, pk):
    """One date, or 404 when it does not exist or the user may not see it."""
    event = get_object_or_404(visible_events(user), pk=pk)
    check_view_event(user, event)  # the queryset already applies the policy; this states it
    return event


def month_bounds(year: int, month: int):
    tz = timezone.get_current_timezone()
    first = date(year, month, 1)
    last = date(year, month, pycalendar.monthrange(year, month)[1])
    start = timezone.make_aware(datetime.combine(first, time.min), tz)
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min), tz)
    return start, end


def events_overlapping(qs, start, end):
    return qs.filter(starts_at__lt=end, ends_at__gte=start)


def month_grid(events, year: int, month: int):
    """Weeks (Monday first) of ``(day, [events on that day])``; ``day`` is None outside the month."""
    by_day: dict[date, list] = {}
    for event in events:
        day = event.local_start.date()
        last = event.local_end.date()
        while day <= last:
            by_day.setdefault(day, []).append(event)
            day += timedelta(days=1)
    weeks = []
    for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append(
            [(day if day.month == month else None, by_day.get(day, []) if day.month == month else []) for day in week]
        )
    return weeks


def participants(event):
    """Confirmed registrations, then the waiting list in order (for the organisers' view)."""
    regs = list(event.registrations.select_related("user").order_by("created_at", "id"))
    return (
        [r for r in regs if r.status == Registration.Status.CONFIRMED],
        [r for r in regs if r.status == Registration.Status.WAITING],
    )


def my_registration(user, event):
    if not is_portal_member(user):
        return None
    return Registration.objects.filter(event=event, user=user).first()


def waiting_position(registration) -> int | None:
    if registration is None or registration.status != Registration.Status.WAITING:
        return None
    ahead = Registration.objects.filter(event_id=registration.event_id, status=Registration.Status.WAITING).filter(
        Q(created_at__lt=registration.created_at) | Q(created_at=registration.created_at, id__lt=registration.id)
    )
    return ahead.count() + 1


def workspace_feed_events(user, workspace):
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    return filter_events_visible_to(user, Event.objects.filter(workspace=workspace, ends_at__gte=since)).select_related(
        "workspace"
    )


def personal_feed_events(user):
    """What a member's subscription shows: every date they may see, from half a year back."""
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    return filter_events_visible_to(user, Event.objects.filter(ends_at__gte=since)).select_related("workspace")


def feed_token_owner(token: str):
    """The active member a feed token belongs to, or None (unknown, revoked, or no longer a member)."""
    if not token or len(token) > 64:
        return None
    row = CalendarFeedToken.objects.select_related("user").filter(token=token).first()
    if row is None or not is_portal_member(row.user) or not row.user.is_active:
        return None
    return row.user
