"""Boards, threads and nested posts, and what members keep per thread (reads, watches, drafts).

A thread's posts form a tree: the opening post has ``depth`` 0, replies to the thread are
top-level replies (``depth`` 1, parent = opening post), and deeper replies keep ``root_id``,
the id of their top-level ancestor, so one page of top-level replies loads its subtrees in a
single query (``root_id IN page``). ``number`` is the post's position in the thread (#N).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Board(models.Model):
    """A forum. ``workspace`` NULL means portal-wide; otherwise it follows the workspace's visibility."""

    workspace = models.ForeignKey(
        "workspaces.Workspace",
        verbose_name=_("workspace"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="boards",
    )
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=80)
    description = models.CharField(_("description"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("board")
        verbose_name_plural = _("boards")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "slug"], name="forums_board_slug_per_workspace"),
            models.UniqueConstraint(
                fields=["slug"], condition=Q(workspace__isnull=True), name="forums_portal_board_slug"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("forums:board", args=[self.pk])


class Thread(models.Model):
    board = models.ForeignKey(Board, verbose_name=_("board"), on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    topics = models.ManyToManyField("accounts.Topic", verbose_name=_("topics"), blank=True, related_name="threads")
    # Documents the thread is about; a document's discussion is the oldest such thread.
    documents = models.ManyToManyField(
        "documents.Document", verbose_name=_("documents"), blank=True, related_name="threads"
    )
    first_post = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("opening post")
    )
    result_post = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("result")
    )
    result_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_locked = models.BooleanField(_("locked"), default=False)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Denormalised at write time so lists and unread counts need no aggregate over posts.
    post_count = models.PositiveIntegerField(default=0)
    last_post_id = models.BigIntegerField(default=0)
    last_post_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-is_pinned", "-last_post_at", "-id"]
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [
            models.Index(fields=["board", "-is_pinned", "-last_post_at"]),
            # The board index counts each board's visible threads, its unread ones and its
            # latest activity from this index alone (PostgreSQL; SQLite ignores INCLUDE).
            models.Index(
                fields=["board", "last_post_at"],
                include=["last_post_id"],
                condition=models.Q(is_hidden=False),
                name="forums_thread_board_visible",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("forums:thread", args=[self.pk])

    @property
    def workspace(self):
        return self.board.workspace


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children", verbose_name=_("reply to")
    )
    depth = models.PositiveSmallIntegerField(default=0)
    # Id of the top-level (depth 1) ancestor; NULL for the opening post and top-level replies.
    root_id = models.BigIntegerField(null=True, blank=True)
    number = models.PositiveIntegerField(default=1)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("text"))
    # Rendered once at write time; reading never renders Markdown again.
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    edit_count = models.PositiveIntegerField(default=0)
    helpful_count = models.PositiveIntegerField(default=0)
    mentioned_users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_deleted = models.BooleanField(_("deleted"), default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    delete_reason = models.CharField(_("reason for deletion"), max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [
            models.Index(fields=["thread", "depth", "id"]),
            models.Index(fields=["thread", "root_id"]),
            models.Index(fields=["thread", "id"]),
        ]

    def __str__(self):
        return f"#{self.number} {self.thread_id}"

    def get_absolute_url(self):
        return reverse("forums:post", args=[self.pk])

    @property
    def is_visible_content(self):
        return not (self.is_hidden or self.is_deleted)

    @property
    def top_level_id(self):
        """The id of the top-level reply whose subtree holds this post (None for the opening post)."""
        if self.depth == 0:
            return None
        return self.pk if self.depth == 1 else self.root_id


class PostEdit(models.Model):
    """One earlier version of a post: who changed it, when, and the text before the change."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="edits")
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    edited_at = models.DateTimeField(default=timezone.now)
    old_body = models.TextField()
    new_body = models.TextField()

    class Meta:
        ordering = ["-edited_at", "-id"]
        verbose_name = _("post edit")
        verbose_name_plural = _("post edits")

    def __str__(self):
        return f"{self.post_id} @ {self.edited_at:%Y-%m-%d %H:%M}"


class Reaction(models.Model):
    """One "helpful" per member per post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="forums_one_reaction_per_member")]

    def __str__(self):
        return f"{self.user_id} → {self.post_id}"


class ThreadRead(models.Model):
    """How far a member has read a thread: every post with an id up to ``last_read_post_id``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    last_read_post_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "thread"], name="forums_one_read_mark")]

    def __str__(self):
        return f"{self.user_id}: {self.thread_id} ≤ {self.last_read_post_id}"


class WatchLevel(models.TextChoices):
    MUTED = "muted", _("Muted")
    NORMAL = "normal", _("Normal")
    WATCHING = "watching", _("Watching (every reply)")
    NEW_THREADS = "new_threads", _("New threads only")


THREAD_WATCH_LEVELS = [WatchLevel.MUTED, WatchLevel.NORMAL, WatchLevel.WATCHING]
BOARD_WATCH_LEVELS = [WatchLevel.MUTED, WatchLevel.NORMAL, WatchLevel.WATCHING, WatchLevel.NEW_THREADS]


class ThreadSubscription(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="subscriptions")
    level = models.CharField(
        _("notifications"), max_length=12, choices=WatchLevel.choices[:3], default=WatchLevel.WATCHING
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "thread"], name="forums_one_thread_subscription")]

    def __str__(self):
        return f"{self.user_id}: {self.thread_id} ({self.level})"


class BoardSubscription(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="subscriptions")
    level = models.CharField(_("notifications"), max_length=12, choices=WatchLevel.choices, default=WatchLevel.NORMAL)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "board"], name="forums_one_board_subscription")]

    def __str__(self):
        return f"{self.user_id}: {self.board_id} ({self.level})"


class Draft(models.Model):
    """The text a member is writing in a thread, kept on the server so it survives a closed tab."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="drafts")
    parent = models.ForeignKey(Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "thread"], name="forums_one_draft_per_thread")]

    def __str__(self):
        return f"{self.user_id}: {self.thread_id}"


class Report(models.Model):
    """A member's report of a post, and the moderators' decision on it (kept as a trail)."""

    class Reason(models.TextChoices):
        ILLEGAL = "illegal", _("Illegal content")
        INSULT = "insult", _("Insult or harassment")
        SPAM = "spam", _("Spam or advertising")
        PRIVACY = "privacy", _("Personal data of others")
        OFF_TOPIC = "off_topic", _("Off topic")
        OTHER = "other", _("Other")

    class State(models.TextChoices):
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("in progress")
        RESOLVED = "resolved", _("resolved")
        REJECTED = "rejected", _("rejected")

    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    details = models.TextField(_("details"), max_length=2000, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    decision = models.TextField(_("decision and reason"), max_length=2000, blank=True)
    post_hidden = models.BooleanField(_("post hidden"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [models.Index(fields=["state", "-created_at"])]

    def __str__(self):
        return f"{self.get_reason_display()} – #{self.post_id}"

    def get_absolute_url(self):
        return reverse("forums:report", args=[self.pk])

    @property
    def is_closed(self):
        return self.state in (self.State.RESOLVED, self.State.REJECTED)
