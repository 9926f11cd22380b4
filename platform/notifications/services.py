"""The one event path: services call ``notify``; rows are stored in the caller's
transaction and pushed to each recipient's channel-layer group after commit."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from notifications.models import Notification

logger = logging.getLogger(__name__)


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def _push(notification_ids_by_user: dict[int, list[int]]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        for user_id, ids in notification_ids_by_user.items():
            async_to_sync(layer.group_send)(user_group(user_id), {"type": "notify.new", "ids": ids})
    except Exception as exc:  # the rows are stored; the client's catch-up fetch covers the gap
        logger.warning("notification push failed (%s); clients will catch up", exc.__class__.__name__)


def notify(*, recipients, kind: str, target=None, actor=None, workspace=None, merge_key: str = "", data=None):
    """Store one notification per recipient (minus the actor) and push them after commit.

    Callers must pass only recipients allowed to see ``target`` at send time; display
    time checks again. With ``merge_key``, an unread notification with the same key is
    updated (count + 1) instead of adding a row.
    """
    recipients = {r for r in recipients if r is not None and (actor is None or r.pk != actor.pk)}
    if not recipients:
        return []
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    now = timezone.now()
    stored = []
    with transaction.atomic():
        for recipient in recipients:
            if merge_key:
                updated = Notification.objects.filter(
                    recipient=recipient, merge_key=merge_key, read_at__isnull=True
                ).update(count=F("count") + 1, updated_at=now, actor=actor)
                if updated:
                    stored.append(
                        Notification.objects.filter(recipient=recipient, merge_key=merge_key, read_at__isnull=True)
                        .only("id", "recipient_id")
                        .first()
                    )
                    continue
            stored.append(
                Notification.objects.create(
                    recipient=recipient,
                    kind=kind,
                    actor=actor,
                    workspace=workspace,
                    target_type=target_type,
                    target_id=target.pk if target is not None else None,
                    merge_key=merge_key,
                    data=data or {},
                    created_at=now,
                    updated_at=now,
                )
            )
        by_user: dict[int, list[int]] = {}
        for notification in stored:
            by_user.setdefault(notification.recipient_id, []).append(notification.pk)
        transaction.on_commit(lambda: _push(by_user))
    return stored


def notify_staff_of_pending_member(member) -> None:
    from accounts.models import User

    staff = User.objects.filter(is_staff=True, is_active=True)
    notify(recipients=staff, kind="member_pending", target=member, actor=member)
