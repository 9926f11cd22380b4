"""Every read of the forums that views and other apps share; already permission-filtered.

Other apps may call:
- ``recipients_for_post(post) -> dict[User, str]``: who is told about a new post and why
  ("mention", "reply", "watching", "new_thread"), only people who may see the thread;
- ``visible_threads(user)`` / ``visible_boards(user)``: querysets for search, feeds, dashboards;
- ``unread_thread_count(user)``: threads with posts the member has not read.
"""

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.db import connection
from django.db.models import Count, Exists, F, FilteredRelation, IntegerField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from forums.models import (
    Board,
    BoardSubscription,
    Draft,
    Post,
    Reaction,
    Report,
    Thread,
    ThreadRead,
    ThreadSubscription,
    WatchLevel,
)
from forums.permissions import (
    can_handle_report,
    can_view_board,
    can_view_thread,
    check_view_board,
    check_view_post,
    check_view_thread,
    filter_boards_visible_to,
    filter_reports_visible_to,
    filter_threads_visible_to,
    filter_workspace_threads,
    users_who_can_view_board_q,
    users_who_can_view_thread_q,
    workspace_threads_access,
)
from forums.signals import BOARDS_SCOPE, marks_scope, thread_scope
from pages.read_ahead import KeptPerMember
from pages.shared_reads import instance_copy, shared_read
from pages.sql import Statement, sql_names
from workspaces.permissions import remember_workspace_roles, roles_known, roles_sql
from workspaces.signals import PEOPLE_SCOPE, WORKSPACES_SCOPE

DEFAULT_TOP_LEVEL_PAGE_SIZE = 20
DEFAULT_FLAT_PAGE_SIZE = 50
MAX_DISPLAY_DEPTH = 5


def top_level_page_size() -> int:
    return getattr(settings, "FORUMS_TOP_LEVEL_PAGE_SIZE", DEFAULT_TOP_LEVEL_PAGE_SIZE)


def flat_page_size() -> int:
    return getattr(settings, "FORUMS_FLAT_PAGE_SIZE", DEFAULT_FLAT_PAGE_SIZE)


# --- Boards and thread lists ----------------------------------------------------------


def _last_read_subquery(user, thread_ref="pk"):
    return Subquery(
        ThreadRead.objects.filter(user=user, thread=OuterRef(thread_ref)).values("last_read_post_id")[:1],
        output_field=IntegerField(),
    )


def visible_boards(user):
    return filter_boards_visible_to(user, Board.objects.select_related("workspace"))


def visible_threads(user):
    return filter_threads_visible_to(user, Thread.objects.select_related("board", "board__workspace"))


def _all_boards() -> list[Board]:
    """Every board with its workspace: shared until a board or a workspace changes."""
    return shared_read(
        "boards:all", (BOARDS_SCOPE, WORKSPACES_SCOPE), lambda: list(Board.objects.select_related("workspace"))
    )


def _board_figures(user, board_ids):
    last_read = Coalesce(F("my_read__last_read_post_id"), Value(0))
    return (
        Thread.objects.filter(is_hidden=False, board_id__in=board_ids)
        .annotate(my_read=FilteredRelation("reads", condition=Q(reads__user=user)))
        .order_by()
        .values_list("board_id")
        .annotate(
            threads=Count("id"), unread=Count("id", filter=Q(last_post_id__gt=last_read)), last=Max("last_post_at")
        )
    )


# Compiled once per connection and number of boards: built through the ORM, the grouped query
# took longer to build than PostgreSQL took to answer it.
_BOARD_FIGURES = Statement(_board_figures, values=("user",), lists=("board_ids",))


def boards_for_index(user) -> list[Board]:
    """Visible boards, portal-wide first, each with ``thread_count``, ``unread_count``
    (threads with unread posts) and ``last_activity``: the boards come from the cache and the
    policy picks the visible ones; their figures are one grouped query over their threads,
    joined with the member's read marks (three correlated subqueries per board before, which
    took longer to build than to run)."""
    boards = [board for board in _all_boards() if can_view_board(user, board)]
    figures = {}
    if boards:
        rows = _BOARD_FIGURES.list(user=user.pk, board_ids=[board.pk for board in boards])
        figures = {board_id: rest for board_id, *rest in rows}
    for board in boards:
        board.thread_count, board.unread_count, board.last_activity = figures.get(board.pk, (0, 0, None))
    return sorted(
        boards, key=lambda b: (b.workspace is not None, b.workspace.name if b.workspace else "", b.position, b.name)
    )


def board_for_view(user, pk) -> Board:
    board = get_object_or_404(Board.objects.select_related("workspace"), pk=pk)
    check_view_board(user, board)
    return board


def board_threads(user, board):
    """The board's visible threads, pinned first, each with ``last_read`` and ``unread_count``."""
    unread_posts = (
        Post.objects.filter(thread=OuterRef("pk"), id__gt=OuterRef("last_read"), is_hidden=False, is_deleted=False)
        .exclude(author=user)
        .order_by()
        .values("thread")
        .annotate(c=Count("*"))
        .values("c")
    )
    return (
        filter_threads_visible_to(user, Thread.objects.filter(board=board))
        .select_related("author", "board")
        .prefetch_related("topics")
        .annotate(last_read=Coalesce(_last_read_subquery(user), Value(0)))
        .annotate(unread_count=Coalesce(Subquery(unread_posts, output_field=IntegerField()), 0))
        .order_by("-is_pinned", "-last_post_at", "-id")
    )


def unread_thread_count(user) -> int:
    return (
        visible_threads(user)
        .annotate(last_read=Coalesce(_last_read_subquery(user), Value(0)))
        .filter(last_post_id__gt=F("last_read"))
        .count()
    )


# --- One thread -----------------------------------------------------------------------


@cache
def _viewer_marks_sql(with_roles: bool) -> str:
    """Made once: only the models' table and column names go into it, the values are parameters.
    ``with_roles``: the viewer's workspace roles follow as rows of their own ("r", id, role)."""

    def where(model) -> str:
        table, thread, user = sql_names(model, "thread", "user")
        return f"{table} WHERE {thread} = %s AND {user} = %s"

    (_, read), (_, level) = sql_names(ThreadRead, "last_read_post_id"), sql_names(ThreadSubscription, "level")
    marks = (
        f"SELECT 'm', (SELECT {read} FROM {where(ThreadRead)}), (SELECT {level} FROM {where(ThreadSubscription)}),"  # noqa: S608
        f" EXISTS(SELECT 1 FROM {where(Draft)})"
    )
    if not with_roles:
        return marks
    return f"{marks} UNION ALL {roles_sql(tag='r')}"


# The signed-in members' marks on the threads they opened, some 300 bytes each.
_kept_marks = KeptPerMember(marks_scope, size=20_000)


def _viewer_marks(user, thread_id: int) -> dict:
    """The viewer's own marks on a thread: how far they have read, their watch level (None:
    never chosen) and whether they have a draft. Kept by the process until the viewer's marks
    change (``marks_scope``); else read in one query, with the viewer's workspace roles if
    this request does not know them yet (``workspaces.permissions``). Written as SQL: the same
    query through the ORM (three correlated subqueries) took 3 ms to compile and 0.1 ms to run."""
    kept = _kept_marks.get(user.pk, key=thread_id)
    with_roles = not roles_known(user)
    if kept is not None and not with_roles:
        return dict(kept)
    with connection.cursor() as cursor:
        cursor.execute(_viewer_marks_sql(with_roles), [thread_id, user.pk] * 3 + [user.pk] * with_roles)
        rows = cursor.fetchall()
    _, last_read, watch_level, has_draft = next(row for row in rows if row[0] == "m")
    if with_roles:
        remember_workspace_roles(user, [row[1:3] for row in rows if row[0] == "r"])
    marks = {
        "viewer_last_read": last_read or 0,
        "viewer_watch_level": watch_level,
        "viewer_has_draft": bool(has_draft),
    }
    _kept_marks.put(user.pk, dict(marks), key=thread_id)
    return marks


_THREAD_RELATED = ("board__workspace", "author", "first_post__author__profile__kommune", "result_post__author")


def _shared_thread(pk: int, found: dict | None = None) -> Thread | None:
    """The thread's row with its board, workspace, opening post, result and topics, and whether
    it is about any documents, as every viewer gets it (None: no such thread); shared until the
    thread, a post of it, a board, a workspace or a name changes (``forums.signals``,
    ``workspaces.signals``). The process keeps it: a request gets a copy (``_viewer_copy``)."""

    def build():
        passwords = [f"{relation}__password" for relation in ("author", "first_post__author", "result_post__author")]
        qs = Thread.objects.select_related(*_THREAD_RELATED).prefetch_related("topics").defer(*passwords)
        has_documents = Exists(Thread.documents.through.objects.filter(thread=OuterRef("pk")))
        return qs.annotate(has_documents=has_documents).filter(pk=pk).first()

    thread = shared_read(f"thread:{pk}", thread_scopes(pk), build, kept=True, found=found)
    return None if thread is None else _viewer_copy(thread)


def _viewer_copy(thread: Thread) -> Thread:
    """The kept thread for one request: the viewer's marks are set on it and the page's
    renderer marks up its opening post and result, so those are copies; the rest is read only."""
    thread = instance_copy(thread)
    related = thread._state.fields_cache
    for name in ("first_post", "result_post"):
        if related.get(name) is not None:
            related[name] = instance_copy(related[name])
    return thread


def thread_scopes(pk: int) -> tuple[str, ...]:
    """What a thread's row as the thread page shows it comes from: the thread and its posts,
    the boards, the workspaces and the names of people (read ahead for the thread page,
    ``pages.read_ahead``)."""
    return (thread_scope(pk), BOARDS_SCOPE, WORKSPACES_SCOPE, PEOPLE_SCOPE)


def thread_for_view(user, pk, *, viewer_marks: bool = False, found: dict | None = None) -> Thread:
    """The thread, or 404. With ``viewer_marks`` (the thread page) the thread's row comes from
    the shared read (``found``: with the generations of ``thread_scopes`` read ahead), with
    ``has_documents``, and carries the viewer's marks (``_viewer_marks``), read with the
    viewer's roles before the check that needs them."""
    if not viewer_marks:
        thread = get_object_or_404(Thread.objects.select_related(*_THREAD_RELATED).prefetch_related("topics"), pk=pk)
        check_view_thread(user, thread)
        return thread
    thread = _shared_thread(pk, found)
    if thread is None:
        raise Http404
    marks = _viewer_marks(user, thread.pk)
    check_view_thread(user, thread)
    for name, value in marks.items():
        setattr(thread, name, value)
    return thread


def post_for_view(user, pk) -> Post:
    post = get_object_or_404(Post.objects.select_related("thread__board__workspace", "author", "parent__author"), pk=pk)
    check_view_post(user, post)
    return post


@dataclass
class Node:
    post: Post
    depth: int  # display depth, 1 … MAX_DISPLAY_DEPTH
    reply_to: Post | None
    nest: bool = False  # opens a collapsible list of its replies
    closes: int = 0  # nested lists that end after this node
    descendants: int = 0

    @property
    def flattened(self) -> bool:
        return self.post.depth > self.depth


@dataclass
class PostPage:
    posts: list[Post]  # every post on the page, including the opening post
    nodes: list[Node] = field(default_factory=list)
    next_after: int | None = None
    prev_before: int | None = None
    prev_first: bool = False  # the previous page is the first page (no cursor)


# What a page of posts shows (forums.rendering): not the Markdown source, nor the authors'
# passwords, settings and biographies. About half the columns a page would otherwise decode.
PAGE_POST_COLUMNS = (
    *("thread_id", "parent_id", "depth", "root_id", "number", "author_id", "body_html", "created_at", "edited_at"),
    *("edit_count", "helpful_count", "is_hidden", "hidden_reason", "is_deleted", "delete_reason"),
    *("author__email", "author__display_name", "author__profile__kommune__name"),
)


def _select_post_columns(qs):
    return qs.select_related("author", "author__profile__kommune").only(*PAGE_POST_COLUMNS)


def build_tree(opening: Post | None, posts: list[Post], top_ids: list[int]) -> list[Node]:
    """Depth-first nodes for the page's top-level replies and their subtrees, nesting up to
    ``MAX_DISPLAY_DEPTH``; deeper replies continue flat at the last level. (``.id``, not the
    ``.pk`` property: read for every post several times.)"""
    by_id = {post.id: post for post in posts}
    if opening is not None:
        by_id.setdefault(opening.id, opening)
    children: dict[int, list[Post]] = defaultdict(list)
    for post in posts:
        if post.depth >= 2 and post.parent_id in by_id:
            children[post.parent_id].append(post)
    nodes: list[Node] = []
    close = object()
    stack: list = [(by_id[pk], 1) for pk in reversed(top_ids) if pk in by_id]
    while stack:
        item = stack.pop()
        if item is close:
            nodes[-1].closes += 1
            continue
        post, depth = item
        kids = children.get(post.id, [])
        node = Node(
            post=post, depth=depth, reply_to=by_id.get(post.parent_id), nest=bool(kids) and depth < MAX_DISPLAY_DEPTH
        )
        nodes.append(node)
        if kids:
            if node.nest:
                stack.append(close)
            child_depth = depth + 1 if depth < MAX_DISPLAY_DEPTH else depth
            stack.extend((kid, child_depth) for kid in reversed(kids))
    sizes: dict[int, int] = {}
    for node in reversed(nodes):
        sizes[node.post.id] = sum(1 + sizes.get(kid.id, 0) for kid in children.get(node.post.id, []))
        node.descendants = sizes[node.post.id]
    return nodes


def _tree_posts(thread_id: int, top_ids: list[int]) -> list[Post]:
    """The page's top-level replies with all their replies. Every viewer gets the same rows
    (the renderer decides what a hidden or deleted post shows to whom), so they are shared
    until a post of the thread or a name changes (``forums.signals``, the services)."""

    def build():
        qs = Post.objects.filter(thread_id=thread_id).filter(Q(pk__in=top_ids) | Q(root_id__in=top_ids))
        return list(_select_post_columns(qs).order_by("id"))

    key = f"thread-posts:{thread_id}:{top_ids[0]}-{top_ids[-1]}:{len(top_ids)}"
    return shared_read(key, (thread_scope(thread_id), PEOPLE_SCOPE), build)


def _top_level_ids(thread_id: int) -> tuple[int, ...]:
    """The ids of the thread's top-level replies in order: what the tree's pages are cut from.
    Shared until a post of the thread changes (a few hundred numbers for the longest thread)."""

    def build():
        return tuple(Post.objects.filter(thread_id=thread_id, depth=1).order_by("id").values_list("id", flat=True))

    return shared_read(f"thread-top-ids:{thread_id}", (thread_scope(thread_id),), build, kept=True)


def thread_post_ids(thread_id: int) -> tuple[int, ...]:
    """Every post id of the thread in order: what a read mark is measured against (2,000
    numbers for the longest thread). Shared until a post of the thread changes."""

    def build():
        return tuple(Post.objects.filter(thread_id=thread_id).order_by("id").values_list("id", flat=True))

    return shared_read(f"thread-post-ids:{thread_id}", (thread_scope(thread_id),), build, kept=True)


def tree_page(thread, *, after: int | None = None, before: int | None = None, size: int | None = None) -> PostPage:
    """One page of top-level replies (keyset on their id) with all their replies."""
    size = size or top_level_page_size()
    ids = _top_level_ids(thread.pk)
    if before:
        end = bisect_left(ids, before)
        top_ids = ids[max(0, end - size) : end]
        has_prev = end > size
        has_next = True
    else:
        start = bisect_right(ids, after) if after else 0
        top_ids = ids[start : start + size]
        has_next = len(ids) > start + size
        has_prev = bool(after)
    posts = _tree_posts(thread.pk, top_ids) if top_ids else []
    page = PostPage(posts=posts, nodes=build_tree(thread.first_post, posts, top_ids))
    if has_next and top_ids:
        page.next_after = top_ids[-1]
    if has_prev and top_ids:
        page.prev_before = top_ids[0]
    return page


def flat_page(thread, *, after: int | None = None, size: int | None = None) -> PostPage:
    """Replies in the order they were written (keyset on id), each with the post it answers."""
    size = size or flat_page_size()
    qs = _select_post_columns(Post.objects.filter(thread=thread, depth__gte=1)).order_by("id")
    if after:
        qs = qs.filter(id__gt=after)
    posts = list(qs[: size + 1])
    has_next = len(posts) > size
    posts = posts[:size]
    known = {post.pk: post for post in posts}
    if thread.first_post is not None:
        known[thread.first_post.pk] = thread.first_post
    missing = {post.parent_id for post in posts if post.parent_id and post.parent_id not in known}
    if missing:
        known.update({p.pk: p for p in Post.objects.filter(pk__in=missing).select_related("author")})
    page = PostPage(posts=posts, nodes=[Node(post=p, depth=1, reply_to=known.get(p.parent_id)) for p in posts])
    if has_next and posts:
        page.next_after = posts[-1].pk
    if after and posts:
        page.prev_first = True
    return page


def page_cursor_for(post) -> dict:
    """The query parameters of the tree page that shows ``post`` (empty for the first page)."""
    top_id = post.top_level_id
    if top_id is None:
        return {}
    ids = _top_level_ids(post.thread_id)
    page_index = bisect_left(ids, top_id) // top_level_page_size()
    if page_index == 0:
        return {}
    return {"after": ids[page_index * top_level_page_size() - 1]}


def last_read_post_id(user, thread) -> int:
    return ThreadRead.objects.filter(user=user, thread=thread).values_list("last_read_post_id", flat=True).first() or 0


def first_unread_post(user, thread) -> Post | None:
    last_read = last_read_post_id(user, thread)
    return (
        Post.objects.filter(thread=thread, id__gt=last_read, is_deleted=False).order_by("id").first()
        or Post.objects.filter(thread=thread).order_by("-id").first()
    )


def helpful_post_ids(user, post_ids) -> set[int]:
    """Which of ``post_ids`` the user found helpful. Pass only posts with a count: only they
    can be among them, so a page without any "helpful" asks nothing."""
    if not post_ids:
        return set()
    return set(Reaction.objects.filter(user=user, post_id__in=post_ids).values_list("post_id", flat=True))


def board_watch_level(user, board) -> str:
    level = BoardSubscription.objects.filter(user=user, board=board).values_list("level", flat=True).first()
    return level or WatchLevel.NORMAL


def draft_for(user, thread) -> Draft | None:
    return Draft.objects.filter(user=user, thread=thread).select_related("parent", "parent__author").first()


def mention_candidates(user, *, board=None, thread=None, query: str = "", limit: int = 8):
    """Members whose name contains ``query`` and who may see the thread (or board)."""
    query = (query or "").strip()
    if len(query) < 1:
        return User.objects.none()
    visible = users_who_can_view_thread_q(thread) if thread is not None else users_who_can_view_board_q(board)
    return (
        User.objects.filter(visible)
        .filter(display_name__icontains=query)
        .exclude(pk=user.pk)
        .select_related("profile__kommune")
        .order_by("display_name")[:limit]
    )


# --- Notifications ----------------------------------------------------------------------


REASON_PRIORITY = {"mention": 0, "reply": 1, "watching": 2, "new_thread": 3}


def recipients_for_post(post) -> dict:
    """``{user: reason}`` for everyone to be told about ``post``; reasons are "mention",
    "reply" (someone answered your post), "watching" (thread or board watched) and
    "new_thread" (board watched for new threads). Muting a thread (or, without a thread
    setting, its board) silences everything. Only members who may see the thread at this
    moment are returned; the author never is.
    """
    thread = post.thread
    board = thread.board
    thread_levels = dict(ThreadSubscription.objects.filter(thread=thread).values_list("user_id", "level"))
    board_levels = dict(BoardSubscription.objects.filter(board=board).values_list("user_id", "level"))

    def level_of(user_id):
        if user_id in thread_levels:
            return thread_levels[user_id]
        return board_levels.get(user_id, WatchLevel.NORMAL)

    reasons: dict[int, str] = {}

    def add(user_id, reason):
        if user_id is None or user_id == post.author_id:
            return
        if level_of(user_id) == WatchLevel.MUTED:
            return
        current = reasons.get(user_id)
        if current is None or REASON_PRIORITY[reason] < REASON_PRIORITY[current]:
            reasons[user_id] = reason

    for user_id in post.mentioned_users.values_list("pk", flat=True):
        add(user_id, "mention")
    is_opening = post.depth == 0
    if is_opening:
        for user_id, level in board_levels.items():
            if level in (WatchLevel.WATCHING, WatchLevel.NEW_THREADS):
                add(user_id, "new_thread")
    else:
        parent_author = Post.objects.filter(pk=post.parent_id).values_list("author_id", flat=True).first()
        if parent_author is not None and thread_levels.get(parent_author) != WatchLevel.MUTED:
            add(parent_author, "reply")
        for user_id, level in thread_levels.items():
            if level == WatchLevel.WATCHING:
                add(user_id, "watching")
        for user_id, level in board_levels.items():
            if level == WatchLevel.WATCHING and user_id not in thread_levels:
                add(user_id, "watching")
    if not reasons:
        return {}
    allowed = User.objects.filter(users_who_can_view_thread_q(thread)).filter(pk__in=list(reasons))
    return {user: reasons[user.pk] for user in allowed}


# --- Reports --------------------------------------------------------------------------


def reports_for_queue(user, *, state: str | None = None):
    qs = filter_reports_visible_to(
        user,
        Report.objects.select_related("post__thread__board__workspace", "post__author", "reporter", "handled_by"),
    )
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-created_at", "-id")


def report_counts(user) -> dict[str, int]:
    rows = filter_reports_visible_to(user, Report.objects.all()).values("state").annotate(n=Count("id"))
    return {row["state"]: row["n"] for row in rows}


def report_for_view(user, pk) -> Report:
    """A report for its moderators, or (read-only) for the member who filed it."""
    report = get_object_or_404(
        Report.objects.select_related("post__thread__board__workspace", "post__author", "reporter", "handled_by"),
        pk=pk,
    )
    if not (report.reporter_id == user.pk or can_handle_report(user, report)):
        raise Http404
    return report


_LATEST_THREADS = Statement(
    lambda workspace, access, limit: filter_workspace_threads(
        access, Thread.objects.filter(board__workspace=workspace).only("id", "title", "last_post_at", "post_count")
    ).order_by("-last_post_at", "-id")[:limit],
    values=("workspace",),
)


def latest_threads_for_workspace(user, workspace, limit: int = 5) -> list[Thread]:
    """The most recently active threads in the workspace's boards that the user may see."""
    access = workspace_threads_access(user, workspace)
    return _LATEST_THREADS.list(workspace=workspace.pk, access=access, limit=limit)


_DISCUSSIONS = Statement(
    lambda document: (
        Thread.objects.filter(documents=document)
        .select_related("board", "board__workspace")
        .order_by("created_at", "id")
    ),
    values=("document",),
)


def discussion_thread_for(user, document) -> Thread | None:
    """The document's discussion: the oldest thread about it that the user may see. A document
    has few threads about it, so the policy picks among them here rather than in the query."""
    return next((thread for thread in _DISCUSSIONS.list(document=document.pk) if can_view_thread(user, thread)), None)


def documents_of_thread(user, thread):
    """Documents the thread is about that the user may open."""
    from documents.selectors import documents_visible_to

    return list(documents_visible_to(user).filter(threads=thread).order_by("title"))
