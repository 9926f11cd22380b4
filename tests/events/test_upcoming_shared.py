"""The dashboard's and the workspace home's upcoming dates are shared by members who may see
the same workspaces, until a date or a workspace changes or a listed date ends."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events import services
from events.selectors import upcoming_events_for
from tests.events.factories import EventFactory, WorkspaceFactory, add_member
from tests.factories import MemberFactory, StaffFactory
from workspaces.models import Workspace
from workspaces.permissions import forget_workspace_roles

pytestmark = pytest.mark.django_db


def _titles(user, workspace=None) -> list[str]:
    return [event.title for event in upcoming_events_for(user, workspace=workspace)]


def test_a_second_read_comes_from_the_cache_and_is_shared(db):
    EventFactory(title="Fachtag Sozialplanung")
    first, colleague = MemberFactory(), MemberFactory()
    assert _titles(first) == ["Fachtag Sozialplanung"]
    with CaptureQueriesContext(connection) as ctx:
        assert _titles(colleague) == ["Fachtag Sozialplanung"]  # same workspaces: same list
    assert not [q for q in ctx.captured_queries if '"events_event"' in q["sql"]]


def test_new_and_cancelled_dates_show_at_once(db):
    member, staff = MemberFactory(), StaffFactory()
    event = EventFactory(title="Arbeitskreis Jugendhilfeplanung")
    assert _titles(member) == ["Arbeitskreis Jugendhilfeplanung"]
    EventFactory(title="Netzwerktreffen Armutsprävention", starts_at=timezone.now() + timedelta(days=1))
    assert _titles(member) == ["Netzwerktreffen Armutsprävention", "Arbeitskreis Jugendhilfeplanung"]
    services.cancel_event(by=staff, event=event)
    assert _titles(member) == ["Netzwerktreffen Armutsprävention"]


def test_a_date_that_has_ended_leaves_the_list_without_any_write(db, monkeypatch):
    soon = timezone.now() + timedelta(hours=1)
    EventFactory(title="Sprechstunde", starts_at=soon - timedelta(minutes=30), ends_at=soon)
    EventFactory(title="Fachtag")
    member = MemberFactory()
    assert _titles(member) == ["Sprechstunde", "Fachtag"]
    later = soon + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert _titles(member) == ["Fachtag"]


def test_members_only_dates_reach_members_only_and_follow_the_visibility(db):
    workspace = WorkspaceFactory(name="Präventionsketten")
    EventFactory(title="Interne Klausur", workspace=workspace)
    insider, outsider = MemberFactory(), MemberFactory()
    add_member(workspace, insider)
    assert _titles(insider) == ["Interne Klausur"]
    assert _titles(outsider) == []
    assert _titles(outsider, workspace) == []
    workspace.visibility = Workspace.Visibility.PORTAL
    workspace.save()
    assert _titles(outsider) == ["Interne Klausur"]
    assert _titles(outsider, workspace) == ["Interne Klausur"]
    workspace.visibility = Workspace.Visibility.MEMBERS_ONLY
    workspace.save()
    assert _titles(outsider) == []
    add_member(workspace, outsider)  # joins: another audience, the dates show at once
    forget_workspace_roles(outsider)  # as in the next request
    assert _titles(outsider) == ["Interne Klausur"]
