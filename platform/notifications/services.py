"""The one event path: services call ``notify``; rows are stored in the caller's
transaction and pushed to each recipient's channel-layer group after commit.

Everything else that writes notification state lives here too: marking read,
preferences, mutes, unsubscribing, and ending a member's sockets."""

import asyncio
import logging
import time

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, When
from django.http import Http404
from django.utils import timezone

from notifications import registry
from notifications.models import DigestSettings, EmailMode, Mute, Notification, Preference
from pages import read_ahead

logger = logging.getLogger(__name__)

CLOSE_SIGNED_OUT = 4401  # the client stops reconnecting
CLOSE_REAUTHENTICATE = 4000  # the client reconnects; the handshake checks the session again


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


# --- Pushing over the channel layer ------------------------------------------------------


class _LayerHealth:
    """Remembers an outage of the channel layer so it is logged once, not once per
    recipient or request, and so requests do not wait on a dead Redis again and again.
    Rows are stored regardless; the browser's catch-up fetch covers the gap."""

    def __init__(self):
        self.down = False
        self.retry_at = 0.0

    def reset(self):
        self.down = False
        self.retry_at = 0.0

    def should_try(self) -> bool:
        return not self.down or time.monotonic() >= self.retry_at

    def failed(self, exc: Exception) -> None:
        if not self.down:
            logger.warning(
                "Channel layer unreachable (%s: %s); notifications are stored and clients will catch up.",
                exc.__class__.__name__,
                exc,
            )
        self.down = True
        self.retry_at = time.monotonic() + getattr(settings, "NOTIFICATIONS_LAYER_RETRY_SECONDS", 10)

    def succeeded(self) -> None:
        if self.down:
            logger.info("Channel layer reachable again; live notifications resume.")
        self.down = False


layer_health = _LayerHealth()
SEND_BATCH = 50  # channel-layer messages in flight at once


def send_to_users(messages: dict[int, dict]) -> None:
    """Send one channel-layer message to each user's group. Never raises."""
    if not messages or not layer_health.should_try():
        return
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:
        # Only reachable from code that writes inside an event loop's thread (a script or
        # test harness); the layer is fine, this caller just cannot wait for it.
        logger.debug("Not pushing from inside a running event loop; clients will catch up.")
        return
    layer = get_channel_layer()
    if layer is None:
        return

    async def send_all():
        if hasattr(layer, "group_send_many"):  # Redis in production: a few round trips in all
            dropped = await layer.group_send_many(
                {user_group(user_id): message for user_id, message in messages.items()}
            )
            if dropped:
                logger.warning("%s of %s live pushes dropped: channel layer queue full", dropped, len(messages))
            return
        # In batches, not one after another: a document in a workspace of 750 members waited
        # for 750 sequential round trips on a worker's busy event loop (36 s under load).
        items = list(messages.items())
        for start in range(0, len(items), SEND_BATCH):
            batch = items[start : start + SEND_BATCH]
            await asyncio.gather(*(layer.group_send(user_group(user_id), message) for user_id, message in batch))

    try:
        async_to_sync(send_all)()
    except Exception as exc:  # noqa: BLE001 - any layer failure must leave the caller working
        layer_health.failed(exc)
    else:
        layer_health.succeeded()


# --- Preferences and mutes at send time ---------------------------------------------------


def default_channels(kind_key: str) -> tuple[bool, str]:
    """``(in_portal, email_mode)`` when the member has not chosen anything for this kind."""
    kind = registry.kind(kind_key)
    channel = kind.default_channel if kind is not None else "portal"
    return {
        "portal": (True, EmailMode.OFF),
        "email": (True, EmailMode.IMMEDIATE),
        "digest": (True, EmailMode.DIGEST),
        "off": (False, EmailMode.OFF),
    }[channel]


def channels_for(user_ids, kind_key: str) -> dict[int, tuple[bool, str]]:
    default = default_channels(kind_key)
    chosen = {
        user_id: (in_portal, email_mode)
        for user_id, in_portal, email_mode in Preference.objects.filter(
            user_id__in=user_ids, kind=kind_key
        ).values_list("user_id", "in_portal", "email_mode")
    }
    return {user_id: chosen.get(user_id, default) for user_id in user_ids}


def _mute_scopes(target, workspace) -> list[tuple[int, int]]:
    scopes = []
    if workspace is not None:
        scopes.append((ContentType.objects.get_for_model(workspace).pk, workspace.pk))
    if target is not None:
        scopes.append((ContentType.objects.get_for_model(target).pk, target.pk))
        target_type = registry.target_type_for(target)
        thread = target_type.thread_of(target) if target_type is not None else None
        if thread is not None and thread is not target:
            scopes.append((ContentType.objects.get_for_model(thread).pk, thread.pk))
    return scopes


def muted_user_ids(user_ids, *, target=None, workspace=None) -> set[int]:
    scopes = _mute_scopes(target, workspace)
    if not scopes or not user_ids:
        return set()
    condition = Q()
    for content_type_id, object_id in scopes:
        condition |= Q(content_type_id=content_type_id, object_id=object_id)
    return set(Mute.objects.filter(condition, user_id__in=user_ids).values_list("user_id", flat=True))


# --- notify ---------------------------------------------------------------------------------


def _merge_into_unread(user_ids, merge_key: str, actor, now) -> dict[int, int]:
    """Add one event to each user's unread notification with ``merge_key``.
    Returns ``{user_id: notification_id}`` for the users who had one.

    The rows are locked first and exactly those are updated: reading the ids after an
    UPDATE could pick up a row another transaction committed in between, whose event
    would then be counted by nobody."""
    if not user_ids:
        return {}
    found = dict(
        Notification.objects.select_for_update()
        .filter(recipient_id__in=user_ids, merge_key=merge_key, read_at__isnull=True)
        .values_list("recipient_id", "pk")
    )
    if found:
        Notification.objects.filter(pk__in=list(found.values())).update(
            count=F("count") + 1,
            updated_at=now,
            actor=actor,
            # A digest item that was already mailed carries new events now: mail it again.
            emailed_at=Case(When(email_mode=EmailMode.DIGEST, then=None), default=F("emailed_at")),
        )
    return found


def _insert(rows: list[Notification], merge_key: str, actor, now) -> tuple[list[Notification], dict[int, int]]:
    """Insert ``rows``; with a merge key, a row that another transaction created meanwhile
    (the partial unique constraint fires) is merged into instead. Race-safe on PostgreSQL
    (the second insert waits for the first commit) and on SQLite (writers are serialised)."""
    if not rows:
        return [], {}
    if not merge_key:
        return Notification.objects.bulk_create(rows), {}
    try:
        with transaction.atomic():
            return Notification.objects.bulk_create(rows), {}
    except IntegrityError:
        pass
    created, merged = [], {}
    for row in rows:
        for _attempt in range(3):
            row.pk = None
            try:
                with transaction.atomic():
                    row.save(force_insert=True)
                created.append(row)
                break
            except IntegrityError:
                found = _merge_into_unread([row.recipient_id], merge_key, actor, now)
                if found:
                    merged.update(found)
                    break
        else:
            raise IntegrityError(f"could not store notification {merge_key!r} for user {row.recipient_id}")
    return created, merged


def notify(*, recipients, kind: str, target=None, actor=None, workspace=None, merge_key: str = "", data=None):
    """Store one notification per recipient (minus the actor) and push them after commit.

    Callers must pass only recipients allowed to see ``target`` at send time; display
    time checks again. Inactive or not-approved recipients are skipped, as are those whose
    preferences switch this kind off or who muted the workspace, the target or its thread.
    With ``merge_key``, an unread notification with the same key is updated (count + 1)
    instead of adding a row. Emails chosen as "immediately" go out after commit.
    Returns the stored (created or merged) rows.
    """
    people = {}
    for person in recipients:
        if person is None or (actor is not None and person.pk == actor.pk):
            continue
        if not getattr(person, "is_member", True):
            continue
        people[person.pk] = person
    if not people:
        return []
    now = timezone.now()
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    with transaction.atomic():
        channels = channels_for(list(people), kind)
        muted = muted_user_ids(list(people), target=target, workspace=workspace)
        user_ids = [
            user_id
            for user_id, (in_portal, email_mode) in channels.items()
            if user_id not in muted and (in_portal or email_mode)
        ]
        merged = _merge_into_unread(user_ids, merge_key, actor, now) if merge_key else {}
        rows = [
            Notification(
                recipient_id=user_id,
                kind=kind,
                actor=actor,
                workspace=workspace,
                target_type=target_type,
                target_id=target.pk if target is not None else None,
                merge_key=merge_key,
                data=data or {},
                created_at=now,
                updated_at=now,
                in_portal=channels[user_id][0],
                email_mode=channels[user_id][1],
            )
            for user_id in user_ids
            if user_id not in merged
        ]
        created, merged_late = _insert(rows, merge_key, actor, now)
        merged.update(merged_late)

        push = {}
        for row in created:
            if row.in_portal:
                push.setdefault(row.recipient_id, []).append(row.pk)
        for user_id, pk in merged.items():
            if channels[user_id][0]:
                push.setdefault(user_id, []).append(pk)
        mail_now = [row.pk for row in created if row.email_mode == EmailMode.IMMEDIATE]
        forget_unread_counts(push)

        def after_commit():
            send_to_users({user_id: {"type": "notify.new", "ids": ids} for user_id, ids in push.items()})
            if mail_now:
                from notifications.emails import send_immediate_emails

                send_immediate_emails(mail_now)

        transaction.on_commit(after_commit)
    if merged:
        created = created + list(Notification.objects.filter(pk__in=merged.values()))
    return created


def notify_staff_of_pending_member(member) -> None:
    from accounts.models import User

    staff = User.objects.filter(is_staff=True, is_active=True)
    notify(recipients=staff, kind="member_pending", target=member, actor=member)


# --- Reading ---------------------------------------------------------------------------------


# The bell's number is on every page; it is kept in the cache for a while and dropped whenever
# this module changes it (new rows, marking read). The time bounds a change made elsewhere.
UNREAD_CACHE_SECONDS = 60


def unread_key_of(user_id: int) -> str:
    """Where the count of ``user_id`` is cached (read ahead for every member, ``pages.read_ahead``)."""
    return f"notifications:unread:{user_id}"


def _count_unread(user) -> int:
    return Notification.objects.filter(recipient=user, in_portal=True, read_at__isnull=True).count()


def unread_count(user, found: dict | None = None) -> int:
    """The bell's number. ``found``: cache entries read ahead for the request, with ``unread_key_of``
    (by default what ``pages.read_ahead`` read, which has it for the signed-in member)."""
    key = unread_key_of(user.pk)
    if found is None:
        found = read_ahead.found()
    count = found[key] if key in found else cache.get(key)
    if count is None:
        count = _count_unread(user)
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return count


def forget_unread_counts(user_ids) -> None:
    """Drop the cached counts now and again after commit, so that a count read from the
    database before the change was committed cannot stay in the cache."""
    keys = [unread_key_of(user_id) for user_id in set(user_ids)]
    if not keys:
        return
    read_ahead.forget(keys)
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def mark_read(*, user, ids=None) -> list[int]:
    """Mark the user's notifications ``ids`` (or all) read; the user's other tabs learn
    it through a "read" event. Returns the ids that changed."""
    now = timezone.now()
    with transaction.atomic():
        rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
        if ids is not None:
            rows = rows.filter(pk__in=list(ids))
        changed = list(rows.values_list("pk", flat=True))
        if not changed:
            return []
        Notification.objects.filter(pk__in=changed).update(read_at=now)
        forget_unread_counts([user.pk])
        unread = _count_unread(user)
        event = {"type": "notify.read", "ids": changed if ids is not None else [], "all": ids is None}
        event["unread"] = unread
        transaction.on_commit(lambda: send_to_users({user.pk: event}))
    return changed


# --- Preferences ---------------------------------------------------------------------------


def save_preferences(*, user, choices: dict[str, tuple[bool, str]], frequency: str | None = None) -> None:
    """``choices`` maps kind → (in_portal, email_mode). Rows equal to the default are removed."""
    with transaction.atomic():
        for kind_key, (in_portal, email_mode) in choices.items():
            if registry.kind(kind_key) is None:
                continue
            if (in_portal, email_mode) == default_channels(kind_key):
                Preference.objects.filter(user=user, kind=kind_key).delete()
            else:
                Preference.objects.update_or_create(
                    user=user, kind=kind_key, defaults={"in_portal": in_portal, "email_mode": email_mode}
                )
        if frequency is not None:
            DigestSettings.objects.update_or_create(user=user, defaults={"frequency": frequency})


def effective_preferences(user) -> dict[str, tuple[bool, str]]:
    chosen = {p.kind: (p.in_portal, p.email_mode) for p in Preference.objects.filter(user=user)}
    return {key: chosen.get(key, default_channels(key)) for key in registry.kinds()}


def stop_emails_for_kind(*, user, kind_key: str) -> None:
    in_portal, _email = effective_preferences(user).get(kind_key, default_channels(kind_key))
    with transaction.atomic():
        Preference.objects.update_or_create(
            user=user, kind=kind_key, defaults={"in_portal": in_portal, "email_mode": EmailMode.OFF}
        )
        # Nothing already waiting for an email of this kind goes out either.
        Notification.objects.filter(recipient=user, kind=kind_key, emailed_at__isnull=True).exclude(
            email_mode=EmailMode.OFF
        ).update(email_mode=EmailMode.OFF)


def stop_digest(*, user) -> None:
    """Every kind the member gets in the digest is switched to "no email"."""
    for kind_key, (_in_portal, email_mode) in effective_preferences(user).items():
        if email_mode == EmailMode.DIGEST:
            stop_emails_for_kind(user=user, kind_key=kind_key)


def apply_unsubscribe(*, user, payload: dict) -> bool:
    """Apply a verified unsubscribe token's payload; False when it names nothing known."""
    if payload.get("d"):
        stop_digest(user=user)
        return True
    if "k" in payload:
        if registry.kind(payload["k"]) is None:
            return False
        stop_emails_for_kind(user=user, kind_key=payload["k"])
        return True
    if "t" in payload:
        try:
            content_type_id, object_id = (int(value) for value in payload["t"])
            content_type = ContentType.objects.get_for_id(content_type_id)
        except (TypeError, ValueError, ContentType.DoesNotExist):
            return False
        obj = content_type.model_class()._base_manager.filter(pk=object_id).first()
        if obj is None:
            return True  # it is gone: nothing about it can come any more
        mute(user=user, obj=obj)
        return True
    return False


# --- Mutes -------------------------------------------------------------------------------------


def mute(*, user, obj) -> Mute:
    content_type = ContentType.objects.get_for_model(obj)
    with transaction.atomic():
        muted, _created = Mute.objects.get_or_create(user=user, content_type=content_type, object_id=obj.pk)
        # What is waiting for an email about it stays quiet as well.
        pending = Notification.objects.filter(recipient=user, emailed_at__isnull=True).exclude(email_mode="")
        if content_type.model_class()._meta.label_lower == "workspaces.workspace":
            pending = pending.filter(workspace_id=obj.pk)
        else:
            pending = pending.filter(target_type=content_type, target_id=obj.pk)
        pending.update(email_mode=EmailMode.OFF)
    return muted


def unmute(*, user, mute_id: int) -> None:
    deleted, _detail = Mute.objects.filter(user=user, pk=mute_id).delete()
    if not deleted:
        raise Http404


def set_workspace_mutes(*, user, workspaces, allowed) -> None:
    """Mute exactly ``workspaces`` among ``allowed`` (the workspaces the form offered)."""
    from workspaces.models import Workspace

    content_type = ContentType.objects.get_for_model(Workspace)
    wanted = {w.pk for w in workspaces}
    with transaction.atomic():
        current = set(
            Mute.objects.filter(
                user=user, content_type=content_type, object_id__in=[w.pk for w in allowed]
            ).values_list("object_id", flat=True)
        )
        Mute.objects.filter(user=user, content_type=content_type, object_id__in=current - wanted).delete()
        for workspace in allowed:
            if workspace.pk in wanted - current:
                mute(user=user, obj=workspace)


def mute_thread_of(*, user, notification: Notification) -> Mute:
    """Mute the thread (or the target itself) a notification is about. The member must
    still be allowed to see the target, otherwise this answers 404."""
    from notifications.display import visible_target

    target = visible_target(user, notification)
    if target is None:
        raise Http404
    thread = registry.target_type_for(target).thread_of(target)
    if thread is None:
        raise Http404
    return mute(user=user, obj=thread)


# --- Ending sockets -----------------------------------------------------------------------------


def end_sessions(*, user_id: int, session_key: str | None = None, code: int = CLOSE_SIGNED_OUT) -> None:
    """Close the user's open sockets (only those of ``session_key`` when given) after commit."""
    event = {"type": "session.end", "session": session_key or "", "code": code}
    transaction.on_commit(lambda: send_to_users({user_id: event}))
