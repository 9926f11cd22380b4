"""Every write in the workspaces app.

Each service checks permission first (``Http404`` / ``PermissionDenied`` from the policy),
then changes state in one transaction. A request that cannot be carried out in the current
state (already a member, last moderator, archived workspace, …) raises ``ValidationError``
with a German message and writes nothing. Membership decisions are audited; meaningful events
become ``Activity`` rows and notifications.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.services import notify
from pages.audit import record as audit
from search.services import update_index
from workspaces import permissions
from workspaces.activity import forget_activity, record_activity
from workspaces.models import Announcement, JoinRequest, Membership, Workspace


def _locked(workspace) -> Workspace:
    """Re-read the workspace under a row lock so membership changes are serialised per workspace."""
    return Workspace.objects.select_for_update().get(pk=workspace.pk)


def _ensure_active(workspace) -> None:
    if workspace.is_archived:
        raise ValidationError(_("This workspace is archived and can only be read."), code="archived")


def _moderators(workspace):
    return User.objects.members().filter(memberships__workspace=workspace, memberships__role=Membership.Role.MODERATOR)


def _moderator_count(workspace) -> int:
    return Membership.objects.filter(workspace=workspace, role=Membership.Role.MODERATOR).count()


def _membership_of(workspace, user) -> Membership:
    membership = Membership.objects.filter(workspace=workspace, user=user).first()
    if membership is None:
        raise ValidationError(_("%(name)s is not a member of this workspace.") % {"name": user}, code="not_member")
    return membership


def _ensure_not_last_moderator(membership) -> None:
    if membership.is_moderator and _moderator_count(membership.workspace) <= 1:
        raise ValidationError(
            _("The last moderator cannot leave or be removed. Please make another member moderator first."),
            code="last_moderator",
        )


def _add_membership(*, workspace, user, by, role=Membership.Role.MEMBER, how: str) -> Membership:
    if not user.is_member:
        raise ValidationError(_("Only approved portal members can be added to a workspace."), code="not_portal_member")
    if Membership.objects.filter(workspace=workspace, user=user).exists():
        raise ValidationError(
            _("%(name)s is already a member of this workspace.") % {"name": user}, code="already_member"
        )
    try:
        with transaction.atomic():
            membership = Membership.objects.create(workspace=workspace, user=user, role=role)
    except IntegrityError as error:  # a concurrent request added the same membership
        raise ValidationError(
            _("%(name)s is already a member of this workspace.") % {"name": user}, code="already_member"
        ) from error
    audit(
        actor=by,
        action="workspace.member_added",
        target=workspace,
        member_id=user.pk,
        member=str(user),
        role=role,
        how=how,
    )
    record_activity(actor=user, verb="member_joined", target=workspace, workspace=workspace)
    permissions.forget_workspace_roles(user)
    return membership


# --- Joining ------------------------------------------------------------------------------


def join_workspace(*, user, workspace) -> Membership:
    """Join an open workspace directly."""
    permissions.check_join_workspace(user, workspace)
    with transaction.atomic():
        workspace = _locked(workspace)
        _ensure_active(workspace)
        if permissions.is_workspace_member(user, workspace):
            raise ValidationError(_("You are already a member of this workspace."), code="already_member")
        if workspace.join_policy == Workspace.JoinPolicy.REQUEST:
            raise ValidationError(_("Please send a request to join; the moderators decide."), code="request_needed")
        if workspace.join_policy == Workspace.JoinPolicy.INVITATION:
            raise ValidationError(_("This workspace can only be joined by invitation."), code="invitation_only")
        return _add_membership(workspace=workspace, user=user, by=user, how="joined")


def request_to_join(*, user, workspace, message: str = "") -> JoinRequest:
    """Ask the moderators of a workspace with the "on request" policy to admit ``user``."""
    permissions.check_join_workspace(user, workspace)
    with transaction.atomic():
        workspace = _locked(workspace)
        _ensure_active(workspace)
        if permissions.is_workspace_member(user, workspace):
            raise ValidationError(_("You are already a member of this workspace."), code="already_member")
        if workspace.join_policy == Workspace.JoinPolicy.OPEN:
            raise ValidationError(_("This workspace is open: you can join directly."), code="open")
        if workspace.join_policy == Workspace.JoinPolicy.INVITATION:
            raise ValidationError(_("This workspace can only be joined by invitation."), code="invitation_only")
        duplicate = ValidationError(
            _("You have already asked to join this workspace. The moderators will decide soon."), code="duplicate"
        )
        if JoinRequest.objects.filter(workspace=workspace, user=user, status=JoinRequest.Status.PENDING).exists():
            raise duplicate
        try:
            with transaction.atomic():
                join_request = JoinRequest.objects.create(workspace=workspace, user=user, message=message.strip())
        except IntegrityError as error:
            raise duplicate from error
        audit(actor=user, action="workspace.join_requested", target=workspace, request_id=join_request.pk)
        recipients = list(_moderators(workspace)) or list(User.objects.members().filter(is_staff=True))
        notify(
            recipients=recipients,
            kind="workspace_join_request",
            target=join_request,
            actor=user,
            workspace=workspace,
            data={"workspace": workspace.name},
        )
        return join_request


def withdraw_join_request(*, user, workspace) -> JoinRequest:
    """Withdraw the user's own open request (kept in the history as "withdrawn")."""
    permissions.check_join_workspace(user, workspace)
    with transaction.atomic():
        join_request = (
            JoinRequest.objects.select_for_update()
            .filter(workspace=workspace, user=user, status=JoinRequest.Status.PENDING)
            .first()
        )
        if join_request is None:
            raise ValidationError(_("You have no open request for this workspace."), code="no_request")
        join_request.status = JoinRequest.Status.WITHDRAWN
        join_request.decided_at = timezone.now()
        join_request.decided_by = user
        join_request.save(update_fields=["status", "decided_at", "decided_by"])
        audit(actor=user, action="workspace.join_withdrawn", target=workspace, request_id=join_request.pk)
        return join_request


def _decide(*, join_request, by, status, reason: str = "") -> JoinRequest:
    permissions.check_moderate_workspace(by, join_request.workspace)
    with transaction.atomic():
        workspace = _locked(join_request.workspace)
        _ensure_active(workspace)
        join_request = JoinRequest.objects.select_for_update().select_related("user").get(pk=join_request.pk)
        if not join_request.is_pending:
            raise ValidationError(
                _("This request has already been handled (%(status)s).")
                % {"status": join_request.get_status_display()},
                code="already_decided",
            )
        requester = join_request.user
        if (
            status == JoinRequest.Status.APPROVED
            and not Membership.objects.filter(workspace=workspace, user=requester).exists()
        ):
            _add_membership(workspace=workspace, user=requester, by=by, how="request_approved")
        join_request.status = status
        join_request.reason = reason.strip()
        join_request.decided_at = timezone.now()
        join_request.decided_by = by
        join_request.save(update_fields=["status", "reason", "decided_at", "decided_by"])
        audit(
            actor=by,
            action=f"workspace.join_{status}",
            target=workspace,
            request_id=join_request.pk,
            member_id=requester.pk,
            member=str(requester),
            reason=join_request.reason,
        )
        permissions.forget_workspace_roles(requester)
        visible = permissions.can_view_workspace(requester, workspace)
        notify(
            recipients=[requester],
            kind="workspace_join_decided",
            target=workspace if visible else None,
            actor=by,
            workspace=workspace if visible else None,
            data={"workspace": workspace.name, "status": status, "reason": join_request.reason},
        )
        return join_request


def approve_join_request(*, join_request, by) -> JoinRequest:
    return _decide(join_request=join_request, by=by, status=JoinRequest.Status.APPROVED)


def decline_join_request(*, join_request, by, reason: str = "") -> JoinRequest:
    return _decide(join_request=join_request, by=by, status=JoinRequest.Status.DECLINED, reason=reason)


# --- Members and roles (moderators) --------------------------------------------------------


def add_member(*, workspace, user, by) -> Membership:
    """A moderator adds a portal member directly (the way in for invitation-only workspaces)."""
    permissions.check_moderate_workspace(by, workspace)
    with transaction.atomic():
        workspace = _locked(workspace)
        _ensure_active(workspace)
        membership = _add_membership(workspace=workspace, user=user, by=by, how="added")
        JoinRequest.objects.filter(workspace=workspace, user=user, status=JoinRequest.Status.PENDING).update(
            status=JoinRequest.Status.APPROVED, decided_at=timezone.now(), decided_by=by
        )
        notify(
            recipients=[user],
            kind="workspace_member_added",
            target=workspace,
            actor=by,
            workspace=workspace,
            data={"workspace": workspace.name},
        )
        return membership


def remove_member(*, workspace, user, by) -> None:
    permissions.check_moderate_workspace(by, workspace)
    with transaction.atomic():
        workspace = _locked(workspace)
        _ensure_active(workspace)
        membership = _membership_of(workspace, user)
        _ensure_not_last_moderator(membership)
        role = membership.role
        membership.delete()
        audit(
            actor=by,
            action="workspace.member_removed",
            target=workspace,
            member_id=user.pk,
            member=str(user),
            role=role,
        )
    permissions.forget_workspace_roles(user)


def leave_workspace(*, user, workspace) -> None:
    permissions.check_leave_workspace(user, workspace)
    with transaction.atomic():
        workspace = _locked(workspace)
        _ensure_active(workspace)
        membership = _membership_of(workspace, user)
        _ensure_not_last_moderator(membership)
        role = membership.role
        membership.delete()
        audit(
            actor=user, action="workspace.member_left", target=workspace, member_id=user.pk, member=str(user), role=role
        )
    permissions.forget_workspace_roles(user)


def change_role(*, workspace, user, role: str, by) -> Membership:
    permissions.check_moderate_workspace(by, workspace)
    if role not in Membership.Role.values:
        raise ValidationError(_("Please choose a valid role."), code="invalid_role")
    with transaction.atomic():
        workspace = _locked(workspace)
        _ensure_active(workspace)
        membership = _membership_of(workspace, user)
        if membership.role == role:
            return membership
        if role == Membership.Role.MEMBER:
            _ensure_not_last_moderator(membership)
        old_role = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        audit(
            actor=by,
            action="workspace.role_changed",
            target=workspace,
            member_id=user.pk,
            member=str(user),
            old_role=old_role,
            new_role=role,
        )
        if role == Membership.Role.MODERATOR:
            notify(
                recipients=[user],
                kind="workspace_made_moderator",
                target=workspace,
                actor=by,
                workspace=workspace,
                data={"workspace": workspace.name},
            )
    permissions.forget_workspace_roles(user)
    return membership


# --- Announcements and description ---------------------------------------------------------


def post_announcement(*, workspace, author, title: str, body: str) -> Announcement:
    permissions.check_moderate_workspace(author, workspace)
    title, body = title.strip(), body.strip()
    if not title or not body:
        raise ValidationError(_("An announcement needs a title and a text."), code="empty")
    with transaction.atomic():
        workspace = _locked(workspace)
        _ensure_active(workspace)
        announcement = Announcement.objects.create(workspace=workspace, author=author, title=title, body=body)
        record_activity(actor=author, verb="announcement_posted", target=announcement, workspace=workspace)
        members = User.objects.members().filter(memberships__workspace=workspace)
        notify(
            recipients=members,
            kind="workspace_announcement",
            target=announcement,
            actor=author,
            workspace=workspace,
            data={"workspace": workspace.name},
        )
        return announcement


def delete_announcement(*, announcement, by) -> None:
    permissions.check_moderate_workspace(by, announcement.workspace)
    with transaction.atomic():
        workspace = _locked(announcement.workspace)
        _ensure_active(workspace)
        audit(actor=by, action="workspace.announcement_deleted", target=workspace, title=announcement.title)
        forget_activity(announcement)
        announcement.delete()


def update_workspace_description(
    *, workspace, by, short_description: str, description: str, funding_note: str = "", contact_persons=None
) -> Workspace:
    """Moderators edit the texts shown on the workspace home and choose its contact persons."""
    permissions.check_moderate_workspace(by, workspace)
    with transaction.atomic():
        workspace = _locked(workspace)
        _ensure_active(workspace)
        workspace.short_description = short_description.strip()
        workspace.description = description.strip()
        workspace.funding_note = funding_note.strip()
        workspace.full_clean(exclude=["logo", "kommunen", "contact_persons"])
        workspace.save(update_fields=["short_description", "description", "funding_note"])
        if contact_persons is not None:
            contact_persons = list(contact_persons)
            member_ids = set(Membership.objects.filter(workspace=workspace).values_list("user_id", flat=True))
            if any(person.pk not in member_ids for person in contact_persons):
                raise ValidationError(_("Contact persons must be members of the workspace."), code="contact_not_member")
            workspace.contact_persons.set(contact_persons)
        audit(actor=by, action="workspace.description_updated", target=workspace)
        update_index(workspace)
        return workspace


# --- Reading position ------------------------------------------------------------------------


def mark_workspace_seen(*, membership, latest_activity_at) -> bool:
    """Move the member's "last visit" mark, but only when there is something newer than it.

    Opening a workspace home therefore writes at most once per new event, never on every view.
    Returns whether it wrote.
    """
    if membership is None or latest_activity_at is None:
        return False
    if membership.last_seen_at is not None and membership.last_seen_at >= latest_activity_at:
        return False
    now = timezone.now()
    Membership.objects.filter(pk=membership.pk).update(last_seen_at=now)
    membership.last_seen_at = now
    return True
