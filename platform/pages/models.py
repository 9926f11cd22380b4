from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """Who did what, when (UTC) and from where: approvals, role changes, moderation, exports."""

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=60, db_index=True)
    target_type = models.CharField(_("object type"), max_length=60, blank=True)
    target_id = models.CharField(_("object id"), max_length=40, blank=True)
    target_repr = models.CharField(_("object"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"


class LegalPage(models.Model):
    """Impressum, Datenschutzerklärung, Erklärung zur Barrierefreiheit: Markdown edited by staff."""

    class Slug(models.TextChoices):
        IMPRESSUM = "impressum", _("Legal notice")
        DATENSCHUTZ = "datenschutz", _("Privacy policy")
        BARRIEREFREIHEIT = "barrierefreiheit", _("Accessibility statement")

    slug = models.CharField(_("page"), max_length=30, choices=Slug.choices, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"), max_length=100_000)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["slug"]
        verbose_name = _("legal page")
        verbose_name_plural = _("legal pages")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse(f"pages:{self.slug}")


class AccessibilityFeedback(models.Model):
    """A barrier reported through the form on the accessibility statement (BITV 2.0 feedback mechanism)."""

    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    page_url = models.CharField(_("page concerned"), max_length=500, blank=True)
    message = models.TextField(_("message"), max_length=5000)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled = models.BooleanField(_("handled"), default=False)
    notes = models.TextField(_("internal notes"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("accessibility feedback")
        verbose_name_plural = _("accessibility feedback")

    def __str__(self):
        return f"{self.created_at:%d.%m.%Y} {self.message[:60]}"
