from datetime import timedelta

import pytest

from events import ical
from tests.events.factories import EventFactory, WorkspaceFactory, add_member, berlin

pytestmark = pytest.mark.django_db


def _unfold(text):
    return text.replace("\r\n ", "")


def test_escaping_of_commas_semicolons_backslashes_and_newlines():
    assert ical.escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_lines_are_folded_at_75_octets_without_splitting_characters():
    line = "DESCRIPTION:" + "Präventionskette " * 20
    folded = ical.fold(line)
    physical = folded.split("\r\n")
    assert len(physical) > 1
    assert all(len(part.encode("utf-8")) <= 75 for part in physical)
    assert all(part.startswith(" ") for part in physical[1:])
    assert folded.replace("\r\n ", "") == line


def test_calendar_output_uses_crlf_and_folds_every_line():
    event = EventFactory(title="Fachtag " + "Sozialplanung, Beteiligung; Wirkung " * 5)
    text = ical.calendar([event], name="Test")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    assert "SUMMARY:Fachtag Sozialplanung\\, Beteiligung\\; Wirkung" in _unfold(text)


@pytest.mark.parametrize(
    ("day", "expected_local", "expected_utc_hour"),
    [
        ((2026, 3, 29), "20260329T100000", 8),  # last Sunday of March: already summer time (UTC+2)
        ((2026, 3, 28), "20260328T100000", 9),  # the day before: winter time (UTC+1)
        ((2026, 10, 25), "20261025T100000", 9),  # last Sunday of October: back to winter time
        ((2026, 10, 24), "20261024T100000", 8),  # the day before: still summer time
    ],
)
def test_dst_transitions_keep_local_time(day, expected_local, expected_utc_hour):
    start = berlin(*day, hour=10)
    event = EventFactory(starts_at=start, ends_at=start + timedelta(hours=2))
    assert event.starts_at.utctimetuple().tm_hour == expected_utc_hour
    text = ical.calendar([event], name="Test")
    assert f"DTSTART;TZID=Europe/Berlin:{expected_local}" in text
    assert f"DTEND;TZID=Europe/Berlin:{expected_local[:9]}120000" in text
    assert "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin" in text
    assert "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU" in text
    assert "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU" in text


def test_all_day_date_uses_date_values_with_exclusive_end():
    event = EventFactory(all_day=True, starts_at=berlin(2026, 5, 6, 0), ends_at=berlin(2026, 5, 7, 23, 59))
    text = ical.calendar([event], name="Test")
    assert "DTSTART;VALUE=DATE:20260506" in text
    assert "DTEND;VALUE=DATE:20260508" in text


def test_event_has_uid_stamp_url_and_status():
    event = EventFactory(online_url="https://meet.example.org/raum", place="")
    text = _unfold(ical.calendar([event], name="Test"))
    assert f"UID:event-{event.pk}@testserver" in text
    assert "DTSTAMP:" in text and text.split("DTSTAMP:")[1][:16].endswith("Z")
    assert f"URL:http://testserver/dates/{event.pk}/" in text
    assert "LOCATION:https://meet.example.org/raum" in text
    assert "STATUS:CONFIRMED" in text


def test_single_date_download(member_client):
    event = EventFactory(title="Lean Coffee: KI")
    response = member_client.get(f"/dates/{event.pk}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    assert body.count("BEGIN:VEVENT") == 1
    assert "SUMMARY:Lean Coffee: KI" in body


def test_workspace_calendar_contains_only_its_dates(member_client):
    workspace = WorkspaceFactory(slug="lsz", name="LSZ")
    add_member(workspace, member_client.user)
    EventFactory(workspace=workspace, title="Zukunftswerkstatt Apolda")
    EventFactory(title="Portalweiter Fachtag")
    body = member_client.get("/dates/workspace/lsz.ics").content.decode()
    assert "Zukunftswerkstatt Apolda" in body
    assert "Portalweiter Fachtag" not in body
    assert "CATEGORIES:LSZ" in body
