import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation

from notifications.models import Notification
from pages.models import AuditEntry
from tests.factories import MemberFactory, PendingFactory, StaffFactory
from tests.workspaces.factories import MembershipFactory, PortalWorkspaceFactory, WorkspaceFactory
from workspaces import services
from workspaces.models import Activity, Announcement, JoinRequest, Membership, Workspace


@pytest.fixture(autouse=True)
def _german():
    with translation.override("de"):
        yield


@pytest.fixture
def open_workspace(db):
    return PortalWorkspaceFactory(join_policy=Workspace.JoinPolicy.OPEN)


@pytest.fixture
def request_workspace(db):
    workspace = PortalWorkspaceFactory(join_policy=Workspace.JoinPolicy.REQUEST)
    MembershipFactory(workspace=workspace, user=MemberFactory(), role=Membership.Role.MODERATOR)
    return workspace


def _moderator_of(workspace):
    return Membership.objects.get(workspace=workspace, role=Membership.Role.MODERATOR).user


# --- Joining ------------------------------------------------------------------------------


def test_member_joins_open_workspace_with_activity_and_audit(open_workspace, member):
    membership = services.join_workspace(user=member, workspace=open_workspace)

    assert membership.role == Membership.Role.MEMBER
    assert Activity.objects.filter(workspace=open_workspace, verb="member_joined", actor=member).exists()
    entry = AuditEntry.objects.get(action="workspace.member_added")
    assert entry.actor == member and entry.details["member_id"] == member.pk


def test_joining_twice_is_refused_in_german_and_writes_nothing(open_workspace, member):
    services.join_workspace(user=member, workspace=open_workspace)
    before = (Membership.objects.count(), Activity.objects.count(), AuditEntry.objects.count())

    with pytest.raises(ValidationError) as error:
        services.join_workspace(user=member, workspace=open_workspace)

    assert "bereits Mitglied" in error.value.messages[0]
    assert (Membership.objects.count(), Activity.objects.count(), AuditEntry.objects.count()) == before


def test_join_directly_is_refused_where_moderators_decide(request_workspace, member):
    with pytest.raises(ValidationError, match="Beitrittsanfrage"):
        services.join_workspace(user=member, workspace=request_workspace)
    assert not Membership.objects.filter(user=member).exists()


def test_outsider_cannot_join_a_members_only_workspace_it_cannot_see(member):
    hidden = WorkspaceFactory(join_policy=Workspace.JoinPolicy.REQUEST)
    with pytest.raises(Http404):
        services.request_to_join(user=member, workspace=hidden)
    assert not JoinRequest.objects.exists()


def test_members_only_workspace_cannot_be_open(db):
    workspace = WorkspaceFactory.build(join_policy=Workspace.JoinPolicy.OPEN)
    with pytest.raises(ValidationError):
        workspace.full_clean()


def test_request_to_join_notifies_the_moderators(request_workspace, member, django_capture_on_commit_callbacks):
    moderator = _moderator_of(request_workspace)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        join_request = services.request_to_join(user=member, workspace=request_workspace, message="  Hallo  ")

    assert join_request.message == "Hallo" and join_request.is_pending
    assert callbacks, "the push is queued on commit"
    notification = Notification.objects.get(kind="workspace_join_request")
    assert notification.recipient == moderator and notification.target == join_request
    assert AuditEntry.objects.filter(action="workspace.join_requested", actor=member).exists()


def test_second_request_while_one_is_open_is_refused(request_workspace, member):
    services.request_to_join(user=member, workspace=request_workspace)
    with pytest.raises(ValidationError, match="bereits"):
        services.request_to_join(user=member, workspace=request_workspace)
    assert JoinRequest.objects.filter(user=member).count() == 1


def test_invitation_only_workspace_takes_no_requests(member):
    workspace = PortalWorkspaceFactory(join_policy=Workspace.JoinPolicy.INVITATION)
    with pytest.raises(ValidationError, match="Einladung"):
        services.request_to_join(user=member, workspace=workspace)


def test_approving_admits_notifies_and_keeps_history(request_workspace, member, django_capture_on_commit_callbacks):
    moderator = _moderator_of(request_workspace)
    join_request = services.request_to_join(user=member, workspace=request_workspace)

    with django_capture_on_commit_callbacks(execute=True):
        services.approve_join_request(join_request=join_request, by=moderator)

    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.APPROVED
    assert join_request.decided_by == moderator and join_request.decided_at is not None
    assert Membership.objects.filter(workspace=request_workspace, user=member).exists()
    notification = Notification.objects.get(kind="workspace_join_decided")
    assert notification.recipient == member and notification.data["status"] == "approved"
    assert AuditEntry.objects.filter(action="workspace.join_approved", actor=moderator).exists()


def test_approving_an_already_handled_request_changes_nothing(request_workspace, member):
    moderator = _moderator_of(request_workspace)
    join_request = services.request_to_join(user=member, workspace=request_workspace)
    services.decline_join_request(join_request=join_request, by=moderator, reason="Nur für den Arbeitskreis")

    with pytest.raises(ValidationError, match="bereits bearbeitet"):
        services.approve_join_request(join_request=join_request, by=moderator)

    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.DECLINED
    assert join_request.reason == "Nur für den Arbeitskreis"
    assert not Membership.objects.filter(workspace=request_workspace, user=member).exists()


def test_decline_notifies_the_requester_with_the_reason(request_workspace, member):
    moderator = _moderator_of(request_workspace)
    join_request = services.request_to_join(user=member, workspace=request_workspace)
    services.decline_join_request(join_request=join_request, by=moderator, reason="Bitte erst Kontakt aufnehmen")

    notification = Notification.objects.get(kind="workspace_join_decided")
    assert notification.recipient == member
    assert notification.data == {
        "workspace": request_workspace.name,
        "status": "declined",
        "reason": "Bitte erst Kontakt aufnehmen",
    }


def test_plain_member_cannot_decide_requests(request_workspace, member):
    other = MemberFactory()
    MembershipFactory(workspace=request_workspace, user=other)
    join_request = services.request_to_join(user=member, workspace=request_workspace)
    with pytest.raises(PermissionDenied):
        services.approve_join_request(join_request=join_request, by=other)
    assert JoinRequest.objects.get(pk=join_request.pk).is_pending


def test_withdrawn_request_stays_in_history(request_workspace, member):
    services.request_to_join(user=member, workspace=request_workspace)
    services.withdraw_join_request(user=member, workspace=request_workspace)
    assert JoinRequest.objects.get(user=member).status == JoinRequest.Status.WITHDRAWN
    with pytest.raises(ValidationError):
        services.withdraw_join_request(user=member, workspace=request_workspace)


# --- Members and roles -------------------------------------------------------------------


def test_moderator_adds_a_member_to_an_invitation_only_workspace(workspace, moderator, member):
    workspace.join_policy = Workspace.JoinPolicy.INVITATION
    workspace.save()
    services.add_member(workspace=workspace, user=member, by=moderator)

    assert Membership.objects.filter(workspace=workspace, user=member).exists()
    assert AuditEntry.objects.get(action="workspace.member_added").details["how"] == "added"
    assert Notification.objects.filter(kind="workspace_member_added", recipient=member).exists()


def test_pending_account_cannot_be_added(workspace, moderator):
    with pytest.raises(ValidationError, match="freigeschaltete"):
        services.add_member(workspace=workspace, user=PendingFactory(), by=moderator)


def test_nobody_can_remove_the_last_moderator(workspace, moderator):
    staff = StaffFactory()
    with pytest.raises(ValidationError, match="letzte Moderator"):
        services.remove_member(workspace=workspace, user=moderator, by=staff)
    with pytest.raises(ValidationError, match="letzte Moderator"):
        services.leave_workspace(user=moderator, workspace=workspace)
    with pytest.raises(ValidationError, match="letzte Moderator"):
        services.change_role(workspace=workspace, user=moderator, role=Membership.Role.MEMBER, by=staff)
    assert Membership.objects.get(workspace=workspace, user=moderator).is_moderator
    assert not AuditEntry.objects.exists()


def test_making_someone_moderator_notifies_and_then_the_first_may_leave(
    workspace, moderator, ws_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.change_role(workspace=workspace, user=ws_member, role=Membership.Role.MODERATOR, by=moderator)

    assert Notification.objects.filter(kind="workspace_made_moderator", recipient=ws_member).exists()
    entry = AuditEntry.objects.get(action="workspace.role_changed")
    assert entry.details["old_role"] == "member" and entry.details["new_role"] == "moderator"

    services.leave_workspace(user=moderator, workspace=workspace)
    assert not Membership.objects.filter(workspace=workspace, user=moderator).exists()
    assert AuditEntry.objects.filter(action="workspace.member_left", actor=moderator).exists()


def test_moderator_removes_a_member_and_it_is_audited(workspace, moderator, ws_member):
    services.remove_member(workspace=workspace, user=ws_member, by=moderator)
    assert not Membership.objects.filter(workspace=workspace, user=ws_member).exists()
    entry = AuditEntry.objects.get(action="workspace.member_removed")
    assert entry.actor == moderator and entry.details["member_id"] == ws_member.pk


# --- Archived workspaces -------------------------------------------------------------------


def test_archived_workspace_refuses_every_write(workspace, moderator, ws_member, member):
    workspace.is_archived = True
    workspace.save()
    writes = [
        lambda: services.post_announcement(workspace=workspace, author=moderator, title="T", body="B"),
        lambda: services.add_member(workspace=workspace, user=member, by=moderator),
        lambda: services.remove_member(workspace=workspace, user=ws_member, by=moderator),
        lambda: services.leave_workspace(user=ws_member, workspace=workspace),
        lambda: services.change_role(workspace=workspace, user=ws_member, role="moderator", by=moderator),
        lambda: services.update_workspace_description(
            workspace=workspace, by=moderator, short_description="x", description="y"
        ),
    ]
    for write in writes:
        with pytest.raises(ValidationError, match="archiviert"):
            write()
    assert Membership.objects.filter(workspace=workspace).count() == 2
    assert not Announcement.objects.exists() and not AuditEntry.objects.exists()


# --- Announcements and description ----------------------------------------------------------


def test_announcement_notifies_members_but_not_the_author(
    workspace, moderator, ws_member, outsider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        announcement = services.post_announcement(
            workspace=workspace, author=moderator, title="Beirat", body="Am **Montag**"
        )

    assert callbacks
    recipients = set(Notification.objects.filter(kind="workspace_announcement").values_list("recipient", flat=True))
    assert recipients == {ws_member.pk}
    assert Activity.objects.get(verb="announcement_posted").target_url.endswith(f"#announcement-{announcement.pk}")


def test_deleting_an_announcement_removes_it_from_the_feed(workspace, moderator):
    announcement = services.post_announcement(workspace=workspace, author=moderator, title="T", body="B")
    services.delete_announcement(announcement=announcement, by=moderator)
    assert not Announcement.objects.exists()
    assert not Activity.objects.filter(verb="announcement_posted").exists()


def test_contact_persons_must_be_members(workspace, moderator, member):
    with pytest.raises(ValidationError, match="Mitglieder"):
        services.update_workspace_description(
            workspace=workspace, by=moderator, short_description="neu", description="", contact_persons=[member]
        )
    workspace.refresh_from_db()
    assert workspace.short_description != "neu", "nothing half-written"


def test_moderator_edits_description(workspace, moderator):
    services.update_workspace_description(
        workspace=workspace,
        by=moderator,
        short_description=" Kurz ",
        description="Lang",
        funding_note="ESF+",
        contact_persons=[moderator],
    )
    workspace.refresh_from_db()
    assert (workspace.short_description, workspace.description, workspace.funding_note) == ("Kurz", "Lang", "ESF+")
    assert list(workspace.contact_persons.all()) == [moderator]
