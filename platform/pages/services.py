"""Writes of the pages app: legal page edits (staff, audited) and accessibility feedback."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pages import audit
from pages.models import AccessibilityFeedback, LegalPage

logger = logging.getLogger(__name__)


def can_edit_legal_pages(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def update_legal_page(*, by, page: LegalPage, title: str, body: str, request=None) -> LegalPage:
    """Save a new version of a legal page. The Markdown is sanitized when rendered."""
    if not can_edit_legal_pages(by):
        raise PermissionDenied
    with transaction.atomic():
        page = LegalPage.objects.select_for_update().get(pk=page.pk)
        changed = page.title != title or page.body != body
        page.title = title
        page.body = body
        page.updated_at = timezone.now()
        page.updated_by = by
        page.save()
        audit.record(
            actor=by,
            action="legal_page.updated",
            target=page,
            request=request,
            slug=page.slug,
            changed=changed,
            length=len(body),
        )
    return page


def legal_page(slug: str) -> LegalPage:
    """The page, created from the default content if its row is missing (e.g. after a database flush)."""
    page = LegalPage.objects.filter(slug=slug).first()
    if page is not None:
        return page
    from pages.legal_defaults import PAGES

    title, body = next((title, body) for key, title, body in PAGES if key == slug)
    page, _created = LegalPage.objects.get_or_create(slug=slug, defaults={"title": title, "body": body})
    return page


def _staff_addresses() -> list[str]:
    from accounts.models import User

    return list(User.objects.filter(is_staff=True, is_active=True).exclude(email="").values_list("email", flat=True))


def _mail_staff(feedback: AccessibilityFeedback) -> None:
    recipients = _staff_addresses()
    if not recipients:
        logger.warning("accessibility feedback %s: no staff address to send it to", feedback.pk)
        return
    admin_url = settings.SITE_URL.rstrip("/") + reverse("admin:pages_accessibilityfeedback_change", args=[feedback.pk])
    with translation.override(settings.LANGUAGE_CODE):
        subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + _("Accessibility feedback received")
        lines = [
            _("A barrier has been reported through the accessibility statement."),
            "",
            _("Received: %(time)s") % {"time": timezone.localtime(feedback.created_at).strftime("%d.%m.%Y %H:%M")},
            _("Name: %(name)s") % {"name": feedback.name or "–"},
            _("Email: %(email)s") % {"email": feedback.email or "–"},
            _("Page concerned: %(page)s") % {"page": feedback.page_url or "–"},
            "",
            feedback.message,
            "",
            _("In the administration: %(url)s") % {"url": admin_url},
        ]
    send_mail(subject, "\n".join(lines), None, recipients)


def submit_accessibility_feedback(*, message: str, name: str = "", email: str = "", page_url: str = "", user=None):
    """Store the report and email it to staff after commit. Open to visitors (no login)."""
    with transaction.atomic():
        feedback = AccessibilityFeedback.objects.create(
            message=message,
            name=name,
            email=email,
            page_url=page_url,
            user=user if getattr(user, "is_authenticated", False) else None,
        )
        transaction.on_commit(lambda: _mail_staff(feedback))
    return feedback
