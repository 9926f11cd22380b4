"""Every write of the forums. Each function checks permission first, writes in one
transaction, records activity/audit and notifies through ``notifications.services.notify``.

Public API for other apps: ``create_thread``, ``post_reply``, ``edit_post``, ``delete_post``,
``mark_thread_read``, ``set_thread_watch``, ``set_board_watch`` and the moderation functions.
"""

import difflib
from bisect import bisect_right

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from forums import permissions as perms
from forums.models import (
    Board,
    BoardSubscription,
    Draft,
    Post,
    PostEdit,
    Reaction,
    Report,
    Thread,
    ThreadRead,
    ThreadSubscription,
    WatchLevel,
)
from forums.ratelimit import check_rate
from forums.selectors import recipients_for_post, thread_post_ids
from forums.signals import marks_scope, thread_scope
from forums.text import mentioned_user_ids, render_post_body, validate_body
from notifications.services import notify
from pages import audit
from pages.shared_reads import changed
from search.services import remove_from_index, remove_many_from_index, update_index
from workspaces.activity import forget_activity, record_activity

MAX_TITLE_LENGTH = 200


def _watch_on_post() -> bool:
    return getattr(settings, "FORUMS_WATCH_ON_POST", True)


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if len(title) < 3:
        raise ValidationError(_("Please enter a title of at least 3 characters."), code="title")
    if len(title) > MAX_TITLE_LENGTH:
        raise ValidationError(_("The title may have at most 200 characters."), code="title")
    return title


def _clean_reason(reason: str, *, required: bool = True) -> str:
    reason = " ".join((reason or "").split())[:500]
    if required and not reason:
        raise ValidationError(_("Please give a reason."), code="reason")
    return reason


def _forget_thread_activity(thread) -> None:
    """Remove the feed entries of a thread and all its posts (hidden, or moved elsewhere)."""
    from django.contrib.contenttypes.models import ContentType

    from workspaces.models import Activity

    forget_activity(thread)
    Activity.objects.filter(
        target_type=ContentType.objects.get_for_model(Post),
        target_id__in=Post.objects.filter(thread=thread).values("pk"),
    ).delete()


def _watch(user, thread) -> None:
    if _watch_on_post():
        ThreadSubscription.objects.get_or_create(user=user, thread=thread, defaults={"level": WatchLevel.WATCHING})


def _advance_read(user, thread, post_id: int) -> None:
    mark, created = ThreadRead.objects.get_or_create(user=user, thread=thread, defaults={"last_read_post_id": post_id})
    if not created and mark.last_read_post_id < post_id:
        ThreadRead.objects.filter(pk=mark.pk, last_read_post_id__lt=post_id).update(
            last_read_post_id=post_id, updated_at=timezone.now()
        )
        changed(marks_scope(user.pk))  # an update() sends no signal


def _notify_post(post: Post, *, actor) -> None:
    thread = post.thread
    recipients = recipients_for_post(post)
    workspace = thread.board.workspace
    mentioned = [user for user, reason in recipients.items() if reason == "mention"]
    others = [user for user, reason in recipients.items() if reason != "mention"]
    if mentioned:
        notify(recipients=mentioned, kind="forum_mention", target=post, actor=actor, workspace=workspace)
    if others:
        if post.depth == 0:
            notify(recipients=others, kind="forum_new_thread", target=thread, actor=actor, workspace=workspace)
        else:
            notify(
                recipients=others,
                kind="forum_reply",
                target=post,
                actor=actor,
                workspace=workspace,
                merge_key=f"thread:{thread.id}:reply",
            )


def reindex_thread(thread: Thread) -> None:
    """After moderation changed a thread's scope, state or posts: its entry and every reply's."""
    update_index(thread)
    replies = Post.objects.filter(thread=thread).exclude(pk=thread.first_post_id)
    if thread.is_hidden:
        remove_many_from_index(kind="post", object_ids=list(replies.values_list("pk", flat=True)))
        return
    for post in replies.select_related("thread__board__workspace", "author"):
        update_index(post)


def _reindex_post(post: Post) -> None:
    """The opening post is searched as part of its thread; replies are entries of their own."""
    update_index(post.thread if post.depth == 0 else post)


def _write_post(*, thread, author, body, parent, depth, root_id, created_at=None) -> Post:
    """Insert a post under a row lock on the thread, so numbers and counters stay exact."""
    locked = Thread.objects.select_for_update().only("id", "post_count").get(pk=thread.pk)
    mention_ids = mentioned_user_ids(body)
    now = created_at or timezone.now()
    post = Post.objects.create(
        thread=thread,
        parent=parent,
        depth=depth,
        root_id=root_id,
        number=locked.post_count + 1,
        author=author,
        body=body,
        body_html=render_post_body(body),
        created_at=now,
    )
    if mention_ids:
        post.mentioned_users.set(mention_ids)
    Thread.objects.filter(pk=thread.pk).update(post_count=F("post_count") + 1, last_post_id=post.pk, last_post_at=now)
    thread.post_count = locked.post_count + 1
    thread.last_post_id = post.pk
    thread.last_post_at = now
    return post


def create_thread(*, author, board: Board, title: str, body: str, topics=()) -> Thread:
    """Open a thread with its first post. Raises PermissionDenied, ValidationError or RateLimitError."""
    if not perms.can_view_board(author, board):
        raise PermissionDenied
    if not perms.can_start_thread(author, board):
        raise PermissionDenied
    title = _clean_title(title)
    body = validate_body(body)
    mentioned_user_ids(body)  # validate the cap before counting the attempt
    check_rate(author, "thread")
    with transaction.atomic():
        thread = Thread.objects.create(board=board, title=title, author=author)
        if topics:
            thread.topics.set(topics)
        post = _write_post(thread=thread, author=author, body=body, parent=None, depth=0, root_id=None)
        thread.first_post = post
        thread.save(update_fields=["first_post"])
        _watch(author, thread)
        _advance_read(author, thread, post.pk)
        record_activity(actor=author, verb="thread_created", target=thread, workspace=board.workspace)
        _notify_post(post, actor=author)
        update_index(thread)
    return thread


def post_reply(*, author, thread: Thread, body: str, parent: Post | None = None) -> Post:
    """Reply to the thread (``parent`` None or the opening post) or to any post in it."""
    perms.check_reply(author, thread)
    if parent is not None and parent.thread_id != thread.pk:
        raise ValidationError(_("This post does not belong to the thread."), code="parent")
    body = validate_body(body)
    mentioned_user_ids(body)
    check_rate(author, "reply")
    with transaction.atomic():
        opening = thread.first_post
        if parent is None or parent.depth == 0:
            parent, depth, root_id = opening, 1, None
        else:
            depth = parent.depth + 1
            root_id = parent.pk if parent.depth == 1 else parent.root_id
        previous_last = thread.last_post_id
        post = _write_post(thread=thread, author=author, body=body, parent=parent, depth=depth, root_id=root_id)
        # A reader who was up to date stays up to date after writing.
        if ThreadRead.objects.filter(user=author, thread=thread, last_read_post_id__gte=previous_last).exists():
            _advance_read(author, thread, post.pk)
        Draft.objects.filter(user=author, thread=thread).delete()
        _watch(author, thread)
        record_activity(
            actor=author,
            verb="post_replied",
            target=post,
            workspace=thread.board.workspace,
            title=thread.title,
        )
        _notify_post(post, actor=author)
        _reindex_post(post)
    return post


def edit_post(*, editor, post: Post, body: str) -> Post:
    """Change a post's text, keeping the previous version as a ``PostEdit``."""
    if not perms.can_view_post(editor, post):
        raise PermissionDenied
    if not perms.can_edit_post(editor, post):
        raise PermissionDenied
    body = validate_body(body)
    if body == post.body:
        return post
    mention_ids = mentioned_user_ids(body)
    with transaction.atomic():
        before = set(post.mentioned_users.values_list("pk", flat=True))
        PostEdit.objects.create(post=post, editor=editor, old_body=post.body, new_body=body)
        post.body = body
        post.body_html = render_post_body(body)
        post.edited_at = timezone.now()
        post.edit_count = F("edit_count") + 1
        post.save(update_fields=["body", "body_html", "edited_at", "edit_count"])
        post.refresh_from_db(fields=["edit_count"])
        post.mentioned_users.set(mention_ids)
        added = set(mention_ids) - before
        if added:
            recipients = [
                user for user, reason in recipients_for_post(post).items() if reason == "mention" and user.pk in added
            ]
            if recipients:
                notify(
                    recipients=recipients,
                    kind="forum_mention",
                    target=post,
                    actor=editor,
                    workspace=post.thread.board.workspace,
                )
        if editor.pk != post.author_id:
            audit.record(actor=editor, action="forums.post_edited_by_moderator", target=post, thread=post.thread_id)
        _reindex_post(post)
    return post


def post_diff(edit: PostEdit) -> list[tuple[str, str]]:
    """``[(kind, line)]`` of a unified diff, kind in "add", "remove", "context", "info"."""
    lines = []
    for line in difflib.unified_diff(
        edit.old_body.splitlines(), edit.new_body.splitlines(), lineterm="", n=2, fromfile="", tofile=""
    ):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            lines.append(("info", line))
        elif line.startswith("+"):
            lines.append(("add", line[1:]))
        elif line.startswith("-"):
            lines.append(("remove", line[1:]))
        else:
            lines.append(("context", line[1:]))
    return lines


def delete_post(*, user, post: Post, reason: str = "") -> Post:
    """Soft-delete: the author within the grace period, moderators any time (with a reason)."""
    if not perms.can_view_post(user, post):
        raise PermissionDenied
    if not perms.can_delete_post(user, post):
        raise PermissionDenied
    by_moderator = not (
        perms.is_own_post(user, post) and timezone.now() - post.created_at <= perms.delete_grace_period()
    )
    reason = _clean_reason(reason, required=by_moderator)
    with transaction.atomic():
        post.is_deleted = True
        post.deleted_at = timezone.now()
        post.deleted_by = user
        post.delete_reason = reason
        post.save(update_fields=["is_deleted", "deleted_at", "deleted_by", "delete_reason"])
        if post.thread.result_post_id == post.pk:
            Thread.objects.filter(pk=post.thread_id).update(result_post=None)
        forget_activity(post)
        if by_moderator:
            audit.record(actor=user, action="forums.post_deleted", target=post, reason=reason)
            if post.author is not None:
                notify(
                    recipients=[post.author],
                    kind="forum_moderation",
                    target=post,
                    actor=user,
                    workspace=post.thread.board.workspace,
                    data={"action": "deleted", "reason": reason},
                )
        _reindex_post(post)
    return post


def toggle_helpful(*, user, post: Post) -> bool:
    """Add or take back the member's "helpful"; returns whether it is set now."""
    if not perms.can_view_post(user, post):
        raise PermissionDenied
    if not perms.can_react(user, post):
        raise PermissionDenied
    with transaction.atomic():
        deleted, _rows = Reaction.objects.filter(user=user, post=post).delete()
        if deleted:
            Post.objects.filter(pk=post.pk).update(helpful_count=F("helpful_count") - 1)
            is_set = False
        else:
            try:
                with transaction.atomic():
                    Reaction.objects.create(user=user, post=post)
            except IntegrityError:  # a concurrent click already stored it
                return True
            Post.objects.filter(pk=post.pk).update(helpful_count=F("helpful_count") + 1)
            is_set = True
        changed(thread_scope(post.thread_id))  # the count is on the thread's shared page
    post.refresh_from_db(fields=["helpful_count"])
    return is_set


def save_draft(*, user, thread: Thread, body: str, parent: Post | None = None) -> Draft | None:
    """Keep what the member is writing; an empty text removes the draft."""
    perms.check_reply(user, thread)
    body = (body or "")[:20_000]
    if parent is not None and parent.thread_id != thread.pk:
        parent = None
    if not body.strip():
        Draft.objects.filter(user=user, thread=thread).delete()
        return None
    draft, _created = Draft.objects.update_or_create(
        user=user, thread=thread, defaults={"body": body, "parent": parent, "updated_at": timezone.now()}
    )
    return draft


def mark_thread_read(*, user, thread: Thread, shown_post_ids, last_read: int) -> bool:
    """Advance the read mark after a page was shown; writes only when it moves forward.

    The mark is a watermark: it moves to the highest id such that every post of the thread up
    to it was shown (on this page or before), so posts on a later page stay unread.
    """
    if not perms.is_portal_member(user) or last_read >= thread.last_post_id:
        return False
    shown = sorted(pk for pk in shown_post_ids if pk > last_read)
    if not shown:
        return False
    # The thread's ids come from the shared read that is kept with the page's posts (a query
    # per page view before, which seldom moved the mark on a long thread's later pages).
    ids, seen = thread_post_ids(thread.pk), set(shown)
    first_unseen = next((pk for pk in ids[bisect_right(ids, last_read) :] if pk not in seen), None)
    candidates = [pk for pk in shown if first_unseen is None or pk < first_unseen]
    target = thread.last_post_id if first_unseen is None else (candidates[-1] if candidates else 0)
    if target <= last_read:
        return False
    _advance_read(user, thread, target)
    return True


def mark_board_read(*, user, board: Board) -> int:
    """Mark every visible thread of the board as read; returns how many marks moved."""
    perms.check_view_board(user, board)
    threads = dict(
        perms.filter_threads_visible_to(user, Thread.objects.filter(board=board)).values_list("pk", "last_post_id")
    )
    with transaction.atomic():
        existing = dict(
            ThreadRead.objects.filter(user=user, thread_id__in=list(threads)).values_list(
                "thread_id", "last_read_post_id"
            )
        )
        now = timezone.now()
        moved = 0
        for thread_id, last_post_id in threads.items():
            if thread_id in existing and existing[thread_id] < last_post_id:
                ThreadRead.objects.filter(user=user, thread_id=thread_id).update(
                    last_read_post_id=last_post_id, updated_at=now
                )
                moved += 1
        new = [
            ThreadRead(user=user, thread_id=thread_id, last_read_post_id=last_post_id, updated_at=now)
            for thread_id, last_post_id in threads.items()
            if thread_id not in existing
        ]
        ThreadRead.objects.bulk_create(new, ignore_conflicts=True)
        if moved or new:
            changed(marks_scope(user.pk))  # update() and bulk_create() send no signals
    return moved + len(new)


def set_thread_watch(*, user, thread: Thread, level: str) -> None:
    perms.check_view_thread(user, thread)
    if level not in (WatchLevel.MUTED, WatchLevel.NORMAL, WatchLevel.WATCHING):
        raise ValidationError(_("Unknown notification level."), code="level")
    ThreadSubscription.objects.update_or_create(user=user, thread=thread, defaults={"level": level})


def set_board_watch(*, user, board: Board, level: str) -> None:
    perms.check_view_board(user, board)
    if level not in WatchLevel.values:
        raise ValidationError(_("Unknown notification level."), code="level")
    BoardSubscription.objects.update_or_create(user=user, board=board, defaults={"level": level})


# --- Results --------------------------------------------------------------------------


def mark_result(*, user, thread: Thread, post: Post | None) -> Thread:
    """Mark the post that answers or sums up the thread (``None`` removes the mark)."""
    perms.check_view_thread(user, thread)
    if not perms.can_mark_result(user, thread):
        raise PermissionDenied
    if post is not None and (post.thread_id != thread.pk or not post.is_visible_content or post.depth == 0):
        raise ValidationError(_("This post cannot be marked as the result."), code="result")
    with transaction.atomic():
        thread.result_post = post
        thread.result_marked_by = user if post is not None else None
        thread.save(update_fields=["result_post", "result_marked_by"])
        audit.record(
            actor=user,
            action="forums.result_marked" if post else "forums.result_cleared",
            target=thread,
            post=post.pk if post else None,
        )
        if post is not None and post.author is not None and post.author_id != user.pk:
            if perms.can_view_thread(post.author, thread):
                notify(
                    recipients=[post.author],
                    kind="forum_result",
                    target=post,
                    actor=user,
                    workspace=thread.board.workspace,
                )
    return thread


# --- Moderation -----------------------------------------------------------------------


def _moderate(moderator, thread):
    perms.check_moderate_thread(moderator, thread)


def pin_thread(*, moderator, thread: Thread, pinned: bool = True) -> Thread:
    _moderate(moderator, thread)
    with transaction.atomic():
        thread.is_pinned = pinned
        thread.save(update_fields=["is_pinned"])
        audit.record(
            actor=moderator, action="forums.thread_pinned" if pinned else "forums.thread_unpinned", target=thread
        )
    return thread


def lock_thread(*, moderator, thread: Thread, locked: bool = True, reason: str = "") -> Thread:
    _moderate(moderator, thread)
    reason = _clean_reason(reason, required=False)
    with transaction.atomic():
        thread.is_locked = locked
        thread.save(update_fields=["is_locked"])
        audit.record(
            actor=moderator,
            action="forums.thread_locked" if locked else "forums.thread_unlocked",
            target=thread,
            reason=reason,
        )
    return thread


def hide_thread(*, moderator, thread: Thread, reason: str) -> Thread:
    _moderate(moderator, thread)
    reason = _clean_reason(reason)
    with transaction.atomic():
        thread.is_hidden = True
        thread.hidden_reason = reason
        thread.save(update_fields=["is_hidden", "hidden_reason"])
        _forget_thread_activity(thread)
        audit.record(actor=moderator, action="forums.thread_hidden", target=thread, reason=reason)
        if thread.author is not None and thread.author_id != moderator.pk:
            notify(
                recipients=[thread.author],
                kind="forum_moderation",
                actor=moderator,
                workspace=thread.board.workspace,
                data={"action": "thread_hidden", "reason": reason},
            )
        reindex_thread(thread)
    return thread


def unhide_thread(*, moderator, thread: Thread, reason: str = "") -> Thread:
    _moderate(moderator, thread)
    reason = _clean_reason(reason, required=False)
    with transaction.atomic():
        thread.is_hidden = False
        thread.hidden_reason = ""
        thread.save(update_fields=["is_hidden", "hidden_reason"])
        audit.record(actor=moderator, action="forums.thread_unhidden", target=thread, reason=reason)
        reindex_thread(thread)
    return thread


def hide_post(*, moderator, post: Post, reason: str) -> Post:
    _moderate(moderator, post.thread)
    reason = _clean_reason(reason)
    with transaction.atomic():
        post.is_hidden = True
        post.hidden_reason = reason
        post.hidden_by = moderator
        post.save(update_fields=["is_hidden", "hidden_reason", "hidden_by"])
        if post.thread.result_post_id == post.pk:
            Thread.objects.filter(pk=post.thread_id).update(result_post=None)
        forget_activity(post)
        audit.record(actor=moderator, action="forums.post_hidden", target=post, reason=reason)
        if post.author is not None and post.author_id != moderator.pk:
            notify(
                recipients=[post.author],
                kind="forum_moderation",
                target=post,
                actor=moderator,
                workspace=post.thread.board.workspace,
                data={"action": "hidden", "reason": reason},
            )
        _reindex_post(post)
    return post


def unhide_post(*, moderator, post: Post, reason: str = "") -> Post:
    _moderate(moderator, post.thread)
    reason = _clean_reason(reason, required=False)
    with transaction.atomic():
        post.is_hidden = False
        post.hidden_reason = ""
        post.hidden_by = None
        post.save(update_fields=["is_hidden", "hidden_reason", "hidden_by"])
        audit.record(actor=moderator, action="forums.post_unhidden", target=post, reason=reason)
        _reindex_post(post)
    return post


def move_thread(*, moderator, thread: Thread, board: Board) -> Thread:
    """Move to another board; the moderator must moderate both, and readers follow the new board."""
    _moderate(moderator, thread)
    if not perms.can_view_board(moderator, board) or not perms.can_moderate_board(moderator, board):
        raise PermissionDenied
    if board.pk == thread.board_id:
        return thread
    with transaction.atomic():
        old_board = thread.board
        thread.board = board
        thread.save(update_fields=["board"])
        audit.record(
            actor=moderator, action="forums.thread_moved", target=thread, from_board=old_board.pk, to_board=board.pk
        )
        if old_board.workspace_id != board.workspace_id:
            # Activities carry their workspace; they must not stay visible under the old one.
            _forget_thread_activity(thread)
        reindex_thread(thread)
    return thread


def _relayout(thread: Thread, opening: Post) -> None:
    """Recompute depth, root_id, number and the counters of ``thread`` after posts moved."""
    posts = list(Post.objects.filter(thread=thread).order_by("id"))
    by_id = {post.pk: post for post in posts}
    children: dict[int, list[Post]] = {}
    for post in posts:
        if post.pk != opening.pk:
            parent_id = post.parent_id if post.parent_id in by_id else opening.pk
            post.parent_id = parent_id
            children.setdefault(parent_id, []).append(post)
    opening.depth, opening.root_id, opening.parent_id = 0, None, None
    by_id[opening.pk] = opening
    stack = [(kid, 1, None) for kid in children.get(opening.pk, [])]
    while stack:
        post, depth, root = stack.pop()
        post.depth = depth
        post.root_id = root
        for kid in children.get(post.pk, []):
            stack.append((kid, depth + 1, root if root is not None else post.pk))
    ordered = sorted(by_id.values(), key=lambda p: (p.created_at, p.pk))
    for number, post in enumerate(ordered, start=1):
        post.number = number
    Post.objects.bulk_update(list(by_id.values()), ["parent", "depth", "root_id", "number"], batch_size=500)
    changed(thread_scope(thread.pk))  # posts moved in with update(), laid out with bulk_update()
    last = max(by_id.values(), key=lambda p: p.pk)
    Thread.objects.filter(pk=thread.pk).update(
        first_post=opening,
        post_count=len(by_id),
        last_post_id=last.pk,
        last_post_at=max(p.created_at for p in by_id.values()),
    )


def split_thread(*, moderator, post: Post, title: str, board: Board | None = None) -> Thread:
    """Move ``post`` and all replies below it into a new thread, ``post`` becoming its opening post."""
    source = post.thread
    _moderate(moderator, source)
    board = board or source.board
    if not perms.can_moderate_board(moderator, board):
        raise PermissionDenied
    if post.depth == 0:
        raise ValidationError(_("The opening post cannot be split off."), code="split")
    title = _clean_title(title)
    with transaction.atomic():
        ids = [post.pk]
        frontier = [post.pk]
        while frontier:
            frontier = list(Post.objects.filter(thread=source, parent_id__in=frontier).values_list("pk", flat=True))
            ids.extend(frontier)
        new = Thread.objects.create(board=board, title=title, author=post.author, created_at=post.created_at)
        Post.objects.filter(pk__in=ids).update(thread=new)
        Post.objects.filter(pk=post.pk).update(parent=None)
        post.refresh_from_db()
        _relayout(new, post)
        _relayout(source, source.first_post)
        if source.result_post_id in ids:
            Thread.objects.filter(pk=source.pk).update(result_post=None)
        audit.record(actor=moderator, action="forums.thread_split", target=source, new_thread=new.pk, posts=len(ids))
        new.refresh_from_db()
        source.refresh_from_db()
        reindex_thread(new)
        reindex_thread(source)
    return new


def merge_threads(*, moderator, source: Thread, target: Thread) -> Thread:
    """Append ``source`` to ``target``: its opening post becomes a reply to the thread."""
    _moderate(moderator, source)
    _moderate(moderator, target)
    if source.pk == target.pk:
        raise ValidationError(_("A thread cannot be merged with itself."), code="merge")
    with transaction.atomic():
        source_opening_id = source.first_post_id
        Post.objects.filter(thread=source).update(thread=target)
        Post.objects.filter(pk=source_opening_id).update(parent=target.first_post)
        _relayout(target, target.first_post)
        audit.record(
            actor=moderator,
            action="forums.thread_merged",
            target=target,
            source_thread=source.pk,
            source_title=source.title,
        )
        forget_activity(source)
        remove_from_index(source)
        source.delete()
        target.refresh_from_db()
        reindex_thread(target)
    return target


# --- Reports --------------------------------------------------------------------------


def report_post(*, reporter, post: Post, reason: str, details: str = "") -> Report:
    if not perms.can_view_post(reporter, post):
        raise PermissionDenied
    if not perms.can_report(reporter, post):
        raise PermissionDenied
    if reason not in Report.Reason.values:
        raise ValidationError(_("Please choose a reason."), code="reason")
    details = (details or "").strip()[:2000]
    if reason in (Report.Reason.ILLEGAL, Report.Reason.OTHER) and not details:
        raise ValidationError(_("Please explain why the post should be checked."), code="details")
    with transaction.atomic():
        report = Report.objects.create(post=post, reporter=reporter, reason=reason, details=details)
        audit.record(actor=reporter, action="forums.post_reported", target=post, report=report.pk, reason=reason)
        board = post.thread.board
        from accounts.models import User
        from workspaces.models import Membership

        moderators = User.objects.members().filter(is_staff=True)
        if board.workspace_id is not None:
            moderators = (
                User.objects.members().filter(
                    pk__in=Membership.objects.filter(
                        workspace_id=board.workspace_id, role=Membership.Role.MODERATOR
                    ).values("user_id")
                )
                | moderators
            )
        notify(recipients=list(moderators.distinct()), kind="forum_report", target=report, actor=reporter)
    return report


def decide_report(*, moderator, report: Report, state: str, decision: str, hide: bool = False) -> Report:
    """Record a moderator's decision with its reason; reporter and author are informed."""
    perms.check_handle_report(moderator, report)
    if state not in Report.State.values or state == Report.State.OPEN:
        raise ValidationError(_("Please choose a state."), code="state")
    decision = (decision or "").strip()[:2000]
    if state in (Report.State.RESOLVED, Report.State.REJECTED) and not decision:
        raise ValidationError(_("Please give the reason for your decision."), code="decision")
    post = report.post
    with transaction.atomic():
        if hide and not post.is_hidden:
            hide_post(moderator=moderator, post=post, reason=decision or _("Hidden after a report"))
            report.post_hidden = True
        report.state = state
        report.decision = decision
        report.handled_by = moderator
        report.handled_at = timezone.now()
        report.save(update_fields=["state", "decision", "handled_by", "handled_at", "post_hidden"])
        audit.record(
            actor=moderator,
            action="forums.report_decided",
            target=report,
            state=state,
            decision=decision,
            post=post.pk,
            post_hidden=report.post_hidden,
        )
        if state in (Report.State.RESOLVED, Report.State.REJECTED):
            if report.reporter is not None:
                notify(
                    recipients=[report.reporter],
                    kind="forum_report_decided",
                    target=report,
                    actor=moderator,
                    data={"state": state, "decision": decision},
                )
            if post.author is not None and not report.post_hidden:
                notify(
                    recipients=[post.author],
                    kind="forum_moderation",
                    target=post,
                    actor=moderator,
                    workspace=post.thread.board.workspace,
                    data={"action": f"report_{state}", "reason": decision},
                )
    return report


# --- Document discussions ---------------------------------------------------------------


def discuss_document(*, author, document, body: str) -> Post:
    """Comment on a document. The first comment opens its discussion thread in the board of
    the document's workspace (or the first portal-wide board); later ones reply there."""
    from documents.permissions import check_view_document
    from forums.selectors import discussion_thread_for

    check_view_document(author, document)
    thread = discussion_thread_for(author, document)
    if thread is not None:
        return post_reply(author=author, thread=thread, body=body)
    board = Board.objects.filter(workspace=document.workspace).order_by("position", "id").first()
    if board is None:
        raise ValidationError(_("There is no forum board for this document's workspace yet."), code="no_board")
    title = _("Discussion: %(title)s") % {"title": document.title}
    with transaction.atomic():
        thread = create_thread(author=author, board=board, title=title[:200], body=body)
        thread.documents.add(document)
    return thread.first_post
