import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Kommune
from notifications import registry
from pages.shared_reads import changed
from tests.budgets import session_queries
from tests.factories import MemberFactory, PendingFactory, StaffFactory
from tests.workspaces.conftest import login
from tests.workspaces.factories import JoinRequestFactory, MembershipFactory, PortalWorkspaceFactory, WorkspaceFactory
from workspaces import services
from workspaces.activity import record_activity
from workspaces.models import Activity, JoinRequest, Membership, Workspace
from workspaces.signals import workspace_scope

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _normalised(response, slug):
    return CSRF.sub("", response.content.decode()).replace(slug, "SLUG")


# --- 404 for what one may not know exists -------------------------------------------------


@pytest.mark.parametrize("suffix", ["", "members/", "requests/", "edit/", "request/"])
def test_hidden_workspace_answers_exactly_like_a_missing_one(client, workspace, outsider, suffix):
    login(client, outsider)
    hidden = client.get(f"/workspaces/{workspace.slug}/{suffix}")
    missing_slug = "gibt-es-nicht"
    missing = client.get(f"/workspaces/{missing_slug}/{suffix}")

    assert hidden.status_code == missing.status_code == 404
    assert [t.name for t in hidden.templates] == [t.name for t in missing.templates]
    assert _normalised(hidden, workspace.slug) == _normalised(missing, missing_slug)
    assert workspace.name not in hidden.content.decode()


def test_join_request_of_another_workspace_is_404(client, workspace, moderator):
    foreign = JoinRequestFactory(workspace=PortalWorkspaceFactory())
    login(client, moderator)
    response = client.post(f"/workspaces/{workspace.slug}/requests/{foreign.pk}/approve/")
    assert response.status_code == 404
    assert JoinRequest.objects.get(pk=foreign.pk).is_pending


def test_removing_someone_who_is_no_member_is_404(client, workspace, moderator, outsider):
    login(client, moderator)
    assert client.post(f"/workspaces/{workspace.slug}/members/{outsider.pk}/remove/").status_code == 404


# --- Messages for bad input -----------------------------------------------------------------


def test_second_join_shows_a_german_message(client, member):
    workspace = PortalWorkspaceFactory(join_policy=Workspace.JoinPolicy.OPEN)
    login(client, member)
    client.post(f"/workspaces/{workspace.slug}/join/")
    response = client.post(f"/workspaces/{workspace.slug}/join/", follow=True)
    assert "Sie sind bereits Mitglied dieses Arbeitsbereichs." in response.content.decode()
    assert Membership.objects.filter(workspace=workspace, user=member).count() == 1


def test_removing_the_last_moderator_shows_a_german_message(client, workspace, moderator):
    login(client, moderator)
    response = client.post(f"/workspaces/{workspace.slug}/members/{moderator.pk}/remove/", follow=True)
    assert "Die letzte Moderator*in kann" in response.content.decode()
    assert Membership.objects.filter(workspace=workspace, user=moderator).exists()


def test_approving_twice_shows_a_german_message(client, moderator, workspace):
    join_request = JoinRequestFactory(workspace=workspace)
    login(client, moderator)
    client.post(f"/workspaces/{workspace.slug}/requests/{join_request.pk}/approve/")
    response = client.post(f"/workspaces/{workspace.slug}/requests/{join_request.pk}/approve/", follow=True)
    assert "Diese Anfrage wurde bereits bearbeitet (angenommen)." in response.content.decode()
    assert Membership.objects.filter(workspace=workspace, user=join_request.user).count() == 1


def test_archived_workspace_write_shows_a_german_message(client, workspace, moderator):
    Workspace.objects.filter(pk=workspace.pk).update(is_archived=True)
    login(client, moderator)
    response = client.post(
        f"/workspaces/{workspace.slug}/announcements/new/", {"title": "Hinweis", "body": "Text"}, follow=True
    )
    assert response.status_code == 200
    assert "archiviert und kann nur gelesen werden" in response.content.decode()
    assert not workspace.announcements.exists()


def test_invalid_role_is_refused(client, workspace, moderator, ws_member):
    login(client, moderator)
    response = client.post(f"/workspaces/{workspace.slug}/members/{ws_member.pk}/role/", {"role": "chef"}, follow=True)
    assert "Bitte wählen Sie eine gültige Rolle." in response.content.decode()
    assert Membership.objects.get(workspace=workspace, user=ws_member).role == Membership.Role.MEMBER


# --- Pages --------------------------------------------------------------------------------


def test_workspace_list_offers_the_right_action_per_workspace(client, member):
    MembershipFactory(workspace=PortalWorkspaceFactory(name="Mein Bereich"), user=member)
    PortalWorkspaceFactory(name="Offener Bereich", join_policy=Workspace.JoinPolicy.OPEN)
    PortalWorkspaceFactory(name="Anfragebereich", join_policy=Workspace.JoinPolicy.REQUEST)
    WorkspaceFactory(name="Geheimer Bereich")
    login(client, member)

    html = client.get("/workspaces/").content.decode()

    assert "Geheimer Bereich" not in html
    assert "Mein Bereich" in html and ">Mitglied<" in html
    assert "Beitreten<span" in html
    assert "Beitritt anfragen<span" in html


def test_request_join_page_then_pending_on_list(client, member):
    workspace = PortalWorkspaceFactory(join_policy=Workspace.JoinPolicy.REQUEST)
    login(client, member)
    assert client.get(f"/workspaces/{workspace.slug}/request/").status_code == 200
    response = client.post(f"/workspaces/{workspace.slug}/request/", {"message": "Hallo"}, follow=True)
    html = response.content.decode()
    assert "Ihre Anfrage wurde gesendet." in html
    assert "Anfrage offen" in html


def test_workspace_home_shows_sections_and_sanitised_markdown(client, workspace, moderator, ws_member):
    workspace.description = "## Ziele\n\n<script>alert(1)</script> **wichtig**"
    workspace.save()
    workspace.kommunen.add(Kommune.objects.get(slug="stadt-jena"))
    workspace.contact_persons.add(moderator)
    services.post_announcement(workspace=workspace, author=moderator, title="Beiratssitzung", body="Im *März*")
    login(client, ws_member)

    html = client.get(f"/workspaces/{workspace.slug}/").content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "<strong>wichtig</strong>" in html
    assert "Beiratssitzung" in html and "<em>März</em>" in html
    for heading in ["Neueste Dokumente", "Neueste Themen", "Nächste Termine", "Teilnehmende Kommunen"]:
        assert heading in html
    assert "Noch keine Dokumente." in html
    assert "kommunen-tile ws-row-3 ws-col-6 ws-span-1 is-participating" in html  # Jena
    assert "Stadt Jena" in html
    assert "Mona Moderatorin" in html and "Max Mitglied" in html
    assert "Arbeitsbereich verlassen" in html


def test_workspace_home_previews_moderators_first_then_members_by_name(client, workspace, moderator, settings):
    from workspaces.selectors import HOME_MEMBERS, memberships_of

    jena = Kommune.objects.get(slug="stadt-jena")
    names = [f"Mitglied {chr(ord('A') + i)}" for i in range(HOME_MEMBERS + 3)]
    for name in reversed(names):  # created in reverse, so the order cannot come from the ids
        user = MemberFactory(display_name=name)
        user.profile.kommune = jena
        user.profile.save()
        MembershipFactory(workspace=workspace, user=user)
    second_moderator = MemberFactory(display_name="Zora Moderatorin")
    MembershipFactory(workspace=workspace, user=second_moderator, role=Membership.Role.MODERATOR)

    preview = [m.user.display_name for m in memberships_of(workspace, HOME_MEMBERS)]
    assert preview == ["Mona Moderatorin", "Zora Moderatorin", *names[: HOME_MEMBERS - 2]]
    assert [m.user.display_name for m in memberships_of(workspace)][: len(preview)] == preview
    login(client, moderator)
    home = client.get(f"/workspaces/{workspace.slug}/")
    assert [m.user.display_name for m in home.context["home"].members] == preview
    html = home.content.decode()
    assert names[HOME_MEMBERS - 3] in html and names[HOME_MEMBERS - 2] not in html
    entries = html.split('id="members-heading"')[1].split("</ul>")[0].split('<li class="mb-1">')[1:]
    assert len(entries) == HOME_MEMBERS
    assert f'<a href="/members/{moderator.pk}/">Mona Moderatorin</a>' in entries[0]
    assert '<span class="badge text-bg-secondary">Moderator*in</span>' in entries[0]
    assert (
        "Moderator*in" not in entries[2]
        and '<span class="d-block small text-body-secondary">Stadt Jena</span>' in entries[2]
    )
    assert 'class="kommunen-map" aria-hidden="true"' in html and "teilnehmend</p>" in html


def test_add_member_search_finds_candidates_not_members(client, workspace, moderator, ws_member):
    MemberFactory(display_name="Gerda Gesucht")
    PendingFactory(display_name="Gerd Wartend")
    login(client, moderator)
    html = client.get(f"/workspaces/{workspace.slug}/members/add/", {"q": "Ger"}).content.decode()
    assert "Gerda Gesucht" in html
    assert "Gerd Wartend" not in html
    html = client.get(f"/workspaces/{workspace.slug}/members/add/", {"q": "Max"}).content.decode()
    assert "Max Mitglied" not in html.split('id="member-candidates"')[1]


def test_add_member_form_adds_and_rejects_existing(client, workspace, moderator, ws_member):
    candidate = MemberFactory()
    login(client, moderator)
    client.post(f"/workspaces/{workspace.slug}/members/add/", {"user": candidate.pk})
    assert Membership.objects.filter(workspace=workspace, user=candidate).exists()
    response = client.post(f"/workspaces/{workspace.slug}/members/add/", {"user": ws_member.pk}, follow=True)
    assert "kann nicht hinzugefügt werden" in response.content.decode()


# --- Reading position and dashboard ---------------------------------------------------------


def _updates(queries):
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]


def test_opening_the_home_moves_last_seen_only_when_something_is_new(client, workspace, moderator, ws_member):
    services.post_announcement(workspace=workspace, author=moderator, title="Neu", body="Text")
    login(client, ws_member)

    with CaptureQueriesContext(connection) as first:
        client.get(f"/workspaces/{workspace.slug}/")
    with CaptureQueriesContext(connection) as second:
        client.get(f"/workspaces/{workspace.slug}/")

    assert len([sql for sql in _updates(first.captured_queries) if "workspaces_membership" in sql]) == 1
    assert not [sql for sql in _updates(second.captured_queries) if "workspaces_membership" in sql]
    assert Membership.objects.get(workspace=workspace, user=ws_member).last_seen_at is not None


def test_dashboard_counts_news_since_last_visit_and_resets(client, workspace, moderator, ws_member):
    login(client, ws_member)
    client.get(f"/workspaces/{workspace.slug}/")  # nothing new yet: no write
    services.post_announcement(workspace=workspace, author=moderator, title="Eins", body="x")
    record_activity(actor=moderator, verb="document_uploaded", workspace=workspace, title="Sozialbericht 2025")
    record_activity(actor=moderator, verb="thread_created", workspace=workspace, title="Frage")
    record_activity(actor=ws_member, verb="reply_posted", workspace=workspace, title="Eigene Antwort")

    html = client.get("/").content.decode()
    assert "3 neu" in html
    assert "1 neues Dokument" in html
    assert "1 neues Thema oder neue Antwort" in html  # the member's own reply is not news to them
    assert "1 Ankündigung" in html

    client.get(f"/workspaces/{workspace.slug}/")
    assert "Nichts Neues seit Ihrem letzten Besuch." in client.get("/").content.decode()


def test_news_counts_are_per_workspace_since_each_last_visit(workspace, moderator, ws_member):
    from datetime import timedelta

    from django.utils import timezone

    from workspaces.selectors import my_workspaces_with_news

    other = WorkspaceFactory(name="Zweiter Arbeitsbereich")
    MembershipFactory(workspace=other, user=ws_member)
    now = timezone.now()
    Membership.objects.filter(user=ws_member, workspace=workspace).update(last_seen_at=now - timedelta(hours=1))
    Membership.objects.filter(user=ws_member, workspace=other).update(last_seen_at=now + timedelta(seconds=1))
    for verb in ("document_uploaded", "document_uploaded", "member_joined", "something_else"):
        record_activity(actor=moderator, verb=verb, workspace=workspace, title="x")
        record_activity(actor=moderator, verb=verb, workspace=other, title="x")  # before the visit there
    record_activity(actor=None, verb="thread_created", workspace=workspace, title="ohne Akteur")
    record_activity(actor=ws_member, verb="document_uploaded", workspace=workspace, title="eigenes")  # not news

    news = {m.workspace.name: m for m in my_workspaces_with_news(ws_member)}
    first = news[workspace.name]
    assert (first.new_total, first.new_documents, first.new_members, first.new_discussions) == (5, 2, 1, 1)
    assert first.new_announcements == 0
    assert news["Zweiter Arbeitsbereich"].new_total == 0
    assert list(news) == sorted(news)  # by name


def test_feed_shows_only_what_the_user_may_see(client, member):
    hidden = WorkspaceFactory(name="Verborgen")
    visible = PortalWorkspaceFactory(name="Sichtbar")
    record_activity(actor=None, verb="document_uploaded", workspace=hidden, title="Geheimer Bericht")
    record_activity(actor=None, verb="document_uploaded", workspace=visible, title="Offener Bericht")
    record_activity(actor=None, verb="thread_created", workspace=None, title="Portalweites Thema")
    login(client, member)

    html = client.get("/").content.decode()

    assert "Geheimer Bericht" not in html and "Verborgen" not in html
    assert "Offener Bericht" in html and "Portalweites Thema" in html
    assert "hat ein Dokument hochgeladen" in html


def test_activity_entries_show_actor_label_linked_title_time_and_place(client, workspace, moderator, ws_member):
    from datetime import UTC, datetime

    workspace.name = "Armut & <Teilhabe>"
    workspace.save()
    home_url = f"/workspaces/{workspace.slug}/"
    in_workspace = record_activity(
        actor=moderator, verb="thread_created", workspace=workspace, title="Frage <b>1</b>", url="/forums/threads/1/"
    )
    record_activity(actor=moderator, verb="member_joined", workspace=workspace, title="", url=home_url)
    gone = MemberFactory(display_name="Gerd Gegangen")
    record_activity(actor=gone, verb="thread_created", title="Ohne Link")
    gone.delete()  # the actor's account is gone: "Someone"
    Activity.objects.filter(pk=in_workspace.pk).update(created_at=datetime(2026, 7, 1, 22, 5, tzinfo=UTC))
    login(client, ws_member)

    feed = client.get("/").content.decode().split('class="list-unstyled activity-feed"')[1].split("</ul>")[0]
    entries = feed.split('<li class="activity-item">')[1:]
    assert len(entries) == 3
    first = next(e for e in entries if "Frage" in e)
    assert '<span class="fw-semibold">Mona Moderatorin</span>' in first
    assert '<a href="/forums/threads/1/">Frage &lt;b&gt;1&lt;/b&gt;</a>' in first
    assert '<time datetime="2026-07-02T00:05:00+02:00">02.07.2026 00:05</time>' in first
    assert f'<a href="{home_url}">Armut &amp; &lt;Teilhabe&gt;</a>' in first
    joined = next(e for e in entries if "Frage" not in e and "Ohne Link" not in e)
    assert home_url not in joined  # the entry is about the workspace itself: no second link to it
    last = next(e for e in entries if "Ohne Link" in e)
    assert '<span class="fw-semibold">Jemand</span>' in last and "portalweit" in last and "<a " not in last

    home = client.get(home_url).content.decode().split('class="list-unstyled activity-feed"')[1].split("</ul>")[0]
    assert "Frage &lt;b&gt;1&lt;/b&gt;" in home and "portalweit" not in home and "Armut &amp;" not in home


def test_dashboard_shows_pending_requests_to_moderators(client, workspace, moderator):
    JoinRequestFactory(workspace=workspace)
    JoinRequestFactory(workspace=workspace)
    login(client, moderator)
    html = client.get("/").content.decode()
    assert "Offene Beitrittsanfragen" in html and "2 Anfragen" in html
    assert f"/workspaces/{workspace.slug}/requests/" in html


def test_dashboard_shows_pending_approvals_to_staff_only(client, member):
    PendingFactory()
    PendingFactory()
    login(client, member)
    assert "/members/approvals/" not in client.get("/").content.decode().split('id="main"')[1]
    login(client, StaffFactory())
    html = client.get("/").content.decode()
    assert "2 Registrierungen warten auf Freischaltung" in html and 'href="/members/approvals/"' in html


def _populate(size, user):
    for index in range(size):
        workspace = PortalWorkspaceFactory() if index % 2 else WorkspaceFactory()
        MembershipFactory(workspace=workspace, user=user, role=Membership.Role.MODERATOR)
        JoinRequestFactory(workspace=workspace)
        for verb in ("document_uploaded", "thread_created", "member_joined", "announcement_posted"):
            record_activity(actor=None, verb=verb, workspace=workspace, title=f"{verb} {index}")
        record_activity(actor=None, verb="thread_created", workspace=None, title=f"Portal {index}")
        record_activity(actor=None, verb="document_uploaded", workspace=WorkspaceFactory(), title="fremd")


@pytest.mark.parametrize("size", [3, 30])
def test_dashboard_query_budget_does_not_grow(db, client, django_assert_num_queries, size):
    staff = StaffFactory()
    _populate(size, staff)
    PendingFactory()
    login(client, staff)
    client.get("/")  # warm per-process caches (content types, sessions, the user's row)
    # session, memberships, their news counts (one grouped query), open join requests, pending
    # approvals (the user's row, the bell's unread count, the feed and the upcoming dates come
    # from the cache after the first page).
    with django_assert_num_queries(4 + session_queries()):
        response = client.get("/")
    assert response.status_code == 200
    assert Activity.objects.count() == 6 * size


@pytest.mark.parametrize("size", [3, 30])
def test_member_dashboard_query_budget_does_not_grow(db, client, django_assert_num_queries, size):
    user = MemberFactory()
    _populate(size, user)
    login(client, user)
    client.get("/")
    # As for staff, but without the pending approvals count: the member's roles (feed policy)
    # are kept by the process while their memberships are unchanged.
    with django_assert_num_queries(3 + session_queries()):
        client.get("/")
    record_activity(actor=MemberFactory(), verb="thread_created", title="Neu")
    with django_assert_num_queries(4 + session_queries()):  # a new activity: the feed is read again
        assert "Neu" in client.get("/").content.decode()


@pytest.mark.parametrize("size", [3, 30])
def test_workspace_home_query_budget_does_not_grow(db, client, django_assert_num_queries, size):
    workspace = PortalWorkspaceFactory()
    moderator = MemberFactory()
    MembershipFactory(workspace=workspace, user=moderator, role=Membership.Role.MODERATOR)
    for _ in range(size):
        MembershipFactory(workspace=workspace)
        record_activity(actor=moderator, verb="thread_created", workspace=workspace, title="Thema")
    workspace.kommunen.set(Kommune.objects.all()[:size])
    login(client, moderator)
    client.get(f"/workspaces/{workspace.slug}/")  # marks the visit, caches the bell's count
    changed(workspace_scope(workspace.pk))
    # session, workspace, own membership, open requests, latest and pinned documents, latest
    # threads, and for the sections every member shares (built once, then from the cache): map
    # tiles, participants, announcements, members, member count, contact persons, activities.
    # The user's row and roles (kept by the process), the bell's count and the upcoming dates
    # come from the cache.
    with django_assert_num_queries(13 + session_queries()):
        client.get(f"/workspaces/{workspace.slug}/")
    with django_assert_num_queries(6 + session_queries()):
        client.get(f"/workspaces/{workspace.slug}/")


def test_notification_kinds_and_targets_are_registered(workspace):
    for kind in [
        "workspace_join_request",
        "workspace_join_decided",
        "workspace_made_moderator",
        "workspace_announcement",
        "workspace_member_added",
    ]:
        assert registry.kind(kind) is not None
    join_request = JoinRequestFactory(workspace=workspace)
    target = registry.target_type_for(join_request)
    assert target.url(join_request) == f"/workspaces/{workspace.slug}/requests/"
    assert target.can_view(join_request.user, join_request)
    assert not target.can_view(MemberFactory(), join_request)
    assert registry.target_type_for(workspace).title(workspace) == workspace.name


def test_user_headings_sit_below_the_section_heading(client, workspace, moderator):
    workspace.description = "# Titel\n\n## Ziele"
    workspace.save()
    services.post_announcement(workspace=workspace, author=moderator, title="Hinweis", body="## Details")
    login(client, moderator)
    html = client.get(f"/workspaces/{workspace.slug}/").content.decode()
    assert "<h3>Titel</h3>" in html and "<h3>Ziele</h3>" in html  # h1 and h2 both render as h2 first
    assert "<h4>Details</h4>" in html
    assert html.count("<h1") == 1
