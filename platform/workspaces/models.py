from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Kommune
from pages.html import url_pattern


class Workspace(models.Model):
    """A programme's room: its members, documents, boards and dates."""

    class Visibility(models.TextChoices):
        MEMBERS_ONLY = "members", _("Workspace members only")
        PORTAL = "portal", _("All portal members may read")

    class JoinPolicy(models.TextChoices):
        OPEN = "open", _("Open: members join directly")
        REQUEST = "request", _("On request: moderators decide")
        INVITATION = "invitation", _("By invitation only")

    name = models.CharField(_("name"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    short_description = models.CharField(_("short description"), max_length=300, blank=True)
    description = models.TextField(_("description (Markdown)"), blank=True)
    period_start = models.DateField(_("programme start"), null=True, blank=True)
    period_end = models.DateField(_("programme end"), null=True, blank=True)
    funding_note = models.CharField(_("funding"), max_length=300, blank=True)
    kommunen = models.ManyToManyField(
        Kommune, verbose_name=_("participating Kommunen"), blank=True, related_name="workspaces"
    )
    contact_persons = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("contact persons"), blank=True, related_name="+"
    )
    logo = models.ImageField(_("logo"), upload_to="workspace-logos/", blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS_ONLY
    )
    join_policy = models.CharField(_("joining"), max_length=12, choices=JoinPolicy.choices, default=JoinPolicy.REQUEST)
    is_archived = models.BooleanField(_("archived (read-only)"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("workspace")
        verbose_name_plural = _("workspaces")
        constraints = [
            models.CheckConstraint(
                condition=~(Q(visibility="members") & Q(join_policy="open")),
                name="workspaces_members_only_not_open",
                violation_error_message=_("A workspace visible to its members only cannot be open to join."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return url_pattern("workspaces:detail")(self.slug)  # a slug is kept as it is in a URL

    @property
    def is_members_only(self):
        return self.visibility == self.Visibility.MEMBERS_ONLY

    @property
    def is_portal_visible(self):
        return self.visibility == self.Visibility.PORTAL


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        MODERATOR = "moderator", _("Moderator")

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("member since"), default=timezone.now)
    # Where the member's "new since your last visit" starts on the dashboard.
    last_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["workspace", "user"], name="workspaces_one_membership")]
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self):
        return f"{self.user} – {self.workspace} ({self.get_role_display()})"

    @property
    def is_moderator(self):
        return self.role == self.Role.MODERATOR


class JoinRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("join request status", "open")
        APPROVED = "approved", pgettext_lazy("join request status", "approved")
        DECLINED = "declined", pgettext_lazy("join request status", "declined")
        WITHDRAWN = "withdrawn", pgettext_lazy("join request status", "withdrawn")

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests")
    message = models.TextField(_("message"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("reason"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "user"],
                condition=Q(status="pending"),
                name="workspaces_one_open_join_request",
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.workspace}"

    def get_absolute_url(self):
        return reverse("workspaces:join_requests", args=[self.workspace.slug])

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING


class Announcement(models.Model):
    """A moderator's message, pinned on the workspace home (newest first)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="announcements")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"), max_length=10000)
    created_at = models.DateTimeField(_("posted"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        indexes = [models.Index(fields=["workspace", "-created_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{self.workspace.get_absolute_url()}#announcement-{self.pk}"


class Activity(models.Model):
    """One meaningful event for the dashboard feed, written by services (never by signals).

    ``workspace`` NULL means portal-wide. The feed filters with the one policy
    (``scoped_visible_q``), so an activity is shown exactly to those who may see its workspace.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(_("event"), max_length=40)
    workspace = models.ForeignKey(Workspace, null=True, blank=True, on_delete=models.CASCADE, related_name="activities")
    target_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target_title = models.CharField(max_length=300, blank=True)
    target_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["workspace", "-created_at"])]

    def __str__(self):
        return f"{self.verb}: {self.target_title}"
