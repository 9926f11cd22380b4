"""Who may see and do what with accounts. Pending and rejected people are invisible to members."""

from django.http import Http404


def is_member(user) -> bool:
    return bool(user.is_authenticated and user.is_member)


def can_view_member(viewer, member) -> bool:
    if not is_member(viewer):
        return False
    if viewer.is_staff:
        return True
    return member.is_active and member.status == member.Status.ACTIVE


def check_view_member(viewer, member):
    if not can_view_member(viewer, member):
        raise Http404


def filter_members_visible_to(viewer, qs):
    if not is_member(viewer):
        return qs.none()
    return members_seen_by_members(qs)


def members_seen_by_members(qs):
    """The members any member may see: approved and active."""
    return qs.filter(is_active=True, status=qs.model.Status.ACTIVE)


def can_manage_members(user) -> bool:
    """Platform staff approve, reject and invite."""
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def can_see_email(viewer, member) -> bool:
    if viewer == member or viewer.is_staff:
        return True
    profile = getattr(member, "profile", None)  # accounts made with createsuperuser have none
    return bool(profile and profile.show_email)


def requires_mfa(user) -> bool:
    """Staff and workspace moderators must use a second factor when the setting asks for it."""
    if user.is_staff:
        return True
    return user.memberships.filter(role="moderator").exists()
