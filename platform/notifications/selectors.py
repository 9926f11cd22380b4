"""Reads shared by the views, the feed and the emails."""

from django.db.models import Q

from notifications.models import Notification
from pages.sql import CompiledList, CountStatement, Statement

FEED_LIMIT = 50
RECENT_LIMIT = 8


def notifications_of(user):
    """The notifications the member sees in the portal, newest first, ready to render."""
    return (
        Notification.objects.filter(recipient=user, in_portal=True)
        .select_related("actor", "workspace")
        .order_by("-updated_at", "-id")
    )


# What the list's entries show and the policy reads of a notification, its actor and its
# workspace (display.render, display.ItemRenderer): not the actors' and workspaces' other columns.
LIST_FIELDS = (
    *("kind", "actor", "workspace", "target_type", "target_id", "count", "data", "updated_at", "read_at"),
    *("actor__display_name", "workspace__name", "workspace__visibility", "workspace__is_archived"),
)


def for_list(notifications):
    return notifications.only(*LIST_FIELDS)


_COUNT = CountStatement(lambda user: notifications_of(user), values=("user",))
_ROWS = Statement(
    lambda user, offset, limit: for_list(notifications_of(user))[offset : offset + limit], values=("user",)
)


def unfiltered_list(user) -> CompiledList:
    """``for_list(notifications_of(user))`` for a Paginator, counted and read by statements
    compiled once per connection: the list as the bell's link opens it, without filters."""
    return CompiledList(_COUNT, _ROWS, user=user.pk)


def feed_rows(user, *, after: int | None, since=None) -> tuple[list[Notification], bool]:
    """The catch-up query: rows with an id above ``after``, plus merged rows updated after
    ``since``; ascending by id. Without ``after``, the latest few. Returns (rows, more)."""
    base = for_list(notifications_of(user))
    if after is None:
        rows = list(base[:RECENT_LIMIT])
        rows.reverse()
        return rows, False
    condition = Q(pk__gt=after)
    if since is not None:
        condition |= Q(updated_at__gt=since, read_at__isnull=True)
    rows = list(base.filter(condition).order_by("pk")[: FEED_LIMIT + 1])
    return rows[:FEED_LIMIT], len(rows) > FEED_LIMIT
