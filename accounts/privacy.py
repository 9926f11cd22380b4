"""DSGVO self-service: data export (Art. 15/20), erasure (Art. 17) and retention of inactive accounts.

Export: the ZIP is built after the request's commit (this deployment has no task queue) and
streamed to MEDIA_ROOT/exports/, never held whole in memory. Erasure keeps posts and documents
for the community; they show "Ehemaliges Mitglied" because the display name is replaced.
"""

import calendar
import json
import logging
import os
import re
import secrets
import shutil
import zipfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import DataExport, Invitation, Profile, User
from accounts.services import send_templated_mail
from pages import audit

logger = logging.getLogger(__name__)

EXPORT_LIFETIME = timedelta(hours=24)
ERASED_DISPLAY_NAME = "Ehemaliges Mitglied"  # stored, so in the portal's language, not translated
_CHUNK = 1024 * 1024


# --- Export -----------------------------------------------------------------------------


def exports_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "exports"


def export_path(export: DataExport) -> Path:
    return exports_dir() / export.file_name


def request_data_export(*, user: User, now=None) -> DataExport:
    """Queue an export for ``user``; it is built and mailed right after the caller's commit."""
    now = now or timezone.now()
    with transaction.atomic():
        export = DataExport.objects.create(
            user=user,
            token=secrets.token_urlsafe(32),
            file_name=f"{secrets.token_hex(16)}.zip",
            created_at=now,
            expires_at=now + EXPORT_LIFETIME,
        )
        audit.record(actor=user, action="member.data_export_requested", target=user)
        transaction.on_commit(lambda: build_data_export(export.pk))
    return export


def build_data_export(export_id: int) -> DataExport | None:
    """Write the ZIP and mail the link. Failures mark the export as failed, never half-ready."""
    export = DataExport.objects.select_related("user").filter(pk=export_id, status=DataExport.Status.PENDING).first()
    if export is None:
        return None
    target = export_path(export)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    try:
        _write_export_zip(export.user, partial)
        os.replace(partial, target)
    except Exception:
        logger.exception("data export %s failed", export.pk)
        partial.unlink(missing_ok=True)
        export.status = DataExport.Status.FAILED
        export.save(update_fields=["status"])
        return export
    export.size = target.stat().st_size
    export.status = DataExport.Status.READY
    export.save(update_fields=["size", "status"])
    send_templated_mail(
        template="accounts/email/data_export",
        to=export.user.email,
        context={
            "member": export.user,
            "download_url": settings.SITE_URL + reverse("accounts:privacy_download", args=[export.token]),
            "expires_at": export.expires_at,
        },
    )
    return export


def _iso(value):
    return value.isoformat() if value else None


def _write_json(archive: zipfile.ZipFile, name: str, data) -> None:
    with archive.open(name, "w") as handle:
        handle.write(json.dumps(data, ensure_ascii=False, indent=2).encode())


def _write_json_list(archive: zipfile.ZipFile, name: str, rows) -> None:
    """Stream one JSON array row by row, so a large history never sits in memory at once."""
    with archive.open(name, "w", force_zip64=True) as handle:
        handle.write(b"[")
        for index, row in enumerate(rows):
            handle.write((b",\n" if index else b"\n") + json.dumps(row, ensure_ascii=False).encode())
        handle.write(b"\n]\n")


def _safe_name(name: str) -> str:
    return re.sub(r"[^\w.\- ]+", "_", name).strip(" .")[:120] or "datei"


def _profile_data(user: User) -> dict:
    from allauth.account.models import EmailAddress

    profile = Profile.objects.filter(user=user).select_related("kommune").prefetch_related("topics").first()
    return {
        "id": user.pk,
        "email": user.email,
        "display_name": user.display_name,
        "status": user.status,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user)
        ],
        "profile": None
        if profile is None
        else {
            "kommune": profile.kommune.name if profile.kommune else None,
            "organisation": profile.organisation,
            "function": profile.function,
            "topics": [topic.name for topic in profile.topics.all()],
            "bio": profile.bio,
            "show_email": profile.show_email,
        },
    }


def _write_export_zip(user: User, path: Path) -> None:
    from documents.models import Document, DocumentVersion
    from events.models import Registration
    from forums.models import Post, Thread
    from notifications.models import Notification
    from pages.models import AuditEntry
    from workspaces.models import Membership

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        _write_json(archive, "profile.json", _profile_data(user))
        _write_json_list(
            archive,
            "memberships.json",
            (
                {
                    "workspace": m.workspace.name,
                    "slug": m.workspace.slug,
                    "role": m.role,
                    "joined_at": _iso(m.joined_at),
                }
                for m in Membership.objects.filter(user=user).select_related("workspace").order_by("joined_at")
            ),
        )
        _write_json_list(
            archive,
            "threads.json",
            (
                {"id": t.pk, "title": t.title, "board": t.board.name, "created_at": _iso(t.created_at)}
                for t in Thread.objects.filter(author=user).select_related("board").order_by("pk").iterator()
            ),
        )
        _write_json_list(
            archive,
            "posts.json",
            (
                {
                    "id": p.pk,
                    "thread_id": p.thread_id,
                    "thread": p.thread.title,
                    "parent_id": p.parent_id,
                    "created_at": _iso(p.created_at),
                    "edited_at": _iso(p.edited_at),
                    "deleted": p.is_deleted,
                    "body": p.body,
                }
                for p in Post.objects.filter(author=user).select_related("thread").order_by("pk").iterator()
            ),
        )
        _write_json_list(
            archive,
            "documents.json",
            (
                {
                    "id": d.pk,
                    "title": d.title,
                    "description": d.description,
                    "kind": d.kind,
                    "year": d.year,
                    "created_at": _iso(d.created_at),
                    "deleted_at": _iso(d.deleted_at),
                }
                for d in Document.objects.filter(uploaded_by=user).order_by("pk").iterator()
            ),
        )
        versions = list(
            DocumentVersion.objects.filter(uploaded_by=user)
            .select_related("document")
            .order_by("document_id", "number")
        )
        files = []
        for version in versions:
            arcname = f"files/{version.document_id}-v{version.number}-{_safe_name(version.original_filename)}"
            entry = {
                "document_id": version.document_id,
                "document": version.document.title,
                "version": version.number,
                "original_filename": version.original_filename,
                "size": version.size,
                "sha256": version.sha256,
                "change_note": version.change_note,
                "uploaded_at": _iso(version.created_at),
                "file": None,
            }
            if version.file and default_storage.exists(version.file.name):
                with default_storage.open(version.file.name, "rb") as source:
                    with archive.open(arcname, "w", force_zip64=True) as target:
                        shutil.copyfileobj(source, target, _CHUNK)
                entry["file"] = arcname
            files.append(entry)
        _write_json(archive, "document_versions.json", files)
        _write_json_list(
            archive,
            "event_registrations.json",
            (
                {
                    "event": r.event.title,
                    "starts_at": _iso(r.event.starts_at),
                    "status": r.status,
                    "registered_at": _iso(r.created_at),
                }
                for r in Registration.objects.filter(user=user).select_related("event").order_by("pk")
            ),
        )
        _write_json_list(
            archive,
            "notifications.json",
            (
                {"kind": n.kind, "created_at": _iso(n.created_at), "read_at": _iso(n.read_at), "data": n.data}
                for n in Notification.objects.filter(recipient=user).order_by("pk").iterator()
            ),
        )
        about_user = Q(actor=user) | Q(target_type=User._meta.label_lower, target_id=str(user.pk))
        _write_json_list(
            archive,
            "audit.json",
            (
                {
                    "time": _iso(e.created_at),
                    "action": e.action,
                    "by_you": e.actor_id == user.pk,
                    "object_type": e.target_type,
                    "object": e.target_repr,
                    "ip_address": e.ip_address if e.actor_id == user.pk else None,
                    "details": e.details,
                }
                for e in AuditEntry.objects.filter(about_user).order_by("pk").iterator()
            ),
        )


def available_export(*, user: User, token: str) -> DataExport | None:
    """The member's ready, unexpired export with this token, or None (callers answer 404)."""
    export = DataExport.objects.filter(token=token, user=user, status=DataExport.Status.READY).first()
    if export is None or export.expires_at <= timezone.now() or not export_path(export).exists():
        return None
    return export


def purge_expired_exports(*, now=None) -> int:
    """Delete expired exports, rows and files. Idempotent."""
    now = now or timezone.now()
    count = 0
    for export in DataExport.objects.filter(expires_at__lte=now):
        if export.file_name:
            export_path(export).unlink(missing_ok=True)
            export_path(export).with_suffix(".part").unlink(missing_ok=True)
        export.delete()
        count += 1
    return count


# --- Erasure ----------------------------------------------------------------------------


def workspaces_blocking_erasure(user: User):
    """Workspaces where ``user`` is the only moderator: they must hand over first."""
    from workspaces.models import Membership, Workspace

    moderated = Membership.objects.filter(user=user, role=Membership.Role.MODERATOR).values("workspace_id")
    return (
        Workspace.objects.filter(pk__in=moderated)
        .annotate(moderators=Count("memberships", filter=Q(memberships__role=Membership.Role.MODERATOR)))
        .filter(moderators__lte=1)
        .order_by("name")
    )


def erase_account(*, user: User, password: str) -> User:
    """Erase ``user``'s personal data (Art. 17 DSGVO) after checking their password.

    Raises ValidationError (nothing changed) for a wrong password or when the member is the
    last moderator of a workspace. Contributions stay and show "Ehemaliges Mitglied"."""
    from allauth.mfa.models import Authenticator
    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.models import Session
    from django.http import Http404

    from events.models import CalendarFeedToken, Registration
    from events.services import unregister
    from forums.models import BoardSubscription, Draft, ThreadRead, ThreadSubscription
    from notifications.models import DigestSettings, Mute, Notification, Preference
    from pages.models import AuditEntry
    from search.services import update_index
    from workspaces.models import JoinRequest, Membership

    if not password or not user.check_password(password):
        raise ValidationError(_("The password is not correct."), code="password")
    blocking = list(workspaces_blocking_erasure(user))
    if blocking:
        raise ValidationError(
            _(
                "You are the only moderator of %(workspaces)s. Please appoint another moderator there first, "
                "then delete your account."
            )
            % {"workspaces": ", ".join(workspace.name for workspace in blocking)},
            code="last_moderator",
        )

    from allauth.account.models import EmailAddress

    with transaction.atomic():
        # Unregister while the member can still see the dates, so waiting lists move up.
        for registration in Registration.objects.filter(user=user).select_related("event"):
            try:
                unregister(user=user, event=registration.event)
            except Http404:
                registration.delete()
        Membership.objects.filter(user=user).delete()
        JoinRequest.objects.filter(user=user).delete()
        Notification.objects.filter(recipient=user).delete()
        for model in (Preference, DigestSettings, Mute):
            model.objects.filter(user=user).delete()
        for model in (ThreadSubscription, BoardSubscription, Draft, ThreadRead):
            model.objects.filter(user=user).delete()
        CalendarFeedToken.objects.filter(user=user).delete()
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        for export in DataExport.objects.filter(user=user):
            export_path(export).unlink(missing_ok=True)
            export.delete()
        session_keys = []
        for user_session in UserSession.objects.filter(user=user):
            session_keys.append(user_session.session_key)
            user_session.end()
        Session.objects.filter(session_key__in=session_keys).delete()

        profile, _created = Profile.objects.get_or_create(user=user)
        profile.kommune = None
        profile.organisation = ""
        profile.function = ""
        profile.bio = ""
        profile.show_email = False
        profile.inactivity_warned_at = None
        profile.save()
        profile.topics.clear()

        placeholder = f"deleted-{user.pk}@invalid"
        Invitation.objects.filter(accepted_by=user).update(email=placeholder)
        user.email = placeholder
        user.display_name = ERASED_DISPLAY_NAME
        user.rejection_reason = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()

        # Older entries keep their action and time, but no longer the name.
        AuditEntry.objects.filter(target_type=User._meta.label_lower, target_id=str(user.pk)).update(
            target_repr=ERASED_DISPLAY_NAME
        )
        audit.record(actor=None, action="member.erased", user_id=user.pk)
        update_index(user)
    return user


# --- Retention --------------------------------------------------------------------------


def months_before(moment, months: int):
    """``moment`` minus whole calendar months (the 31st becomes the month's last day)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def apply_retention(*, now=None) -> dict:
    """Warn members inactive for PRIVACY_WARN_INACTIVE_MONTHS (once per inactive period) and
    deactivate those inactive for PRIVACY_DEACTIVATE_INACTIVE_MONTHS who have been warned.
    Staff are left alone. Idempotent: running it twice at the same time changes nothing more."""
    from django.db.models.functions import Coalesce

    now = now or timezone.now()
    warn_before = months_before(now, getattr(settings, "PRIVACY_WARN_INACTIVE_MONTHS", 18))
    deactivate_before = months_before(now, getattr(settings, "PRIVACY_DEACTIVATE_INACTIVE_MONTHS", 24))
    candidates = (
        User.objects.filter(is_active=True, is_staff=False)
        .annotate(last_activity=Coalesce("last_login", "date_joined"))
        .filter(last_activity__lt=warn_before)
        .select_related("profile")
    )
    warned = deactivated = 0
    for user in candidates:
        profile, _created = Profile.objects.get_or_create(user=user)
        already_warned = profile.inactivity_warned_at is not None and profile.inactivity_warned_at >= user.last_activity
        if not already_warned:
            with transaction.atomic():
                profile.inactivity_warned_at = now
                profile.save(update_fields=["inactivity_warned_at"])
                transaction.on_commit(lambda user=user: _send_inactivity_warning(user, now))
            warned += 1
        elif user.last_activity < deactivate_before:
            from search.services import update_index

            with transaction.atomic():
                user.is_active = False
                user.save(update_fields=["is_active"])
                audit.record(actor=None, action="member.deactivated_inactive", target=user)
                update_index(user)
            deactivated += 1
    return {"warned": warned, "deactivated": deactivated}


def _send_inactivity_warning(user: User, now) -> None:
    deactivate_months = getattr(settings, "PRIVACY_DEACTIVATE_INACTIVE_MONTHS", 24)
    warn_months = getattr(settings, "PRIVACY_WARN_INACTIVE_MONTHS", 18)
    send_templated_mail(
        template="accounts/email/inactivity_warning",
        to=user.email,
        context={
            "member": user,
            "login_url": settings.SITE_URL + reverse("account_login"),
            "months_left": max(deactivate_months - warn_months, 1),
        },
    )
