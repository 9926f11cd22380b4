import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from events import selectors, services
from events.models import Event
from tests.events.factories import EventFactory, WorkspaceFactory, add_member
from tests.factories import MemberFactory, PendingFactory
from workspaces.models import Membership, Workspace

pytestmark = pytest.mark.django_db


def _fields(**extra):
    start = timezone.now() + timezone.timedelta(days=3)
    return {
        "title": "Arbeitskreis Jugendhilfeplanung",
        "kind": Event.Kind.ARBEITSKREIS,
        "starts_at": start,
        "ends_at": start + timezone.timedelta(hours=2),
        **extra,
    }


def test_outsider_gets_404_for_members_only_workspace_date_and_its_ics(member_client):
    event = EventFactory(workspace=WorkspaceFactory())
    assert member_client.get(f"/dates/{event.pk}/").status_code == 404
    assert member_client.get(f"/dates/{event.pk}.ics").status_code == 404
    assert member_client.post(f"/dates/{event.pk}/register/").status_code == 404


def test_outsider_answer_is_identical_to_a_missing_id(member_client):
    event = EventFactory(workspace=WorkspaceFactory())
    hidden = member_client.get(f"/dates/{event.pk}/")
    missing = member_client.get("/dates/999999/")
    assert hidden.status_code == missing.status_code == 404


def test_workspace_member_sees_members_only_date(member_client):
    workspace = WorkspaceFactory()
    add_member(workspace, member_client.user)
    event = EventFactory(workspace=workspace, title="Beirat Präventionsketten")
    response = member_client.get(f"/dates/{event.pk}/")
    assert response.status_code == 200
    assert "Beirat Präventionsketten" in response.content.decode()


def test_portal_visible_workspace_date_is_visible_to_every_member(member_client):
    workspace = WorkspaceFactory(visibility=Workspace.Visibility.PORTAL)
    event = EventFactory(workspace=workspace)
    assert member_client.get(f"/dates/{event.pk}/").status_code == 200


def test_list_and_month_hide_dates_of_workspaces_the_member_cannot_see(member_client):
    EventFactory(workspace=WorkspaceFactory(), title="Geheime Sitzung")
    event = EventFactory(title="Offener Fachtag")
    listing = member_client.get("/dates/").content.decode()
    local = event.local_start
    month = member_client.get(f"/dates/calendar/{local.year}/{local.month}/").content.decode()
    for html in (listing, month):
        assert "Offener Fachtag" in html
        assert "Geheime Sitzung" not in html


def test_outsider_gets_404_for_workspace_ics(member_client):
    workspace = WorkspaceFactory(slug="intern")
    assert member_client.get("/dates/workspace/intern.ics").status_code == 404
    add_member(workspace, member_client.user)
    assert member_client.get("/dates/workspace/intern.ics").status_code == 200


def test_upcoming_events_for_applies_the_policy(member):
    workspace = WorkspaceFactory()
    EventFactory(workspace=workspace, title="Intern")
    EventFactory(title="Portalweit")
    EventFactory(
        title="Vorbei",
        starts_at=timezone.now() - timezone.timedelta(days=2),
        ends_at=timezone.now() - timezone.timedelta(days=2, hours=-1),
    )
    assert [e.title for e in selectors.upcoming_events_for(member)] == ["Portalweit"]
    assert selectors.upcoming_events_for(member, workspace=workspace) == []
    add_member(workspace, member)
    member = type(member).objects.get(pk=member.pk)
    assert [e.title for e in selectors.upcoming_events_for(member, workspace=workspace)] == ["Intern"]


def test_upcoming_events_for_respects_limit_and_order(member):
    now = timezone.now()
    for days in (5, 1, 3, 2, 4, 6):
        EventFactory(title=f"Tag {days}", starts_at=now + timezone.timedelta(days=days))
    titles = [e.title for e in selectors.upcoming_events_for(member, limit=3)]
    assert titles == ["Tag 1", "Tag 2", "Tag 3"]


def test_workspace_moderator_creates_workspace_date(member):
    workspace = WorkspaceFactory()
    add_member(workspace, member, Membership.Role.MODERATOR)
    event = services.create_event(by=member, workspace=workspace, **_fields())
    assert event.workspace == workspace and event.organiser == member


def test_plain_workspace_member_may_not_create_dates(member):
    workspace = WorkspaceFactory()
    add_member(workspace, member)
    with pytest.raises(PermissionDenied):
        services.create_event(by=member, workspace=workspace, **_fields())


def test_moderator_may_not_create_portal_wide_dates(member):
    add_member(WorkspaceFactory(), member, Membership.Role.MODERATOR)
    with pytest.raises(PermissionDenied):
        services.create_event(by=member, workspace=None, **_fields())


def test_staff_creates_portal_wide_dates(staff):
    event = services.create_event(by=staff, workspace=None, **_fields())
    assert event.workspace is None


def test_no_dates_in_archived_workspace(staff):
    with pytest.raises(PermissionDenied):
        services.create_event(by=staff, workspace=WorkspaceFactory(is_archived=True), **_fields())


def test_plain_member_gets_403_on_create_page(member_client):
    assert member_client.get("/dates/new/").status_code == 403


def test_plain_member_cannot_edit_or_cancel_visible_date(member_client):
    event = EventFactory()
    assert member_client.get(f"/dates/{event.pk}/edit/").status_code == 403
    assert member_client.post(f"/dates/{event.pk}/cancel/").status_code == 403
    event.refresh_from_db()
    assert not event.is_cancelled


def test_moderator_of_another_workspace_gets_404_on_edit(member_client):
    add_member(WorkspaceFactory(), member_client.user, Membership.Role.MODERATOR)
    event = EventFactory(workspace=WorkspaceFactory())
    assert member_client.get(f"/dates/{event.pk}/edit/").status_code == 404


def test_moderator_form_offers_only_own_workspaces(member_client):
    own = WorkspaceFactory(name="Eigener Bereich")
    WorkspaceFactory(name="Fremder Bereich")
    add_member(own, member_client.user, Membership.Role.MODERATOR)
    html = member_client.get("/dates/new/").content.decode()
    assert "Eigener Bereich" in html
    assert "Fremder Bereich" not in html
    assert "Portalweit" not in html


@pytest.mark.parametrize(
    "url",
    [
        "/dates/",
        "/dates/calendar/",
        "/dates/calendar/2026/3/",
        "/dates/new/",
        "/dates/subscription/",
        "/dates/1/",
        "/dates/1/edit/",
        "/dates/1.ics",
        "/dates/workspace/x.ics",
    ],
)
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_pending_member_is_sent_to_pending_page(client):
    client.force_login(PendingFactory())
    response = client.get("/dates/")
    assert response.status_code == 302
    assert "/accounts/pending" in response["Location"] or "pending" in response["Location"]


def test_pending_member_sees_no_dates():
    EventFactory()
    assert selectors.upcoming_events_for(PendingFactory()) == []


def test_bad_month_is_404(member_client):
    assert member_client.get("/dates/calendar/2026/13/").status_code == 404


def test_other_member_cannot_see_who_registered(member_client):
    event = EventFactory(registration_enabled=True, capacity=5)
    other = MemberFactory(display_name="Petra Teilnehmerin")
    services.register(user=other, event=event)
    html = member_client.get(f"/dates/{event.pk}/").content.decode()
    assert "Petra Teilnehmerin" not in html
    assert "1 von 5 Plätzen belegt" in html
