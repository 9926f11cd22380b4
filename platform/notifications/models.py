from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailMode(models.TextChoices):
    OFF = "", _("no email")
    IMMEDIATE = "immediate", _("email immediately")
    DIGEST = "digest", _("in the email digest")


class Notification(models.Model):
    """One thing a member should know about. Stored before it is pushed, so nothing is lost
    while the member is offline or the channel layer is down.

    ``in_portal`` and ``email_mode`` are the recipient's preferences at send time: a row
    with ``in_portal=False`` exists only to be emailed and is never shown or counted.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    workspace = models.ForeignKey(
        "workspaces.Workspace", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    # Unread notifications with the same key are merged ("3 neue Antworten in …").
    merge_key = models.CharField(max_length=100, blank=True)
    count = models.PositiveIntegerField(default=1)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    in_portal = models.BooleanField(default=True)
    email_mode = models.CharField(max_length=10, choices=EmailMode.choices, blank=True, default=EmailMode.OFF)
    # Set when the row is claimed for an email (immediate or digest), in the same
    # transaction as the claim, so no item is mailed twice.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "read_at", "-updated_at"]),
            models.Index(fields=["recipient", "-id"]),
            # The list page: a member's portal notifications, newest first (without it the
            # planner walks the updated_at index of every member's rows).
            models.Index(
                fields=["recipient", "-updated_at", "-id"],
                condition=Q(in_portal=True),
                name="notifications_portal_list",
            ),
            # The bell's count on every page, from the index alone.
            models.Index(
                fields=["recipient"], condition=Q(in_portal=True, read_at__isnull=True), name="notifications_unread"
            ),
            models.Index(
                fields=["recipient", "id"],
                condition=Q(email_mode="digest", emailed_at__isnull=True),
                name="notifications_digest_due",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "merge_key"],
                condition=Q(read_at__isnull=True) & ~Q(merge_key=""),
                name="notifications_one_unread_per_merge_key",
            )
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient}"

    @property
    def is_unread(self):
        return self.read_at is None


class Preference(models.Model):
    """A member's choice for one kind of notification. Without a row the kind's default applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=40)
    in_portal = models.BooleanField(_("in the portal"), default=True)
    email_mode = models.CharField(_("email"), max_length=10, choices=EmailMode.choices, blank=True, default="")

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notifications_one_preference_per_kind")]

    def __str__(self):
        return f"{self.user} – {self.kind}"


class DigestSettings(models.Model):
    class Frequency(models.TextChoices):
        DAILY = "daily", _("daily")
        WEEKLY = "weekly", _("weekly (Mondays)")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_settings")
    frequency = models.CharField(_("digest"), max_length=10, choices=Frequency.choices, default=Frequency.DAILY)

    class Meta:
        verbose_name = _("digest setting")
        verbose_name_plural = _("digest settings")

    def __str__(self):
        return f"{self.user}: {self.frequency}"


class Mute(models.Model):
    """Nothing about this object (a workspace, a thread, …) reaches the member."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_mutes")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("mute")
        verbose_name_plural = _("mutes")
        constraints = [
            models.UniqueConstraint(fields=["user", "content_type", "object_id"], name="notifications_one_mute")
        ]

    def __str__(self):
        return f"{self.user} mutes {self.content_type_id}:{self.object_id}"


class DigestRun(models.Model):
    """One digest email for one member and period ("daily:2026-05-04", "weekly:2026-W19").

    The row is created together with claiming its items (setting their ``emailed_at``) in
    one transaction; the unique period means a second cron run never sends it again. A run
    whose process died before ``sent_at`` was set is picked up again once its lease expires.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=20)
    notification_ids = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    locked_until = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("digest run")
        verbose_name_plural = _("digest runs")
        constraints = [models.UniqueConstraint(fields=["user", "period"], name="notifications_one_digest_per_period")]
        indexes = [models.Index(fields=["sent_at", "locked_until"])]

    def __str__(self):
        return f"{self.user} {self.period}"
