from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    """One searchable thing (thread, post, document, member, workspace, date), denormalised
    so that a search is one indexed query with the access policy inside it.

    ``workspace`` carries the object's scope for the one policy (NULL = portal-wide). Write
    services keep entries current through ``search.services``; ``rebuild_search_index``
    rebuilds everything.
    """

    # A reply shows its thread's title for orientation but is not a hit for it: the thread is.
    DISPLAY_ONLY_TITLE_KINDS = frozenset({"post"})

    class Kind(models.TextChoices):
        THREAD = "thread", _("Threads")
        POST = "post", _("Posts")
        DOCUMENT = "document", _("Documents")
        MEMBER = "member", _("Members")
        WORKSPACE = "workspace", _("Workspaces")
        EVENT = "event", _("Dates")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    workspace = models.ForeignKey(
        "workspaces.Workspace", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(max_length=300)
    meta = models.TextField(blank=True)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kommunen = models.ManyToManyField("accounts.Kommune", blank=True, related_name="+")
    topics = models.ManyToManyField("accounts.Topic", blank=True, related_name="+")
    document_kind = models.CharField(max_length=40, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # PostgreSQL only: weighted german tsvector (A title, B metadata, C body), GIN-indexed.
    search_vector = SearchVectorField(null=True, blank=True)
    # PostgreSQL only: the same weights over the title, metadata and the first RANK_BODY_CHARS of
    # the body, for ranking. Ranking whole documents read every matching document's full vector.
    rank_vector = SearchVectorField(null=True, blank=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_one_entry_per_object")]
        indexes = [models.Index(fields=["kind", "-created_at"]), models.Index(fields=["workspace", "kind"])]

    def __str__(self):
        return f"{self.kind}:{self.object_id} {self.title}"

    @property
    def indexed_title(self) -> str:
        return "" if self.kind in self.DISPLAY_ONLY_TITLE_KINDS else self.title
