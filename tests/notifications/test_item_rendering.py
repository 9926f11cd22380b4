"""The list entries made in Python: what each shows, escaped, in the member's language and time zone."""

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import translation

from notifications import services
from notifications.models import Notification
from notifications.services import notify
from tests.notifications.factories import MembershipFactory, WorkspaceFactory

pytestmark = pytest.mark.django_db


def _entry(html: str, pk: int) -> str:
    match = re.search(rf'<li class="notification-entry[^"]*" id="notification-{pk}">.*?</li>', html, re.S)
    assert match, html
    return match.group(0)


def test_an_unread_entry_shows_badge_link_time_kind_workspace_and_both_actions(
    member_client, fake_layer, workspace_target
):
    user = member_client.user
    workspace = WorkspaceFactory(name="Armut & <Teilhabe>")
    MembershipFactory(workspace=workspace, user=user)
    (row,) = notify(recipients=[user], kind="forum_reply", target=workspace, workspace=workspace)
    Notification.objects.filter(pk=row.pk).update(updated_at=datetime(2026, 7, 1, 22, 30, tzinfo=UTC))

    entry = _entry(member_client.get(reverse("notifications:list")).content.decode(), row.pk)

    assert 'class="notification-entry list-group-item is-unread"' in entry
    assert '<span class="badge text-bg-primary me-1">neu</span>' in entry
    assert f'<a href="{reverse("notifications:open", args=[row.pk])}" class="notification-link">' in entry
    assert "Armut &amp; &lt;Teilhabe&gt;" in entry and "<Teilhabe>" not in entry
    # Summer time in Thuringia: 22:30 UTC is half past midnight on the next day.
    assert '<time datetime="2026-07-02T00:30:00+02:00">02.07.2026, 00:30</time>' in entry
    mark_read = reverse("notifications:mark_read", args=[row.pk])
    assert f'<form method="post" action="{mark_read}" hx-post="{mark_read}" hx-target="#notification-{row.pk}"' in entry
    assert entry.count('name="csrfmiddlewaretoken"') == 2
    assert entry.count('<input type="hidden" name="next" value="/notifications/">') == 2
    assert ">Als gelesen markieren<" in entry and f'action="{reverse("notifications:mute", args=[row.pk])}"' in entry


def test_a_read_entry_has_no_badge_and_no_mark_read_form(member_client, fake_layer):
    (row,) = notify(recipients=[member_client.user], kind="forum_mention", data={"title": "Sozialbericht 2025"})
    services.mark_read(user=member_client.user, ids=[row.pk])
    entry = _entry(member_client.get(reverse("notifications:list")).content.decode(), row.pk)
    assert "is-unread" not in entry and "text-bg-primary" not in entry
    assert reverse("notifications:mark_read", args=[row.pk]) not in entry
    assert "„Sozialbericht 2025“" in entry


def test_an_entry_without_visible_target_has_no_link(member_client, fake_layer, workspace_target):
    workspace = WorkspaceFactory(name="Geheimer Arbeitskreis")
    membership = MembershipFactory(workspace=workspace, user=member_client.user)
    (row,) = notify(recipients=[member_client.user], kind="workspace_announcement", target=workspace)
    membership.delete()
    entry = _entry(member_client.get(reverse("notifications:list")).content.decode(), row.pk)
    assert '<span class="notification-link text-body-secondary">' in entry and "<a " not in entry
    assert "Geheimer" not in entry


def test_the_next_field_keeps_the_filtered_list_escaped(member_client, fake_layer):
    (row,) = notify(recipients=[member_client.user], kind="forum_mention", data={"title": "x"})
    html = member_client.get(reverse("notifications:list"), {"status": "unread", "kind": "forum_mention"}).content
    entry = _entry(html.decode(), row.pk)
    assert 'name="next" value="/notifications/?status=unread&amp;kind=forum_mention"' in entry


def test_entries_in_english(member_client, fake_layer):
    (row,) = notify(recipients=[member_client.user], kind="forum_mention", data={"title": "x"})
    with translation.override("en"):
        html = member_client.get(reverse("notifications:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    entry = _entry(html, row.pk)
    assert ">new<" in entry and ">Mark as read<" in entry
