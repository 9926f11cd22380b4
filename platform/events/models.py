from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """A date (Termin): portal-wide when ``workspace`` is NULL, else visible like its workspace."""

    class Kind(models.TextChoices):
        FACHTAG = "fachtag", _("Specialist day")
        ARBEITSKREIS = "arbeitskreis", _("Working group meeting")
        LEAN_COFFEE = "lean_coffee", _("Lean Coffee")
        ZUKUNFTSWERKSTATT = "zukunftswerkstatt", _("Future workshop")
        QUALIFIZIERUNG = "qualifizierung", _("Training")
        BEIRAT = "beirat", _("Advisory board")
        KONFERENZ = "konferenz", _("Conference")
        SONSTIGES = "sonstiges", _("Other")

    workspace = models.ForeignKey(
        "workspaces.Workspace",
        verbose_name=_("workspace"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SONSTIGES)
    starts_at = models.DateTimeField(_("start"), db_index=True)
    ends_at = models.DateTimeField(_("end"))
    all_day = models.BooleanField(_("all day"), default=False)
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(
        _("online link"),
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
    )
    description = models.TextField(_("description (Markdown)"), blank=True)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organiser"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organised_events",
    )
    registration_enabled = models.BooleanField(_("registration"), default=False)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)
    # Raised on every change that calendar apps must pick up (RFC 5545 SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)
    documents = models.ManyToManyField(
        "documents.Document", verbose_name=_("attached documents"), blank=True, related_name="events"
    )

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("date")
        verbose_name_plural = _("dates")
        indexes = [models.Index(fields=["workspace", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")),
                name="events_end_not_before_start",
                violation_error_message=_("The end must not be before the start."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="events_capacity_positive",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", args=[self.pk])

    @property
    def local_start(self):
        return timezone.localtime(self.starts_at)

    @property
    def local_end(self):
        return timezone.localtime(self.ends_at)

    @property
    def is_past(self):
        return self.ends_at < timezone.now()

    @property
    def spans_days(self):
        return self.local_start.date() != self.local_end.date()


class Registration(models.Model):
    """A member's "Ich nehme teil": confirmed while places last, then on the waiting list."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("registered")
        WAITING = "waiting", _("waiting list")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    # Set when the reminder went out; the reminder command skips rows where it is set.
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="events_one_registration")]
        indexes = [models.Index(fields=["event", "status", "created_at"])]

    def __str__(self):
        return f"{self.user} – {self.event} ({self.get_status_display()})"


class CalendarFeedToken(models.Model):
    """The secret in a member's personal calendar subscription URL. Deleting it revokes the feed."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed_token")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar subscription")
        verbose_name_plural = _("calendar subscriptions")

    def __str__(self):
        return f"{self.user}"
