"""Every write to dates: create, change, cancel, register, unregister, reminders, feed tokens."""

import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from events.models import CalendarFeedToken, Event, Registration
from events.permissions import (
    can_create_event,
    can_manage_event,
    can_view_event,
    check_view_event,
    registration_open,
)
from notifications.services import notify
from pages import audit
from search.services import update_index
from workspaces.activity import record_activity

EVENT_FIELDS = (
    "title",
    "kind",
    "starts_at",
    "ends_at",
    "all_day",
    "place",
    "online_url",
    "description",
    "organiser",
    "registration_enabled",
    "capacity",
)
# Changes to these make calendar apps update their copy (RFC 5545 SEQUENCE).
SCHEDULE_FIELDS = {"title", "starts_at", "ends_at", "all_day", "place", "online_url", "description"}


def _validate(event: Event) -> None:
    if not event.registration_enabled:
        event.capacity = None
    event.full_clean(exclude=["workspace", "organiser", "created_by"])


def _workspace_members(workspace):
    return User.objects.filter(memberships__workspace=workspace, is_active=True, status=User.Status.ACTIVE).distinct()


def create_event(*, by, workspace=None, **fields) -> Event:
    """Create a date. Workspace moderators for their workspace, staff for any and for portal-wide.

    Raises ``PermissionDenied`` or ``ValidationError`` (nothing is written then).
    """
    if not can_create_event(by, workspace):
        raise PermissionDenied
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    fields.setdefault("organiser", by)
    event = Event(workspace=workspace, created_by=by, **fields)
    _validate(event)
    with transaction.atomic():
        event.save()
        record_activity(actor=by, verb="event_created", target=event, workspace=workspace)
        audit.record(actor=by, action="event.created", target=event)
        update_index(event)
        if workspace is not None:
            recipients = [user for user in _workspace_members(workspace) if can_view_event(user, event)]
            notify(recipients=recipients, kind="event_new", target=event, actor=by, workspace=workspace)
    return event


def update_event(*, by, event: Event, **fields) -> Event:
    """Change a date. More places move people up from the waiting list."""
    check_view_event(by, event)
    if not can_manage_event(by, event):
        raise PermissionDenied
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    with transaction.atomic():
        event = Event.objects.select_for_update(of=("self",)).select_related("workspace").get(pk=event.pk)
        changed = {name for name, value in fields.items() if getattr(event, name) != value}
        for name, value in fields.items():
            setattr(event, name, value)
        _validate(event)
        if not changed:
            return event
        event.updated_at = timezone.now()
        if changed & SCHEDULE_FIELDS:
            event.sequence += 1
        event.save()
        audit.record(actor=by, action="event.updated", target=event, fields=sorted(changed))
        update_index(event)
        _fill_places(event, actor=by)
    return event


def cancel_event(*, by, event: Event) -> Event:
    """Mark a date as cancelled (it stays visible, struck through) and tell everyone registered."""
    check_view_event(by, event)
    if not can_manage_event(by, event):
        raise PermissionDenied
    with transaction.atomic():
        event = Event.objects.select_for_update(of=("self",)).select_related("workspace").get(pk=event.pk)
        if event.is_cancelled:
            return event
        event.is_cancelled = True
        event.updated_at = timezone.now()
        event.sequence += 1
        event.save(update_fields=["is_cancelled", "updated_at", "sequence"])
        audit.record(actor=by, action="event.cancelled", target=event)
        update_index(event)
        registered = [r.user for r in event.registrations.select_related("user") if can_view_event(r.user, event)]
        notify(recipients=registered, kind="event_cancelled", target=event, actor=by, workspace=event.workspace)
    return event


def _confirmed_count(event) -> int:
    return event.registrations.filter(status=Registration.Status.CONFIRMED).count()


def _fill_places(event: Event, *, actor=None) -> list[Registration]:
    """Move people up from the waiting list while places are free; notify each of them.

    Call inside a transaction holding the event row lock.
    """
    waiting = (
        event.registrations.filter(status=Registration.Status.WAITING)
        .select_related("user")
        .order_by("created_at", "id")
    )
    if not event.registration_enabled:
        return []
    if event.capacity is None:
        free = None
    else:
        free = event.capacity - _confirmed_count(event)
        if free <= 0:
            return []
        waiting = waiting[:free]
    moved = list(waiting)
    if not moved:
        return []
    Registration.objects.filter(pk__in=[r.pk for r in moved]).update(status=Registration.Status.CONFIRMED)
    for registration in moved:
        registration.status = Registration.Status.CONFIRMED
    recipients = [r.user for r in moved if can_view_event(r.user, event)]
    notify(recipients=recipients, kind="event_moved_up", target=event, workspace=event.workspace)
    return moved


def register(*, user, event: Event) -> Registration:
    """ "Ich nehme teil": a place while any are left, else the waiting list. Registering twice
    returns the existing registration."""
    check_view_event(user, event)
    with transaction.atomic():
        # The row lock serialises registrations for one date, so capacity is never exceeded.
        event = Event.objects.select_for_update(of=("self",)).select_related("workspace").get(pk=event.pk)
        if not registration_open(event):
            raise ValidationError(_("Registration for this date is not open."), code="closed")
        existing = Registration.objects.filter(event=event, user=user).first()
        if existing is not None:
            return existing
        full = event.capacity is not None and _confirmed_count(event) >= event.capacity
        status = Registration.Status.WAITING if full else Registration.Status.CONFIRMED
        try:
            with transaction.atomic():
                registration = Registration.objects.create(event=event, user=user, status=status)
        except IntegrityError:
            return Registration.objects.get(event=event, user=user)
    return registration


def unregister(*, user, event: Event) -> Registration | None:
    """ "Abmelden": remove the registration; a freed place goes to the first on the waiting list."""
    check_view_event(user, event)
    with transaction.atomic():
        event = Event.objects.select_for_update(of=("self",)).select_related("workspace").get(pk=event.pk)
        registration = Registration.objects.filter(event=event, user=user).first()
        if registration is None:
            return None
        registration.delete()
        if registration.status == Registration.Status.CONFIRMED and not event.is_cancelled:
            _fill_places(event)
    return registration


def send_event_reminders(*, now=None, window=timedelta(hours=24)) -> int:
    """Remind confirmed participants of dates starting within ``window``. Idempotent: each
    registration is claimed by setting ``reminded_at`` before its notification is stored."""
    now = now or timezone.now()
    candidates = (
        Registration.objects.filter(
            status=Registration.Status.CONFIRMED,
            reminded_at__isnull=True,
            event__is_cancelled=False,
            event__starts_at__gt=now,
            event__starts_at__lte=now + window,
        )
        .select_related("user", "event", "event__workspace")
        .order_by("event__starts_at", "id")
    )
    sent = 0
    for registration in candidates:
        with transaction.atomic():
            claimed = Registration.objects.filter(pk=registration.pk, reminded_at__isnull=True).update(reminded_at=now)
            if not claimed:
                continue
            event = registration.event
            if not (registration.user.is_active and can_view_event(registration.user, event)):
                continue
            notify(
                recipients=[registration.user],
                kind="event_reminder",
                target=event,
                workspace=event.workspace,
                data={"starts_at": event.starts_at.isoformat()},
            )
            sent += 1
    return sent


def regenerate_feed_token(*, user) -> CalendarFeedToken:
    """A new secret for the personal calendar feed; the old URL stops working at once."""
    if not (user.is_authenticated and user.is_member):
        raise PermissionDenied
    with transaction.atomic():
        CalendarFeedToken.objects.filter(user=user).delete()
        token = CalendarFeedToken.objects.create(user=user, token=secrets.token_urlsafe(32))
        audit.record(actor=user, action="event.feed_token_created", target=user)
    return token


def revoke_feed_token(*, user) -> bool:
    with transaction.atomic():
        deleted, _rows = CalendarFeedToken.objects.filter(user=user).delete()
        if deleted:
            audit.record(actor=user, action="event.feed_token_revoked", target=user)
    return bool(deleted)


def attachable_documents(*, by, event: Event):
    """Documents a manager may attach: the event's workspace library and the portal-wide one."""
    from django.db.models import Q

    from documents.selectors import documents_visible_to

    return documents_visible_to(by).filter(Q(workspace=event.workspace) | Q(workspace__isnull=True))


def attach_document(*, by, event: Event, document) -> None:
    """Those who manage the date attach a document from its workspace or the portal library;
    readers only ever see attachments they may open themselves."""
    check_view_event(by, event)
    if not can_manage_event(by, event):
        raise PermissionDenied
    if not attachable_documents(by=by, event=event).filter(pk=document.pk).exists():
        raise ValidationError(_("This document cannot be attached to this date."), code="document_scope")
    with transaction.atomic():
        event.documents.add(document)
        audit.record(actor=by, action="event.document_attached", target=event, document=document.pk)


def detach_document(*, by, event: Event, document) -> None:
    check_view_event(by, event)
    if not can_manage_event(by, event):
        raise PermissionDenied
    with transaction.atomic():
        event.documents.remove(document)
        audit.record(actor=by, action="event.document_detached", target=event, document=document.pk)
