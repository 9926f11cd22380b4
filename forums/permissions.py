"""Who may see and do what in the forums, built on the one workspace policy.

A board is portal-wide (``workspace`` NULL) or lives in a workspace and follows its
visibility. Threads and posts inherit their board's visibility; a hidden thread is visible to
moderators only. Anything a user may not see answers 404, like a non-existent id.
"""

from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from workspaces.models import Membership, Workspace
from workspaces.permissions import (
    can_moderate_scoped,
    can_view_scoped,
    can_write_scoped,
    is_portal_member,
    scoped_visible_q,
    workspace_roles,
)

DEFAULT_DELETE_GRACE_MINUTES = 30


def delete_grace_period() -> timedelta:
    return timedelta(minutes=getattr(settings, "FORUMS_DELETE_GRACE_MINUTES", DEFAULT_DELETE_GRACE_MINUTES))


# --- Boards ---------------------------------------------------------------------------


def filter_boards_visible_to(user, qs):
    return qs.filter(scoped_visible_q(user, "workspace"))


def can_view_board(user, board) -> bool:
    return can_view_scoped(user, board.workspace)


def check_view_board(user, board) -> None:
    if not can_view_board(user, board):
        raise Http404


def can_start_thread(user, board) -> bool:
    return can_write_scoped(user, board.workspace)


def can_moderate_board(user, board) -> bool:
    return can_moderate_scoped(user, board.workspace)


def moderated_boards_q(user, field: str = "board") -> Q:
    """Rows (threads, reports, …) whose board ``user`` moderates."""
    if not is_portal_member(user):
        return Q(pk__in=[])
    if user.is_staff:
        return Q()
    moderated = [pk for pk, role in workspace_roles(user).items() if role == "moderator"]
    return Q(**{f"{field}__workspace_id__in": moderated})


def is_moderator_anywhere(user) -> bool:
    if not is_portal_member(user):
        return False
    return user.is_staff or "moderator" in workspace_roles(user).values()


# --- Threads --------------------------------------------------------------------------


def filter_threads_visible_to(user, qs):
    qs = qs.filter(scoped_visible_q(user, "board__workspace"))
    if user.is_authenticated and user.is_staff:
        return qs
    return qs.filter(Q(is_hidden=False) | moderated_boards_q(user))


def workspace_threads_access(user, workspace) -> str:
    """Which of one workspace's threads the user sees, as ``filter_threads_visible_to`` would
    decide it: "none", "all" (hidden ones too) or "shown". Known here, not asked in the query."""
    if not can_view_scoped(user, workspace):
        return "none"
    return "all" if can_moderate_scoped(user, workspace) else "shown"


def filter_workspace_threads(access: str, qs):
    """``qs`` (threads of one workspace) narrowed to what ``workspace_threads_access`` allows."""
    if access == "none":
        return qs.none()
    return qs if access == "all" else qs.filter(is_hidden=False)


def can_view_thread(user, thread) -> bool:
    if not can_view_board(user, thread.board):
        return False
    return not thread.is_hidden or can_moderate_board(user, thread.board)


def check_view_thread(user, thread) -> None:
    if not can_view_thread(user, thread):
        raise Http404


def can_reply(user, thread) -> bool:
    if not can_view_thread(user, thread) or not can_write_scoped(user, thread.board.workspace):
        return False
    if thread.is_hidden or thread.is_locked:
        return can_moderate_board(user, thread.board)
    return True


def check_reply(user, thread) -> None:
    check_view_thread(user, thread)
    if not can_reply(user, thread):
        raise PermissionDenied


def can_moderate_thread(user, thread) -> bool:
    return can_moderate_board(user, thread.board)


def check_moderate_thread(user, thread) -> None:
    check_view_thread(user, thread)
    if not can_moderate_thread(user, thread):
        raise PermissionDenied


def can_mark_result(user, thread) -> bool:
    if not can_view_thread(user, thread):
        return False
    is_author = thread.author_id is not None and thread.author_id == user.pk
    return can_moderate_thread(user, thread) or (is_author and can_write_scoped(user, thread.board.workspace))


class ThreadRights(NamedTuple):
    """What a viewer may do on a thread's page. Viewers with the same rights see its posts
    alike, but for their own posts, what they have read and what they found helpful; the
    page's rendered posts are shared on that (``forums.rendering.shared_page``)."""

    moderate: bool
    write: bool
    mark_result: bool
    reply: bool


def thread_rights(user, thread) -> ThreadRights:
    return ThreadRights(
        moderate=can_moderate_thread(user, thread),
        write=can_write_scoped(user, thread.board.workspace),
        mark_result=can_mark_result(user, thread),
        reply=can_reply(user, thread),
    )


# --- Posts ----------------------------------------------------------------------------


def can_view_post(user, post) -> bool:
    """The post's place in its thread; hidden or deleted text is shown only to ``can_read_post_body``."""
    return can_view_thread(user, post.thread)


def check_view_post(user, post) -> None:
    if not can_view_post(user, post):
        raise Http404


def can_read_post_body(user, post) -> bool:
    if post.is_visible_content:
        return True
    if post.is_deleted and not can_moderate_thread(user, post.thread):
        return False
    return can_moderate_thread(user, post.thread) or post.author_id == user.pk


def is_own_post(user, post) -> bool:
    return post.author_id is not None and post.author_id == user.pk


def can_edit_post(user, post) -> bool:
    if not can_view_post(user, post) or post.is_deleted:
        return False
    if can_moderate_thread(user, post.thread):
        return True
    return (
        is_own_post(user, post)
        and not post.is_hidden
        and not post.thread.is_locked
        and can_write_scoped(user, post.thread.board.workspace)
    )


def can_delete_post(user, post) -> bool:
    if not can_view_post(user, post) or post.is_deleted:
        return False
    if can_moderate_thread(user, post.thread):
        return True
    return is_own_post(user, post) and timezone.now() - post.created_at <= delete_grace_period()


def can_view_post_history(user, post) -> bool:
    return can_view_post(user, post) and (is_own_post(user, post) or can_moderate_thread(user, post.thread))


def can_react(user, post) -> bool:
    return (
        can_view_post(user, post)
        and post.is_visible_content
        and not is_own_post(user, post)
        and can_write_scoped(user, post.thread.board.workspace)
    )


def can_report(user, post) -> bool:
    return can_view_post(user, post) and post.is_visible_content and not is_own_post(user, post)


# --- Reports --------------------------------------------------------------------------


def filter_reports_visible_to(user, qs):
    """Reports a moderator handles: staff all of them, workspace moderators those of their boards."""
    return qs.filter(moderated_boards_q(user, "post__thread__board"))


def can_handle_report(user, report) -> bool:
    return can_moderate_board(user, report.post.thread.board)


def check_handle_report(user, report) -> None:
    if not can_handle_report(user, report):
        raise Http404


# --- Who may be told about a thread ---------------------------------------------------


def users_who_can_view_board_q(board) -> Q:
    """A ``Q`` on User for members allowed to see ``board`` (mention autocomplete, notifications)."""
    q = Q(is_active=True) & (Q(status="active") | Q(is_staff=True))
    workspace = board.workspace
    if workspace is None or workspace.visibility == Workspace.Visibility.PORTAL:
        return q
    return q & (Q(is_staff=True) | Q(pk__in=Membership.objects.filter(workspace=workspace).values("user_id")))


def users_who_can_view_thread_q(thread) -> Q:
    """A ``Q`` on User for members allowed to see ``thread``; a hidden thread only its moderators."""
    if not thread.is_hidden:
        return users_who_can_view_board_q(thread.board)
    q = Q(is_active=True) & (Q(status="active") | Q(is_staff=True))
    moderators = Q(is_staff=True)
    workspace = thread.board.workspace
    if workspace is not None:
        moderators |= Q(
            pk__in=Membership.objects.filter(workspace=workspace, role=Membership.Role.MODERATOR).values("user_id")
        )
    return q & moderators
