from datetime import timedelta

import pytest
from django.utils import timezone

from events import services
from events.models import Event
from notifications.models import Notification
from pages.models import AuditEntry
from tests.events.factories import EventFactory, WorkspaceFactory, add_member
from tests.factories import MemberFactory
from workspaces.models import Activity, Membership

pytestmark = pytest.mark.django_db


def _form(**extra):
    day = (timezone.localdate() + timedelta(days=10)).isoformat()
    return {
        "title": "Zukunftswerkstatt Apolda",
        "kind": "zukunftswerkstatt",
        "start_date": day,
        "start_time": "16:00",
        "end_time": "19:30",
        "place": "Apolda, Stadthaus",
        "description": "Gemeinsam **Ideen** entwickeln.",
        **extra,
    }


def test_moderator_creates_workspace_date_and_members_are_told(member_client, django_capture_on_commit_callbacks):
    workspace = WorkspaceFactory(name="LSZ")
    add_member(workspace, member_client.user, Membership.Role.MODERATOR)
    colleague, outsider = MemberFactory(), MemberFactory()
    add_member(workspace, colleague)
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            "/dates/new/", _form(workspace=workspace.pk, registration_enabled="on", capacity="25")
        )
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/dates/{event.pk}/"
    assert event.workspace == workspace and event.capacity == 25 and event.registration_enabled
    assert timezone.localtime(event.starts_at).strftime("%H:%M") == "16:00"
    assert timezone.localtime(event.ends_at).strftime("%H:%M") == "19:30"
    assert list(Notification.objects.filter(kind="event_new").values_list("recipient", flat=True)) == [colleague.pk]
    assert not Notification.objects.filter(recipient=outsider).exists()
    activity = Activity.objects.get(verb="event_created")
    assert activity.workspace == workspace and activity.target_url == f"/dates/{event.pk}/"
    assert AuditEntry.objects.filter(action="event.created").exists()


def test_end_before_start_is_a_clear_error(staff_client):
    response = staff_client.post("/dates/new/", _form(start_time="16:00", end_time="15:00"))
    assert response.status_code == 200
    assert "Das Ende darf nicht vor dem Beginn liegen." in response.content.decode()
    assert not Event.objects.exists()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/x", "kein link"])
def test_online_link_must_be_http_or_https(staff_client, url):
    response = staff_client.post("/dates/new/", _form(online_url=url))
    assert response.status_code == 200
    assert "https://" in response.content.decode()
    assert not Event.objects.exists()


def test_missing_start_time_needs_all_day(staff_client):
    response = staff_client.post("/dates/new/", _form(start_time="", end_time=""))
    assert "ganztägig" in response.content.decode()
    assert not Event.objects.exists()
    response = staff_client.post("/dates/new/", _form(start_time="", end_time="", all_day="on"))
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.all_day and event.workspace is None


def test_staff_edits_date_and_sequence_rises(staff_client):
    event = EventFactory()
    data = _form(title="Neuer Titel")
    response = staff_client.post(f"/dates/{event.pk}/edit/", data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Neuer Titel" and event.sequence == 1


def test_description_markdown_is_sanitized(member_client):
    event = EventFactory(description="**fett** <script>alert(1)</script> [x](javascript:alert(2))")
    html = member_client.get(f"/dates/{event.pk}/").content.decode()
    assert "<strong>fett</strong>" in html
    assert "<script>alert(1)" not in html
    assert 'href="javascript' not in html


def test_filter_by_workspace_and_kind(member_client):
    workspace = WorkspaceFactory(name="Präventionsketten")
    add_member(workspace, member_client.user)
    EventFactory(workspace=workspace, title="Beirat", kind=Event.Kind.BEIRAT)
    EventFactory(title="Fachtag", kind=Event.Kind.FACHTAG)
    html = member_client.get(f"/dates/?workspace={workspace.pk}").content.decode()
    assert "Beirat</a>" in html and "Fachtag</a>" not in html
    html = member_client.get("/dates/?workspace=portal").content.decode()
    assert "Fachtag" in html and "Beirat</a>" not in html
    html = member_client.get("/dates/?kind=beirat").content.decode()
    assert "Beirat</a>" in html and "Fachtag</a>" not in html


def test_mine_filter_and_past_view(member_client):
    mine = EventFactory(title="Meine Veranstaltung", registration_enabled=True)
    EventFactory(title="Andere Veranstaltung")
    EventFactory(
        title="Vergangene Sitzung",
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3) + timedelta(hours=1),
    )
    services.register(user=member_client.user, event=mine)
    html = member_client.get("/dates/?mine=on").content.decode()
    assert "Meine Veranstaltung" in html and "Andere Veranstaltung" not in html
    html = member_client.get("/dates/?when=past").content.decode()
    assert "Vergangene Sitzung" in html and "Meine Veranstaltung" not in html


def test_month_view_is_a_table_with_the_dates_on_their_days(member_client):
    start = timezone.make_aware(timezone.datetime(2026, 3, 29, 10, 0))
    EventFactory(title="Fachtag am Umstellungstag", starts_at=start, ends_at=start + timedelta(hours=6))
    html = member_client.get("/dates/calendar/2026/3/").content.decode()
    assert "<table" in html and '<th scope="col">' in html
    assert "Fachtag am Umstellungstag" in html
    assert "März 2026" in html


def _make_events(count, workspace):
    person = MemberFactory()
    add_member(workspace, person)
    for index in range(count):
        event = EventFactory(workspace=workspace if index % 2 else None, registration_enabled=True, capacity=10)
        services.register(user=person, event=event)


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("url", ["/dates/", "/dates/calendar/"])
def test_list_and_month_query_count_does_not_grow_with_data(member_client, url, django_assert_num_queries):
    workspace = WorkspaceFactory()
    add_member(workspace, member_client.user)
    _make_events(3, workspace)
    if url == "/dates/calendar/":
        url = f"/dates/calendar/{timezone.localdate().year}/{timezone.localdate().month}/"
    member_client.get(url)  # warm caches (sessions, content types)
    small = _count_queries(member_client, url)
    _make_events(30, workspace)
    with django_assert_num_queries(small):
        assert member_client.get(url).status_code == 200
    assert small <= 8, small
