from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Kommune, Topic


class Document(models.Model):
    """A shared file with its metadata. ``workspace`` NULL means the portal-wide library.

    The bytes live in ``DocumentVersion`` rows; ``current_version`` is the one a download
    hands out. Deletion is soft (``deleted_at``); a retention job purges rows and files later.
    """

    class Kind(models.TextChoices):
        SOZIALBERICHT = "sozialbericht", _("Social report (Sozialbericht)")
        SOZIALSTRATEGIE = "sozialstrategie", _("Social strategy")
        BEDARFSANALYSE = "bedarfsanalyse", _("Needs analysis")
        EVALUATION = "evaluation", _("Evaluation")
        MONITORINGBERICHT = "monitoringbericht", _("Monitoring report")
        PRAESENTATION = "praesentation", _("Presentation")
        PROTOKOLL = "protokoll", _("Minutes")
        HANDREICHUNG = "handreichung", _("Guide")
        KONZEPT = "konzept", _("Concept")
        STUDIE = "studie", _("Study")
        ANTRAGSFORMULAR = "antragsformular", _("Application form")
        PLAKAT = "plakat", _("Poster")
        VORLAGE = "vorlage", _("Template")
        SONSTIGES = "sonstiges", _("Other")

    workspace = models.ForeignKey(
        "workspaces.Workspace",
        verbose_name=_("workspace"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="documents",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    kind = models.CharField(_("document kind"), max_length=20, choices=Kind.choices, default=Kind.SONSTIGES)
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="documents")
    kommunen = models.ManyToManyField(Kommune, verbose_name=_("Kommunen"), blank=True, related_name="documents")
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="uploaded_documents",
    )
    current_version = models.ForeignKey(
        "DocumentVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    download_count = models.PositiveIntegerField(_("downloads"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Moderators pin key documents; the workspace home shows them first.
    pinned_at = models.DateTimeField(_("pinned"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [
            models.Index(fields=["workspace", "-created_at"]),
            models.Index(fields=["kind"]),
            models.Index(fields=["year"]),
            models.Index(fields=["deleted_at"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("documents:detail", args=[self.pk])

    @property
    def is_deleted(self):
        return self.deleted_at is not None


class DocumentVersion(models.Model):
    """One uploaded file of a document. Versions are never changed after upload, only added."""

    class Extraction(models.TextChoices):
        PENDING = "pending", _("pending")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    # A generated name under MEDIA_ROOT/documents/; never derived from what the uploader sent.
    file = models.FileField(_("file"), max_length=255)
    original_filename = models.CharField(_("file name"), max_length=255)
    file_type = models.CharField(_("file type"), max_length=8)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64, db_index=True)
    change_note = models.CharField(_("change note"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    text = models.TextField(blank=True)
    extraction_status = models.CharField(
        _("text extraction"), max_length=10, choices=Extraction.choices, default=Extraction.PENDING
    )

    class Meta:
        ordering = ["-number"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="documents_one_version_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="documents_version_number_positive"),
        ]

    def __str__(self):
        return f"{self.document} (v{self.number})"
