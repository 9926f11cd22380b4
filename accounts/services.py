"""Every write to accounts: sign-up completion, approval, rejection, invitations, profiles."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Invitation, Profile, User
from accounts.permissions import can_manage_members
from pages import audit


def send_templated_mail(*, template: str, to: str, context: dict, language: str | None = None, headers=None):
    """Send ``<template>_subject.txt`` / ``_message.txt`` / ``_message.html`` as one multipart mail."""
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {"SITE_URL": settings.SITE_URL, **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}_message.txt", context)
        html = render_to_string(f"{template}_message.html", context)
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body=text, to=[to], headers=headers or {}
    )
    message.attach_alternative(html, "text/html")
    message.send()


def complete_signup(*, user: User, kommune, function: str, organisation: str = "", invitation=None) -> User:
    """Create the profile of a fresh sign-up. With a valid invitation for the same email
    the account is approved at once; otherwise it waits for staff."""
    Profile.objects.update_or_create(
        user=user, defaults={"kommune": kommune, "function": function, "organisation": organisation}
    )
    if invitation is not None and invitation.is_usable and invitation.email.lower() == user.email.lower():
        user.status = User.Status.ACTIVE
        user.status_changed_at = timezone.now()
        user.status_changed_by = invitation.invited_by
        user.save(update_fields=["status", "status_changed_at", "status_changed_by"])
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        audit.record(actor=user, action="member.invitation_accepted", target=user, invitation=invitation.pk)
    else:
        audit.record(actor=user, action="member.signed_up", target=user)
        from notifications.services import notify_staff_of_pending_member

        notify_staff_of_pending_member(user)
    return user


def _decide(*, member: User, by: User, status: str, reason: str = "") -> User:
    if not can_manage_members(by):
        raise PermissionDenied
    with transaction.atomic():
        member = User.objects.select_for_update().get(pk=member.pk)
        if member.status != User.Status.PENDING:
            raise ValidationError(_("This request has already been decided."), code="already_decided")
        member.status = status
        member.status_changed_at = timezone.now()
        member.status_changed_by = by
        member.rejection_reason = reason
        fields = ["status", "status_changed_at", "status_changed_by", "rejection_reason"]
        if status == User.Status.REJECTED:
            member.is_active = False
            fields.append("is_active")
        member.save(update_fields=fields)
        audit.record(actor=by, action=f"member.{status}", target=member, reason=reason)
        template = "accounts/email/approved" if status == User.Status.ACTIVE else "accounts/email/rejected"
        transaction.on_commit(
            lambda: send_templated_mail(
                template=template,
                to=member.email,
                context={"member": member, "reason": reason, "login_url": settings.SITE_URL + reverse("account_login")},
            )
        )
    return member


def approve_member(*, member: User, by: User) -> User:
    return _decide(member=member, by=by, status=User.Status.ACTIVE)


def reject_member(*, member: User, by: User, reason: str) -> User:
    if not reason.strip():
        raise ValidationError(_("Please give a reason for the rejection."), code="reason_required")
    return _decide(member=member, by=by, status=User.Status.REJECTED, reason=reason.strip())


def invite_member(*, email: str, by: User) -> Invitation:
    if not can_manage_members(by):
        raise PermissionDenied
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(_("A person with this email address already has an account."), code="exists")
    with transaction.atomic():
        invitation = Invitation.objects.create(
            email=email,
            token=secrets.token_urlsafe(32),
            invited_by=by,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
        )
        audit.record(actor=by, action="member.invited", target=invitation)
        link = settings.SITE_URL + reverse("accounts:accept_invitation", args=[invitation.token])
        transaction.on_commit(
            lambda: send_templated_mail(
                template="accounts/email/invitation",
                to=email,
                context={"invitation": invitation, "link": link, "inviter": by},
            )
        )
    return invitation


def update_profile(*, user: User, display_name: str, **fields) -> Profile:
    topics = fields.pop("topics", None)
    with transaction.atomic():
        user.display_name = display_name
        user.save(update_fields=["display_name"])
        profile, _created = Profile.objects.get_or_create(user=user)
        for name, value in fields.items():
            setattr(profile, name, value)
        profile.full_clean(exclude=["user"])
        profile.save()
        if topics is not None:
            profile.topics.set(topics)
    return profile


def _end_all_sessions(user: User) -> int:
    """End every login of ``user``: the sessions allauth tracks and any untracked ones
    (e.g. made before usersessions was installed). Deleting through the session engine
    also clears the cache of the cached_db backend. Returns the number ended."""
    from importlib import import_module

    from allauth.usersessions.models import UserSession
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.models import Session

    ended = 0
    keys = set()
    for user_session in UserSession.objects.filter(user=user):
        keys.add(user_session.session_key)
        user_session.end()
        ended += 1
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    for session in Session.objects.filter(expire_date__gt=timezone.now()).exclude(session_key__in=keys).iterator():
        if str(session.get_decoded().get(SESSION_KEY)) == str(user.pk):
            store_class(session.session_key).delete()
            ended += 1
    return ended


def deactivate_member(*, member: User, by: User, reason: str = "") -> User:
    """Lock ``member`` out at once: the account is deactivated, every session ends on its
    next request, open sockets close (notifications listens for ``is_active``) and the
    person disappears from member search. Staff only; staff cannot lock themselves out."""
    if not can_manage_members(by):
        raise PermissionDenied
    if member.pk == by.pk:
        raise ValidationError(_("You cannot deactivate your own account."), code="self")
    from search.services import update_index

    with transaction.atomic():
        member = User.objects.select_for_update().get(pk=member.pk)
        if member.is_active:
            member.is_active = False
            member.save(update_fields=["is_active"])
        ended = _end_all_sessions(member)
        update_index(member)
        audit.record(actor=by, action="member.deactivated", target=member, reason=reason.strip(), sessions=ended)
    return member
