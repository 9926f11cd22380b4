"""The list, the feed, the redirect endpoint, marking read and the preferences page."""

import re

import pytest
from django.urls import reverse

from notifications import services
from notifications.models import EmailMode, Mute, Notification, Preference
from notifications.services import notify
from tests.budgets import session_queries
from tests.factories import MemberFactory
from tests.notifications.factories import MembershipFactory, WorkspaceFactory


def _notify_many(user, n, workspace=None, target=None):
    for i in range(n):
        notify(
            recipients=[user],
            kind="workspace_announcement",
            target=target,
            workspace=workspace,
            data={"title": f"Termin {i}"},
        )


# --- Access ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,args",
    [("list", []), ("feed", []), ("preferences", []), ("open", [1]), ("mark_read", [1]), ("mark_all_read", [])],
)
def test_anonymous_visitors_are_sent_to_login(client, db, name, args):
    response = client.get(reverse(f"notifications:{name}", args=args))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_someone_elses_notification_is_404(member_client, db, fake_layer):
    (row,) = notify(recipients=[MemberFactory()], kind="workspace_announcement")
    assert member_client.get(reverse("notifications:open", args=[row.pk])).status_code == 404
    assert member_client.post(reverse("notifications:mark_read", args=[row.pk])).status_code == 404
    assert member_client.post(reverse("notifications:mute", args=[row.pk])).status_code == 404
    row.refresh_from_db()
    assert row.read_at is None


# --- List ----------------------------------------------------------------------------------------


def test_list_shows_rendered_texts_and_filters_by_status_kind_and_workspace(
    member_client, fake_layer, workspace_target
):
    user = member_client.user
    workspace = WorkspaceFactory(name="Lokale Sozialstrategien")
    MembershipFactory(workspace=workspace, user=user)
    notify(recipients=[user], kind="workspace_announcement", target=workspace, workspace=workspace)
    (read,) = notify(recipients=[user], kind="forum_mention", data={"title": "Sozialbericht 2025"})
    services.mark_read(user=user, ids=[read.pk])

    page = member_client.get(reverse("notifications:list")).content.decode()
    assert "Ankündigung von" in page and "„Lokale Sozialstrategien“" in page
    assert "„Sozialbericht 2025“" in page

    unread = member_client.get(reverse("notifications:list"), {"status": "unread"}).content.decode()
    assert "Lokale Sozialstrategien“" in unread and "Sozialbericht 2025" not in unread
    by_kind = member_client.get(reverse("notifications:list"), {"kind": "forum_mention"}).content.decode()
    assert "Sozialbericht 2025" in by_kind and "Ankündigung von" not in by_kind
    by_workspace = member_client.get(reverse("notifications:list"), {"workspace": workspace.pk}).content.decode()
    assert "Ankündigung von" in by_workspace and "Sozialbericht 2025" not in by_workspace


def test_list_with_bad_filter_values_answers_200_with_a_message(member_client):
    response = member_client.get(reverse("notifications:list"), {"kind": "nonsense", "workspace": "x", "page": "zz"})
    assert response.status_code == 200
    assert "Bitte eine gültige Auswahl treffen" in response.content.decode()


def _workspace_options(client) -> str:
    page = client.get(reverse("notifications:list")).content.decode()
    return page.split('name="workspace"', 1)[1].split("</select>", 1)[0]


def test_the_filter_form_offers_each_member_only_their_own_workspaces(client, db):
    jena, gera = WorkspaceFactory(name="Sozialplanung Jena"), WorkspaceFactory(name="Sozialplanung Gera")
    for workspace in (jena, gera):
        workspace.visibility = workspace.Visibility.MEMBERS_ONLY
        workspace.save()
    in_jena, in_gera = MemberFactory(), MemberFactory()
    MembershipFactory(workspace=jena, user=in_jena)
    MembershipFactory(workspace=gera, user=in_gera)
    client.force_login(in_jena)
    assert "Sozialplanung Jena" in _workspace_options(client) and "Sozialplanung Gera" not in _workspace_options(client)
    client.force_login(in_gera)
    options = _workspace_options(client)
    assert "Sozialplanung Gera" in options and "Sozialplanung Jena" not in options
    MembershipFactory(workspace=jena, user=in_gera)  # joins: the choice shows at once
    assert "Sozialplanung Jena" in _workspace_options(client)


def test_list_is_paginated(member_client, fake_layer):
    _notify_many(member_client.user, 30)
    first = member_client.get(reverse("notifications:list")).content.decode()
    assert first.count('class="notification-entry') == 25
    assert "Seite 1 von 2" in first
    second = member_client.get(reverse("notifications:list"), {"page": 2}).content.decode()
    assert second.count('class="notification-entry') == 5


@pytest.mark.parametrize("size", [3, 30])
def test_list_query_count_does_not_grow_with_data(
    member_client, fake_layer, workspace_target, django_assert_num_queries, size
):
    user = member_client.user
    workspaces = [WorkspaceFactory() for _ in range(3)]
    for workspace in workspaces:
        MembershipFactory(workspace=workspace, user=user)
    for i in range(size):
        workspace = workspaces[i % 3]
        notify(
            recipients=[user],
            kind="workspace_announcement",
            target=workspace,
            workspace=workspace,
            actor=MemberFactory(),
        )
    # session, user, workspace filter choices (roles + workspaces), count, page, targets,
    # bell count (context processor)
    with django_assert_num_queries(7 + session_queries()):
        response = member_client.get(reverse("notifications:list"))
    assert response.status_code == 200


# --- Feed ----------------------------------------------------------------------------------------


def test_feed_returns_everything_after_the_last_seen_id(member_client, fake_layer):
    user = member_client.user
    _notify_many(user, 3)
    first, second, third = Notification.objects.order_by("pk")
    data = member_client.get(reverse("notifications:feed"), {"after": first.pk}).json()
    assert [item["id"] for item in data["items"]] == [second.pk, third.pk]
    assert data["unread"] == 3
    assert data["items"][0]["text"] == "Ankündigung von Jemand: „Termin 1“"
    assert data["items"][0]["url"] == reverse("notifications:open", args=[second.pk])
    assert data["more"] is False


def test_feed_without_after_returns_the_latest_few(member_client, fake_layer):
    _notify_many(member_client.user, 12)
    data = member_client.get(reverse("notifications:feed")).json()
    ids = [item["id"] for item in data["items"]]
    assert len(ids) == 8 and ids == sorted(ids)
    assert ids[-1] == Notification.objects.latest("pk").pk


def test_feed_catch_up_includes_merged_rows_updated_since_the_cursor(member_client, fake_layer):
    user = member_client.user
    (row,) = notify(recipients=[user], kind="forum_reply", merge_key="t:1", data={"title": "x"})
    cursor = member_client.get(reverse("notifications:feed"), {"after": 0}).json()["cursor"]
    notify(recipients=[user], kind="forum_reply", merge_key="t:1")
    data = member_client.get(reverse("notifications:feed"), {"after": row.pk, "since": cursor}).json()
    assert [(item["id"], item["count"]) for item in data["items"]] == [(row.pk, 2)]


def test_feed_ignores_garbage_parameters(member_client, fake_layer):
    _notify_many(member_client.user, 2)
    response = member_client.get(reverse("notifications:feed"), {"after": "abc", "since": "gestern"})
    assert response.status_code == 200
    assert len(response.json()["items"]) == 2


def test_feed_hides_portal_off_rows_and_other_peoples_rows(member_client, fake_layer):
    user = member_client.user
    services.save_preferences(user=user, choices={"workspace_announcement": (False, EmailMode.DIGEST)})
    notify(recipients=[user], kind="workspace_announcement")
    notify(recipients=[MemberFactory()], kind="forum_mention")
    data = member_client.get(reverse("notifications:feed"), {"after": 0}).json()
    assert data == {"unread": 0, "more": False, "cursor": "", "items": []}


@pytest.mark.parametrize("size", [3, 30])
def test_feed_query_count_does_not_grow_with_data(
    member_client, fake_layer, workspace_target, django_assert_num_queries, size
):
    user = member_client.user
    workspaces = [WorkspaceFactory() for _ in range(3)]
    for workspace in workspaces:
        MembershipFactory(workspace=workspace, user=user)
    for i in range(size):
        notify(recipients=[user], kind="workspace_announcement", target=workspaces[i % 3], actor=MemberFactory())
    # session, user, rows, targets, roles (policy), unread count
    with django_assert_num_queries(5 + session_queries()):
        response = member_client.get(reverse("notifications:feed"), {"after": 0})
    assert len(response.json()["items"]) == size


# --- Policy at display time ------------------------------------------------------------------------


def test_target_that_became_invisible_shows_no_title_and_no_link(member_client, fake_layer, workspace_target):
    user = member_client.user
    workspace = WorkspaceFactory(name="Geheimer Arbeitskreis")
    membership = MembershipFactory(workspace=workspace, user=user)
    (row,) = notify(recipients=[user], kind="workspace_announcement", target=workspace, workspace=workspace)
    membership.delete()

    item = member_client.get(reverse("notifications:feed"), {"after": 0}).json()["items"][0]
    assert "Geheimer" not in item["text"] and item["url"] == ""
    assert item["text"] == "Ankündigungen in meinen Arbeitsbereichen – der Inhalt ist für Sie nicht verfügbar."
    assert "Geheimer" not in member_client.get(reverse("notifications:list")).content.decode()
    response = member_client.get(reverse("notifications:open", args=[row.pk]))
    assert response["Location"] == reverse("notifications:list")
    row.refresh_from_db()
    assert row.read_at is not None


def test_target_of_an_unregistered_model_shows_generic_text(member_client, fake_layer):
    other = MemberFactory(display_name="Unsichtbare Person")
    notify(recipients=[member_client.user], kind="forum_report", target=other.profile)
    item = member_client.get(reverse("notifications:feed"), {"after": 0}).json()["items"][0]
    assert "Unsichtbare" not in item["text"] and item["url"] == ""


def test_member_pending_is_visible_to_staff_and_leads_to_the_approval_queue(staff_client, fake_layer):
    from tests.factories import PendingFactory

    newcomer = PendingFactory(display_name="Nora Neu")
    services.notify_staff_of_pending_member(newcomer)
    item = staff_client.get(reverse("notifications:feed"), {"after": 0}).json()["items"][0]
    assert item["text"] == "Neues Mitglied wartet auf Freischaltung: Nora Neu"
    response = staff_client.get(item["url"])
    assert response["Location"] == reverse("members:approval_queue")


def test_open_marks_read_and_redirects_to_the_target(
    member_client, fake_layer, workspace_target, django_capture_on_commit_callbacks
):
    user = member_client.user
    workspace = WorkspaceFactory(slug="praeventionsketten")
    MembershipFactory(workspace=workspace, user=user)
    (row,) = notify(recipients=[user], kind="workspace_announcement", target=workspace)
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.get(reverse("notifications:open", args=[row.pk]))
    assert response["Location"] == "/workspaces/praeventionsketten/"
    row.refresh_from_db()
    assert row.read_at is not None
    assert fake_layer.sent[-1][1]["type"] == "notify.read"


# --- Marking read ------------------------------------------------------------------------------------


def test_mark_read_with_htmx_returns_the_item_and_tells_other_tabs(
    member_client, fake_layer, django_capture_on_commit_callbacks
):
    user = member_client.user
    _notify_many(user, 2)
    row = Notification.objects.order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(reverse("notifications:mark_read", args=[row.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="notification-{row.pk}"' in response.content.decode()
    assert "is-unread" not in response.content.decode()
    assert fake_layer.sent[-1] == (
        f"user.{user.pk}",
        {"type": "notify.read", "ids": [row.pk], "all": False, "unread": 1},
    )


def test_mark_read_requires_post(member_client, fake_layer):
    (row,) = notify(recipients=[member_client.user], kind="workspace_announcement")
    assert member_client.get(reverse("notifications:mark_read", args=[row.pk])).status_code == 405


def test_mark_all_read_redirects_back_safely(member_client, fake_layer, django_capture_on_commit_callbacks):
    _notify_many(member_client.user, 3)
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(reverse("notifications:mark_all_read"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("notifications:list")
    assert services.unread_count(member_client.user) == 0
    assert fake_layer.sent[-1][1] == {"type": "notify.read", "ids": [], "all": True, "unread": 0}


# --- Preferences ----------------------------------------------------------------------------------------


def test_preferences_page_saves_choices_frequency_and_workspace_mutes(member_client):
    user = member_client.user
    workspace = WorkspaceFactory(name="Arbeitskreis Sozialplanung")
    MembershipFactory(workspace=workspace, user=user)
    page = member_client.get(reverse("notifications:preferences"))
    assert page.status_code == 200
    assert "Antworten auf meine Beiträge" in page.content.decode()

    form = {f"portal_{key}": "on" for key in ["forum_reply", "workspace_announcement"]}
    form.update({"email_forum_reply": "immediate", "email_workspace_announcement": "", "frequency": "weekly"})
    form["muted_workspaces"] = [workspace.pk]
    response = member_client.post(reverse("notifications:preferences"), form)
    assert response.status_code == 302

    prefs = services.effective_preferences(user)
    assert prefs["forum_reply"] == (True, EmailMode.IMMEDIATE)
    assert prefs["workspace_announcement"] == (True, EmailMode.OFF)
    assert prefs["forum_mention"] == (False, EmailMode.OFF)  # unchecked, no email chosen
    assert user.digest_settings.frequency == "weekly"
    assert Mute.objects.filter(user=user, object_id=workspace.pk).exists()


def test_preferences_with_invalid_values_show_errors_and_save_nothing(member_client):
    response = member_client.post(
        reverse("notifications:preferences"), {"email_forum_reply": "pigeon", "frequency": "hourly"}
    )
    assert response.status_code == 200
    assert "Bitte eine gültige Auswahl treffen" in response.content.decode()
    assert not Preference.objects.exists()


def test_muting_from_the_list_and_unmuting_on_the_preferences_page(member_client, fake_layer, workspace_target):
    user = member_client.user
    workspace = WorkspaceFactory(name="Armutsprävention")
    MembershipFactory(workspace=workspace, user=user)
    (row,) = notify(recipients=[user], kind="forum_reply", target=workspace)
    member_client.post(reverse("notifications:mute", args=[row.pk]))
    mute = Mute.objects.get(user=user)
    assert "Armutsprävention" in member_client.get(reverse("notifications:preferences")).content.decode()
    member_client.post(reverse("notifications:unmute", args=[mute.pk]))
    assert not Mute.objects.exists()
    assert member_client.post(reverse("notifications:unmute", args=[mute.pk])).status_code == 404


def test_preferences_show_staff_and_moderator_kinds_only_to_those_who_get_them(member_client, client, staff):
    member_page = member_client.get(reverse("notifications:preferences")).content.decode()
    assert "Erwähnungen meiner Person" in member_page
    assert "Freischaltung" not in member_page and "Beitrittsanfragen (Moderation)" not in member_page
    client.force_login(staff)
    staff_page = client.get(reverse("notifications:preferences")).content.decode()
    assert "Freischaltung" in staff_page and "Beitrittsanfragen (Moderation)" in staff_page


def test_a_pending_member_notification_offers_no_mute(staff_client, fake_layer):
    from tests.factories import PendingFactory

    services.notify_staff_of_pending_member(PendingFactory())
    row = Notification.objects.get()
    assert "Stummschalten" not in staff_client.get(reverse("notifications:list")).content.decode()
    assert staff_client.post(reverse("notifications:mute", args=[row.pk])).status_code == 404


def test_the_unfiltered_list_shows_what_the_filtered_one_shows(member_client, fake_layer):
    """Without filters the count and the page come from compiled statements; an empty filter
    goes through django-filter: both give the same pages."""
    _notify_many(member_client.user, 30)
    other = MemberFactory()
    _notify_many(other, 3)  # someone else's: in neither
    for page in (1, 2):
        compiled = member_client.get(reverse("notifications:list"), {"page": page})
        filtered = member_client.get(reverse("notifications:list"), {"status": "", "page": page})
        assert compiled.context["page"].paginator.count == filtered.context["page"].paginator.count == 30
        assert [item.pk for item in compiled.context["page"]] == [item.pk for item in filtered.context["page"]]
        varying = re.compile(r'name="(csrfmiddlewaretoken|next)" value="[^"]*"')
        assert varying.sub("", compiled.context["entries"]) == varying.sub("", filtered.context["entries"])
