"""A request reads what it needs from the cache before its view runs, with its session in one
round trip (``pages.read_ahead``, ``pages.sessions``); the signed-in member's row is the
process's copy until the row changes."""

import pytest
from django.urls import reverse

from accounts.models import user_scope
from notifications.services import unread_key_of
from pages import read_ahead
from pages.shared_reads import generation_key
from tests.budgets import session_queries
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

PING = "/health/ping/"


def _member_keys(user):
    return {generation_key(user_scope(user.pk)), unread_key_of(user.pk)}


def test_nothing_is_read_ahead_outside_a_request():
    assert read_ahead.found() == {}


def test_a_members_page_reads_their_row_and_bell_with_the_session_in_one_round_trip(
    cached_sessions, client, seen, cache_reads, django_assert_num_queries
):
    member = MemberFactory()
    client.force_login(member)
    client.get(PING)  # the process learns whose session it is, and keeps the row
    assert _member_keys(member) <= set(seen[-1])
    cache_reads.clear()
    with django_assert_num_queries(0):  # neither the session nor the user from the database
        assert client.get(PING).status_code == 200
    assert len(cache_reads) == 1, cache_reads
    session_key = client.session.session_key
    assert any(key.endswith(session_key) for key in cache_reads[0])
    assert _member_keys(member) <= set(seen[-1])


def test_a_session_the_process_remembers_for_someone_else_reads_for_its_own_member(cached_sessions, client, seen):
    from pages.sessions import _users_of_sessions

    member, other = MemberFactory(display_name="Richtige Person"), MemberFactory()
    client.force_login(member)
    client.get(PING)
    session_key = client.session.session_key
    _users_of_sessions.put(session_key, (), other.pk)  # a wrong guess only chooses what is read
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 200
    assert "Richtige Person" in response.content.decode()
    assert _member_keys(member) <= set(seen[-1])
    assert _users_of_sessions.get(session_key, (), default=None) == member.pk


def test_a_change_to_the_members_row_shows_on_their_next_page(member_client, member):
    member_client.get(reverse("notifications:list"))
    member.display_name = "Neuer Anzeigename"
    member.save()
    assert "Neuer Anzeigename" in member_client.get(reverse("notifications:list")).content.decode()


def test_a_deactivated_member_is_signed_out_on_their_next_page(member_client, member):
    assert member_client.get(reverse("notifications:list")).status_code == 200
    member.is_active = False
    member.save()
    response = member_client.get(reverse("notifications:list"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_row_is_read_again_once_its_scope_changed(member_client, member, django_assert_num_queries):
    from pages.shared_reads import changed

    member_client.get(PING)
    with django_assert_num_queries(session_queries()):
        member_client.get(PING)
    changed(user_scope(member.pk))
    with django_assert_num_queries(1 + session_queries()):  # the user's row again
        member_client.get(PING)


def test_a_value_kept_per_member_is_given_up_with_its_generation_or_after_its_maximum_age(monkeypatch):
    monkeypatch.setattr(read_ahead, "_member_scopes", [])
    kept = read_ahead.KeptPerMember(lambda user_id: f"age-test:{user_id}", size=4, max_age=60)
    now = [1000.0]
    monkeypatch.setattr(read_ahead.time, "monotonic", lambda: now[0])
    assert kept.get(7) is None  # outside a request nothing is kept or given
    token = read_ahead._found.set({generation_key("age-test:7"): "g1"})
    try:
        kept.put(7, "wert")
        assert kept.get(7) == "wert" and kept.get(8) is None
        now[0] += 61
        assert kept.get(7) is None
    finally:
        read_ahead._found.reset(token)
    kept.put(7, "neu")  # outside a request: not kept
    token = read_ahead._found.set({generation_key("age-test:7"): "g2"})
    try:
        assert kept.get(7) is None  # another generation
    finally:
        read_ahead._found.reset(token)


def test_what_a_request_changes_itself_is_not_taken_from_its_read_ahead(monkeypatch):
    from notifications.services import forget_unread_counts
    from pages.shared_reads import changed

    monkeypatch.setattr(read_ahead, "_member_scopes", [])
    kept = read_ahead.KeptPerMember(lambda user_id: f"forget-test:{user_id}", size=4)
    token = read_ahead._found.set({generation_key("forget-test:7"): "g1", unread_key_of(7): 3})
    try:
        kept.put(7, "vorher")
        assert kept.get(7) == "vorher"
        changed("forget-test:7")
        assert kept.get(7) is None and generation_key("forget-test:7") not in read_ahead.found()
        forget_unread_counts([7])
        assert unread_key_of(7) not in read_ahead.found()
    finally:
        read_ahead._found.reset(token)
