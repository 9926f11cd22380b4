"""Who may see and do what with dates. Built on the one policy in ``workspaces.permissions``:
a date is visible exactly like its workspace (portal-wide dates to every member)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from workspaces.models import Membership
from workspaces.permissions import (
    can_moderate_scoped,
    can_view_scoped,
    is_portal_member,
    scoped_visible_q,
    workspace_roles,
)


def filter_events_visible_to(user, qs):
    return qs.filter(scoped_visible_q(user, "workspace"))


def can_view_event(user, event) -> bool:
    return can_view_scoped(user, event.workspace)


def check_view_event(user, event) -> None:
    if not can_view_event(user, event):
        raise Http404


def can_create_event(user, workspace=None) -> bool:
    """Workspace moderators create dates in their (active) workspace; staff everywhere,
    and staff alone create portal-wide dates."""
    if not is_portal_member(user):
        return False
    if workspace is not None and workspace.is_archived:
        return False
    return can_moderate_scoped(user, workspace)


def can_create_any_event(user) -> bool:
    """Whether the "New date" button makes sense: staff, or moderator of some workspace (no query)."""
    if not is_portal_member(user):
        return False
    return user.is_staff or Membership.Role.MODERATOR in workspace_roles(user).values()


def can_manage_event(user, event) -> bool:
    """Edit, cancel and see the participant list."""
    return can_create_event(user, event.workspace)


def check_manage_event(user, event) -> None:
    check_view_event(user, event)
    if not can_manage_event(user, event):
        raise PermissionDenied


def registration_open(event, now=None) -> bool:
    now = now or timezone.now()
    return event.registration_enabled and not event.is_cancelled and event.starts_at > now


def can_register(user, event) -> bool:
    return can_view_event(user, event) and registration_open(event)
