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


def test_a_kept_value_is_read_without_the_value_until_its_scope_changes(monkeypatch):
    from django.core.cache import cache

    from pages.shared_reads import Kept, changed

    monkeypatch.setattr("pages.shared_reads._kept", Kept(size=2))
    values = iter([("eins",), ("zwei",), ("drei",)])
    first = shared_read("kept-test", ("kept-scope",), lambda: next(values), kept=True)
    read = []
    get = cache.get

    def reading(key, *args, **kwargs):
        if key.startswith("shared:"):  # the value, not a generation
            read.append(key)
        return get(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", reading)
    again = shared_read("kept-test", ("kept-scope",), lambda: pytest.fail("built again"), kept=True)
    assert again is first == ("eins",) and read == []  # the generations only, not the value
    changed("kept-scope")
    assert shared_read("kept-test", ("kept-scope",), lambda: next(values), kept=True) == ("zwei",)
    assert len(read) == 1  # the stored value was looked for, found under old generations, built again


def test_a_process_that_did_not_keep_the_value_reads_it_from_the_cache(monkeypatch):
    from pages.shared_reads import Kept

    built = shared_read("kept-elsewhere", ("kept-scope-2",), lambda: ("gebaut",), kept=True)
    monkeypatch.setattr("pages.shared_reads._kept", Kept(size=2))  # as another process
    read = shared_read("kept-elsewhere", ("kept-scope-2",), lambda: pytest.fail("built again"), kept=True)
    assert read == built and read is not built


def test_kept_values_are_bounded_oldest_first():
    from pages.shared_reads import _MISSING, Kept

    kept = Kept(size=2)
    for name in ("a", "b", "c"):
        kept.put(name, ("g",), name.upper())
    assert kept.get("a", ("g",)) is _MISSING and kept.get("b", ("g",)) == "B" and kept.get("c", ("g",)) == "C"
    assert kept.get("c", ("other",)) is _MISSING


def test_reads_of_one_request_share_one_round_trip_read_ahead(monkeypatch):
    from django.core.cache import cache

    from pages.shared_reads import changed, read_ahead

    cache.set("read-ahead-other", 7)
    shared_read("ahead-a", ("ahead-1", "ahead-2"), lambda: ("a",), kept=True)
    shared_read("ahead-b", ("ahead-1",), lambda: ("b",), kept=True)
    trips, inside = [], []

    def counted(name, original):
        def call(*args, **kwargs):
            if not inside:  # a backend's get_many may call its own get
                trips.append(name)
            inside.append(name)
            try:
                return original(*args, **kwargs)
            finally:
                inside.pop()

        return call

    for name in ("get", "get_many", "set", "set_many"):
        monkeypatch.setattr(cache, name, counted(name, getattr(cache, name)))
    found = read_ahead(("ahead-1", "ahead-2"), keys=["read-ahead-other", "read-ahead-missing"])
    assert found["read-ahead-other"] == 7 and found["read-ahead-missing"] is None
    assert shared_read("ahead-a", ("ahead-1", "ahead-2"), lambda: pytest.fail("built"), kept=True, found=found) == (
        "a",
    )
    assert shared_read("ahead-b", ("ahead-1",), lambda: pytest.fail("built"), kept=True, found=found) == ("b",)
    assert trips == ["get_many"]
    changed("ahead-2")
    found = read_ahead(("ahead-1", "ahead-2"))
    assert shared_read("ahead-a", ("ahead-1", "ahead-2"), lambda: ("neu",), kept=True, found=found) == ("neu",)
    assert shared_read("ahead-b", ("ahead-1",), lambda: pytest.fail("built"), kept=True, found=found) == ("b",)


def test_a_copy_of_a_kept_instance_takes_its_own_attributes_and_relations(django_assert_num_queries):
    from pages.shared_reads import instance_copy

    member = MemberFactory()
    kept = User.objects.select_related("profile").get(pk=member.pk)
    with django_assert_num_queries(0):
        copy = instance_copy(kept)
        copy.viewer_mark = 1
        copy._state.fields_cache["profile"] = None
        assert not hasattr(kept, "viewer_mark") and kept.profile is not None
        assert copy.pk == kept.pk and copy._state.db == kept._state.db
