"""Shared reads keep model instances as the query loaded them: related rows, deferred
columns and prefetched relations come back from the cache without a query."""

import pytest

from accounts.models import Topic, User
from pages.shared_reads import pack, shared_read, unpack
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_related_rows_come_back_without_queries(django_assert_num_queries):
    member = MemberFactory(display_name="Jana Jugendhilfe")
    loaded = User.objects.select_related("profile__kommune").only("id", "display_name", "profile__kommune__name")
    original = loaded.get(pk=member.pk)
    copy = unpack(pack([original, original]))
    with django_assert_num_queries(0):
        first, second = copy
        assert first is second  # the same row stays one object
        assert first.display_name == "Jana Jugendhilfe"
        assert first.profile.kommune.name == original.profile.kommune.name
        # The profile caches its user (select_related sets both sides): the cycle is kept.
        assert first.profile.user is first
        assert first._state.db == "default" and not first._state.adding
    assert first.get_deferred_fields() == original.get_deferred_fields()
    assert "email" in first.get_deferred_fields()


def test_prefetched_relations_come_back_without_queries(django_assert_num_queries):
    member = MemberFactory()
    topic = Topic.objects.order_by("pk").first()
    member.profile.topics.add(topic)
    loaded = User.objects.select_related("profile").prefetch_related("profile__topics").get(pk=member.pk)
    copy = unpack(pack(loaded))
    with django_assert_num_queries(0):
        assert list(copy.profile.topics.all()) == [topic]


def test_a_cached_instance_saves_like_a_loaded_one(django_assert_num_queries):
    member = MemberFactory(display_name="Alter Name")
    copy = shared_read("member", ("people",), lambda: User.objects.get(pk=member.pk))
    copy = shared_read("member", ("people",), lambda: pytest.fail("read again"))
    copy.display_name = "Neuer Name"
    copy.save(update_fields=["display_name"])
    assert User.objects.get(pk=member.pk).display_name == "Neuer Name"
    assert User.objects.count() == 1  # an update of the row, not an insert
