"""The workspace home's shared sections and the dashboard's feed come from the cache and
change with every write that changes what they show."""

import pickle

import pytest
from django.core.cache import cache
from django.db import transaction

from accounts.models import Kommune
from accounts.services import update_profile
from pages import shared_reads
from pages.shared_reads import changed, code_version, generations, shared_read, unpack
from tests.factories import MemberFactory
from tests.workspaces.conftest import login
from tests.workspaces.factories import MembershipFactory
from workspaces import selectors, services
from workspaces.activity import forget_activity, record_activity
from workspaces.models import Membership, Workspace
from workspaces.signals import PEOPLE_SCOPE, workspace_scope


@pytest.fixture
def home(client, workspace, moderator, ws_member):
    login(client, ws_member)

    def get():
        response = client.get(f"/workspaces/{workspace.slug}/")
        assert response.status_code == 200
        return response.content.decode()

    get()  # fills the cache: every check below reads after a cached view
    return get


def test_a_second_view_reads_the_sections_from_the_cache(workspace, moderator, ws_member, django_assert_num_queries):
    built = selectors.shared_sections(workspace)
    with django_assert_num_queries(0):
        sections = selectors.shared_sections(workspace)
    assert [m.user.display_name for m in sections.members] == ["Mona Moderatorin", "Max Mitglied"]
    assert sections.member_count == 2 and sections == built


def test_an_announcement_appears_and_goes(home, workspace, moderator):
    announcement = services.post_announcement(workspace=workspace, author=moderator, title="Fachtag im März", body="x")
    assert "Fachtag im März" in home()
    services.delete_announcement(announcement=announcement, by=moderator)
    assert "Fachtag im März" not in home()


def test_a_new_member_changes_count_and_preview(home, workspace, moderator):
    assert "2 Mitglieder" in home()
    services.add_member(workspace=workspace, user=MemberFactory(display_name="Nora Neu"), by=moderator)
    page = home()
    assert "3 Mitglieder" in page
    assert "Nora Neu" in page.split('id="members-heading"', 1)[1]  # the preview


def test_a_member_who_leaves_goes_from_the_preview(home, workspace, ws_member, moderator):
    other = MemberFactory(display_name="Lena Geht")
    MembershipFactory(workspace=workspace, user=other)
    assert "Lena Geht" in home()
    services.leave_workspace(user=other, workspace=workspace)
    assert "Lena Geht" not in home()


def test_a_renamed_member_shows_with_the_new_name(home, moderator):
    assert "Mona Moderatorin" in home()
    update_profile(user=moderator, display_name="Mona Neumann")
    page = home()
    assert "Mona Neumann" in page and "Mona Moderatorin" not in page


def _section(page, heading_id):
    return page.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


def test_participating_kommunen_and_contact_persons_follow_the_workspace(home, workspace, moderator):
    kommune = Kommune.objects.order_by("name").first()
    listed = f"<li>{kommune.name}</li>"
    assert listed not in _section(home(), "kommunen-heading")
    workspace.kommunen.add(kommune)
    workspace.contact_persons.add(moderator)
    page = home()
    assert listed in _section(page, "kommunen-heading")
    assert "Mona Moderatorin" in _section(page, "contacts-heading")
    kommune.workspaces.clear()  # from the Kommune's side
    workspace.contact_persons.remove(moderator)
    page = home()
    assert listed not in _section(page, "kommunen-heading")
    assert "Mona Moderatorin" not in _section(page, "contacts-heading")


def test_an_activity_elsewhere_leaves_the_cache_alone(workspace, moderator, django_assert_num_queries):
    other = MembershipFactory(user=moderator, role=Membership.Role.MODERATOR).workspace
    selectors.shared_sections(workspace)
    services.post_announcement(workspace=other, author=moderator, title="Anderswo", body="x")
    with django_assert_num_queries(0):
        selectors.shared_sections(workspace)


def test_a_login_leaves_the_cache_alone(client, workspace, moderator, django_assert_num_queries):
    selectors.shared_sections(workspace)
    login(client, moderator)  # saves last_login only
    with django_assert_num_queries(0):
        selectors.shared_sections(workspace)


def test_no_password_hash_goes_into_the_cache(workspace, moderator, ws_member):
    workspace.contact_persons.add(moderator)
    services.post_announcement(workspace=workspace, author=moderator, title="Hinweis", body="x")
    sections = selectors.shared_sections(workspace)
    data = pickle.dumps(sections)
    for user in (moderator, ws_member):
        assert user.password.encode() not in data
    assert sections.announcements and sections.members and sections.contact_persons and sections.activities


def test_a_value_read_before_the_commit_is_not_served_after_it(db, django_capture_on_commit_callbacks):
    builds = []

    def read():
        return shared_read("example", ("workspace:99",), lambda: builds.append(1) or len(builds))

    assert read() == 1
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            changed("workspace:99")
            assert read() == 2  # a reader in the window stores what it saw (old rows) ...
    assert read() == 3  # ... under a generation no read after the commit asks for


def test_generations_are_per_scope(db):
    (first, people) = generations(("workspace:1", PEOPLE_SCOPE))
    changed(workspace_scope(1))
    (again, people_again) = generations(("workspace:1", PEOPLE_SCOPE))
    assert first != again and people == people_again
    cache.clear()
    assert generations(("workspace:1",)) != (again,)


def test_a_value_is_stored_once_per_name(db):
    for number in range(3):
        changed("workspace:98")
        assert shared_read("example", ("workspace:98",), lambda n=number: n) == number
    # One entry, overwritten each time, holding the generations it was built under.
    built_under, value = cache.get(f"shared:{code_version()}:example")
    assert unpack(value) == 2 and built_under == generations(("workspace:98",))


def test_values_of_other_code_are_never_read(db, monkeypatch):
    assert shared_read("example", ("workspace:97",), lambda: "alte Form") == "alte Form"
    assert shared_read("example", ("workspace:97",), lambda: "neue Form") == "alte Form"
    # Another release (a deploy, or the other release during one) keeps its own values.
    monkeypatch.setattr(shared_reads, "code_version", lambda: "0123456789ab")
    assert shared_read("example", ("workspace:97",), lambda: "neue Form") == "neue Form"


def test_the_code_version_is_a_fingerprint_of_the_source(settings, tmp_path):
    for folder in shared_reads.CODE_FOLDERS:
        (tmp_path / folder).mkdir()
    (tmp_path / "forums" / "selectors.py").write_text("FIELDS = ('title',)\n")
    settings.BASE_DIR = tmp_path
    shared_reads.code_version.cache_clear()
    try:
        before = shared_reads.code_version()
        (tmp_path / "forums" / "selectors.py").write_text("FIELDS = ('title', 'topics')\n")
        shared_reads.code_version.cache_clear()
        assert shared_reads.code_version() != before
    finally:
        shared_reads.code_version.cache_clear()


# --- The dashboard's feed: shared by members who belong to the same workspaces ---------------


def _feed(client, user):
    login(client, user)
    page = client.get("/").content.decode()
    return page.split('id="feed-heading"', 1)[1].split("</section>", 1)[0]


def test_the_feed_is_never_shared_beyond_what_a_member_may_see(client, workspace, moderator, outsider):
    record_activity(actor=moderator, verb="thread_created", workspace=workspace, title="Interne Planung")
    assert "Interne Planung" in _feed(client, moderator)
    assert "Interne Planung" not in _feed(client, outsider)
    assert "Interne Planung" in _feed(client, moderator)


def test_the_feed_follows_memberships_and_visibility(client, workspace, moderator, outsider):
    record_activity(actor=moderator, verb="thread_created", workspace=workspace, title="Interne Planung")
    assert "Interne Planung" not in _feed(client, outsider)
    workspace.visibility = Workspace.Visibility.PORTAL
    workspace.save()
    assert "Interne Planung" in _feed(client, outsider)
    workspace.visibility = Workspace.Visibility.MEMBERS_ONLY
    workspace.save()
    assert "Interne Planung" not in _feed(client, outsider)
    MembershipFactory(workspace=workspace, user=outsider)
    assert "Interne Planung" in _feed(client, outsider)


def test_a_new_activity_reaches_the_cached_feed(client, workspace, moderator):
    assert "Zweiter Fachtag" not in _feed(client, moderator)
    record_activity(actor=moderator, verb="thread_created", workspace=workspace, title="Zweiter Fachtag")
    assert "Zweiter Fachtag" in _feed(client, moderator)


def test_forgotten_activities_leave_the_feed_and_the_workspace_home(client, home, workspace, moderator):
    announcement = services.post_announcement(workspace=workspace, author=moderator, title="Bald weg", body="x")
    assert "Bald weg" in home()
    assert "Bald weg" in _feed(client, moderator)
    forget_activity(announcement)  # deletes in one statement: no receiver runs
    assert "Bald weg" not in _feed(client, moderator)
    assert "Bald weg" not in home().split('id="activity-heading"', 1)[-1].split("</section>", 1)[0]
