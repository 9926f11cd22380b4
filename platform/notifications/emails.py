"""Emails: one per event ("sofort") and the daily or weekly digest, in German, with a
plain-text and an HTML part and a one-click unsubscribe (RFC 8058) per kind and thread.

Each item is claimed (``emailed_at`` set) in the same transaction that decides to mail
it, so no item is mailed twice, even when two senders run at once."""

import logging
from datetime import timedelta
from itertools import groupby

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications import display, registry
from notifications.models import DigestRun, DigestSettings, EmailMode, Mute, Notification

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
DIGEST_LEASE = timedelta(minutes=15)


# --- Unsubscribe tokens ---------------------------------------------------------------------


def unsubscribe_token(user, *, kind: str | None = None, thread=None, digest: bool = False) -> str:
    payload = {"u": user.pk}
    if kind:
        payload["k"] = kind
    if thread is not None:
        payload["t"] = [ContentType.objects.get_for_model(thread).pk, thread.pk]
    if digest:
        payload["d"] = 1
    return signing.dumps(payload, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> dict:
    """The payload; raises ``signing.BadSignature`` (or its subclass ``SignatureExpired``)."""
    max_age = getattr(settings, "NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE", 180 * 24 * 3600)
    payload = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=max_age)
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        raise signing.BadSignature("malformed payload")
    return payload


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def unsubscribe_url(user, **scope) -> str:
    return absolute(reverse("notifications:unsubscribe", args=[unsubscribe_token(user, **scope)]))


# --- Shared helpers -----------------------------------------------------------------------------


def _muted(user, items) -> set[int]:
    """Ids of ``items`` about something the user muted since the notification was stored."""
    from workspaces.models import Workspace

    workspace_type = ContentType.objects.get_for_model(Workspace)
    scopes = {}
    for item in items:
        keys = []
        if item.notification.workspace_id:
            keys.append((workspace_type.pk, item.notification.workspace_id))
        if item.target is not None:
            keys.append((item.notification.target_type_id, item.target.pk))
            thread = _thread_of(item)
            if thread is not None:
                keys.append((ContentType.objects.get_for_model(thread).pk, thread.pk))
        scopes[item.id] = keys
    condition = Q()
    for keys in scopes.values():
        for content_type_id, object_id in keys:
            condition |= Q(content_type_id=content_type_id, object_id=object_id)
    if not condition:
        return set()
    muted = set(Mute.objects.filter(condition, user=user).values_list("content_type_id", "object_id"))
    return {item_id for item_id, keys in scopes.items() if muted.intersection(keys)}


def _thread_of(item):
    if item.target is None:
        return None
    return registry.target_type_for(item.target).thread_of(item.target)


def _send(*, user, template: str, context: dict, list_unsubscribe: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        context = {"SITE_URL": settings.SITE_URL, "user": user, **context}
        subject = " ".join(render_to_string(f"notifications/email/{template}_subject.txt", context).split())
        text = render_to_string(f"notifications/email/{template}_message.txt", context)
        html = render_to_string(f"notifications/email/{template}_message.html", context)
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    message = EmailMultiAlternatives(
        subject=prefix + subject,
        body=text,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{list_unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    message.send()


def _item_context(user, item) -> dict:
    thread = _thread_of(item)
    return {
        "item": item,
        "link": absolute(item.open_url) if item.visible else "",
        "unsubscribe_kind_url": unsubscribe_url(user, kind=item.notification.kind),
        "unsubscribe_thread_url": unsubscribe_url(user, thread=thread) if thread is not None else "",
    }


# --- Immediate emails ----------------------------------------------------------------------------


def send_immediate_emails(notification_ids) -> int:
    """Mail each notification that is still unclaimed. Failures are logged, never raised:
    this runs after the writing service's commit. Returns the number of mails sent."""
    sent = 0
    for pk in notification_ids:
        try:
            sent += _send_immediate(pk)
        except Exception:
            logger.exception("Sending the email for notification %s failed", pk)
    return sent


def _send_immediate(pk: int) -> int:
    now = timezone.now()
    claimed = Notification.objects.filter(pk=pk, emailed_at__isnull=True, email_mode=EmailMode.IMMEDIATE).update(
        emailed_at=now
    )
    if not claimed:
        return 0
    notification = Notification.objects.select_related("recipient", "actor", "workspace").get(pk=pk)
    user = notification.recipient
    if not user.is_member or not user.email:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        (item,) = display.render(user, [notification])
        if not item.visible or _muted(user, [item]):
            return 0
        context = _item_context(user, item)
        _send(user=user, template="notification", context=context, list_unsubscribe=context["unsubscribe_kind_url"])
    return 1


# --- Digests ----------------------------------------------------------------------------------------


def digest_period(frequency: str, now) -> str | None:
    """The period a digest sent ``now`` belongs to, or None before it is due
    (daily from ``NOTIFICATIONS_DIGEST_HOUR`` local time; weekly from that hour on Monday)."""
    local = timezone.localtime(now)
    hour = getattr(settings, "NOTIFICATIONS_DIGEST_HOUR", 7)
    if frequency == DigestSettings.Frequency.WEEKLY:
        year, week, weekday = local.isocalendar()
        if weekday == 1 and local.hour < hour:
            return None
        return f"weekly:{year}-W{week:02d}"
    if local.hour < hour:
        return None
    return f"daily:{local.date().isoformat()}"


def _due_items(user_id):
    return Notification.objects.filter(
        recipient_id=user_id, email_mode=EmailMode.DIGEST, emailed_at__isnull=True, read_at__isnull=True
    )


def claim_digest(user, period: str, now) -> DigestRun | None:
    """Create the run for ``user`` and ``period`` and claim its items, in one transaction.
    None when the period's digest exists already or nothing is due."""
    with transaction.atomic():
        ids = list(_due_items(user.pk).order_by("pk").values_list("pk", flat=True))
        if not ids:
            return None
        try:
            with transaction.atomic():
                run = DigestRun.objects.create(
                    user=user, period=period, notification_ids=ids, locked_until=now + DIGEST_LEASE, attempts=1
                )
        except IntegrityError:
            return None
        claimed = Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).update(emailed_at=now)
        if claimed != len(ids):
            # Someone else claimed some of them meanwhile: keep only ours.
            ids = list(Notification.objects.filter(pk__in=ids, emailed_at=now).values_list("pk", flat=True))
            run.notification_ids = ids
            run.save(update_fields=["notification_ids"])
    return run


def deliver_digest(run: DigestRun) -> bool:
    """Send the run's email and mark it sent. Returns True when a mail went out."""
    user = run.user
    notifications = list(
        Notification.objects.filter(pk__in=run.notification_ids)
        .select_related("actor", "workspace")
        .order_by("workspace__name", "-updated_at")
    )
    with translation.override(settings.LANGUAGE_CODE):
        items = [item for item in display.render(user, notifications) if item.visible]
        muted = _muted(user, items)
        items = [item for item in items if item.id not in muted]
        if items and user.is_member and user.email:
            groups = [
                {"name": name or _("Portal-wide"), "items": [_item_context(user, item) for item in group]}
                for name, group in groupby(items, key=lambda item: item.workspace_name)
            ]
            kinds = sorted({item.notification.kind for item in items})
            context = {
                "groups": groups,
                "count": len(items),
                "frequency": run.period.split(":")[0],
                "kind_links": [
                    {
                        "label": registry.kind(key).label if registry.kind(key) else key,
                        "url": unsubscribe_url(user, kind=key),
                    }
                    for key in kinds
                ],
                "unsubscribe_digest_url": unsubscribe_url(user, digest=True),
                "preferences_url": absolute(reverse("notifications:preferences")),
            }
            _send(user=user, template="digest", context=context, list_unsubscribe=context["unsubscribe_digest_url"])
            sent = True
        else:
            sent = False
    DigestRun.objects.filter(pk=run.pk, sent_at__isnull=True).update(sent_at=timezone.now())
    return sent


def send_due_digests(now=None) -> dict[str, int]:
    """What ``manage.py send_digests`` does; safe to run every hour and concurrently.

    1. Runs left unsent by a process that died (lease expired) are sent now.
    2. For each member with unclaimed digest items and a due period without a run:
       claim (one transaction), then send, then mark sent.
    """
    from accounts.models import User

    now = now or timezone.now()
    stats = {"resumed": 0, "sent": 0, "failed": 0}
    for run in DigestRun.objects.filter(sent_at__isnull=True, locked_until__lt=now).select_related("user"):
        leased = DigestRun.objects.filter(pk=run.pk, sent_at__isnull=True, locked_until__lt=now).update(
            locked_until=now + DIGEST_LEASE, attempts=run.attempts + 1
        )
        if not leased:
            continue
        try:
            stats["resumed"] += deliver_digest(run)
        except Exception:
            stats["failed"] += 1
            logger.exception("Digest %s for user %s failed again", run.period, run.user_id)

    user_ids = (
        Notification.objects.filter(email_mode=EmailMode.DIGEST, emailed_at__isnull=True, read_at__isnull=True)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    users = User.objects.filter(pk__in=list(user_ids), is_active=True).select_related("digest_settings")
    for user in users:
        settings_row = getattr(user, "digest_settings", None)
        frequency = settings_row.frequency if settings_row is not None else DigestSettings.Frequency.DAILY
        period = digest_period(frequency, now)
        if period is None:
            continue
        run = claim_digest(user, period, now)
        if run is None:
            continue
        try:
            stats["sent"] += deliver_digest(run)
        except Exception:
            stats["failed"] += 1
            logger.exception("Digest %s for user %s failed; it is retried after its lease", period, user.pk)
    return stats
