"""pages.sql.Statement and CountStatement: a queryset compiled once per connection gives, for
every run's values, what the queryset itself gives (instances with their joined and prefetched
objects, dicts, tuples, counts) without compiling it again."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from accounts.models import Kommune, Profile, Topic, User
from pages.sql import CountStatement, Statement
from tests.factories import MemberFactory

PROFILES_OF_KOMMUNE = Statement(
    lambda kommune, offset=0: (
        Profile.objects.filter(kommune=kommune)
        .select_related("user", "kommune")
        .prefetch_related("topics")
        .order_by("user__display_name", "pk")[offset : offset + 2]
    ),
    values=("kommune",),
)
NAMES_OF_KOMMUNE = Statement(
    lambda kommune: User.objects.filter(profile__kommune=kommune).order_by("pk").values("pk", "display_name"),
    values=("kommune",),
)
IDS_OF_KOMMUNE = Statement(
    lambda kommune: User.objects.filter(profile__kommune=kommune).order_by("pk").values_list("pk", flat=True),
    values=("kommune",),
)
MEMBERS_OF_KOMMUNE = CountStatement(
    lambda kommune, status: User.objects.filter(profile__kommune=kommune, status=status),
    values=("kommune",),
)


@pytest.fixture
def two_kommunen(db):
    jena, gera = Kommune.objects.filter(kind="kreisfreie_stadt").order_by("pk")[:2]
    topics = [Topic.objects.create(name=f"Thema {n}", slug=f"thema-{n}") for n in range(3)]
    for n, name in enumerate(["Anna Adler", "Bernd Bauer", "Clara Christ", "Dora Dietz"]):
        member = MemberFactory(display_name=name, profile__kommune=jena if n < 3 else gera)
        member.profile.topics.set(topics[: n + 1])
    MemberFactory(display_name="Emil Engel", profile__kommune=gera, status=User.Status.PENDING)
    return jena, gera


def _same_profiles(loaded, expected):
    assert [p.pk for p in loaded] == [p.pk for p in expected]
    for mine, theirs in zip(loaded, expected, strict=True):
        assert mine.user.display_name == theirs.user.display_name and mine.kommune == theirs.kommune
        assert mine._state.adding is False and mine._state.db == "default"
        assert [t.pk for t in mine.topics.all()] == [t.pk for t in theirs.topics.all()]


def test_rows_are_what_the_queryset_gives_for_every_value_and_shape(two_kommunen, django_assert_num_queries):
    jena, gera = two_kommunen
    for kommune in (jena, gera):
        for offset in (0, 2):
            expected = list(PROFILES_OF_KOMMUNE.build(kommune=kommune.pk, offset=offset))
            with django_assert_num_queries(2 if expected else 1):  # the rows, then their topics
                loaded = PROFILES_OF_KOMMUNE.list(kommune=kommune.pk, offset=offset)
            with django_assert_num_queries(0):  # joined and prefetched, as with the queryset
                _same_profiles(loaded, expected)
    assert len(PROFILES_OF_KOMMUNE.list(kommune=jena.pk)) == 2
    assert PROFILES_OF_KOMMUNE.list(kommune=999_999) == []


def test_values_and_values_list(two_kommunen):
    jena, gera = two_kommunen
    for kommune in (jena, gera):
        assert NAMES_OF_KOMMUNE.list(kommune=kommune.pk) == list(NAMES_OF_KOMMUNE.build(kommune=kommune.pk))
        assert IDS_OF_KOMMUNE.list(kommune=kommune.pk) == list(IDS_OF_KOMMUNE.build(kommune=kommune.pk))
    assert len(IDS_OF_KOMMUNE.list(kommune=gera.pk)) == 2


@pytest.fixture
def compiled(monkeypatch) -> list:
    """The models of the queries the ORM compiles from here on."""
    models = []
    as_sql = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        models.append(self.query.model)
        return as_sql(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    return models


def test_compiled_once_per_connection_and_shape(two_kommunen, compiled):
    jena, gera = two_kommunen
    statement = Statement(lambda kommune: Profile.objects.filter(kommune=kommune), values=("kommune",))
    statement.list(kommune=jena.pk)
    for _ in range(3):
        statement.list(kommune=gera.pk)
    assert compiled == [Profile]
    with CaptureQueriesContext(connection) as queries:
        statement.list(kommune=gera.pk)
    assert queries[0]["sql"].count(str(gera.pk)) == 1 and "2000000000" not in queries[0]["sql"]


def test_get_and_count_behave_as_the_orm(two_kommunen):
    jena, gera = two_kommunen
    one = Statement(lambda pk: User.objects.filter(pk=pk), values=("pk",))
    member = User.objects.get(display_name="Dora Dietz")
    assert one.get(pk=member.pk) == member
    with pytest.raises(User.DoesNotExist):
        one.get(pk=999_999)
    with pytest.raises(User.MultipleObjectsReturned):
        Statement(lambda kommune: User.objects.filter(profile__kommune=kommune), values=("kommune",)).get(
            kommune=jena.pk
        )
    for kommune in (jena, gera):
        for status in (User.Status.ACTIVE, User.Status.PENDING):
            expected = MEMBERS_OF_KOMMUNE.build(kommune=kommune.pk, status=status).count()
            assert MEMBERS_OF_KOMMUNE.count(kommune=kommune.pk, status=status) == expected
    assert MEMBERS_OF_KOMMUNE.count(kommune=gera.pk, status=User.Status.PENDING) == 1


@pytest.mark.django_db
def test_mistakes_are_named():
    with pytest.raises(ImproperlyConfigured, match="not parameters"):
        Statement(lambda pk: User.objects.all(), values=("pk",)).list(pk=1)
    statement = Statement(lambda pk: User.objects.filter(pk=pk), values=("pk",))
    with pytest.raises(TypeError, match="missing"):
        statement.list()
    with pytest.raises(TypeError):
        statement.list(pk="1")  # only integers are bound: a text would reach the SQL unchecked
    with pytest.raises(TypeError, match="counts"):
        MEMBERS_OF_KOMMUNE.list(kommune=1, status="active")


def test_empty_shapes_and_impossible_ids_give_nothing(two_kommunen, django_assert_num_queries):
    jena, _ = two_kommunen
    first = Statement(lambda kommune, limit: Profile.objects.filter(kommune=kommune)[:limit], values=("kommune",))
    assert MEMBERS_OF_KOMMUNE.count(kommune=jena.pk, status=User.Status.ACTIVE) == 3  # compiled (one count)
    with django_assert_num_queries(0):
        assert first.list(kommune=jena.pk, limit=0) == []  # the ORM asks nothing for an empty slice
        assert PROFILES_OF_KOMMUNE.list(kommune=10**30) == []  # beyond any id: SQLite could not bind it
        assert MEMBERS_OF_KOMMUNE.count(kommune=-(10**30), status=User.Status.ACTIVE) == 0


def test_texts_are_bound_for_equality_only(two_kommunen):
    jena, gera = two_kommunen
    by_slug = Statement(lambda slug: Kommune.objects.filter(slug=slug), values=(), texts=("slug",))
    assert by_slug.list(slug=jena.slug) == [jena] and by_slug.list(slug=gera.slug) == [gera]
    assert by_slug.list(slug="gibt-es-nicht") == []
    with pytest.raises(TypeError, match="must be a str"):
        by_slug.list(slug=jena.pk)
    containing = Statement(lambda name: Kommune.objects.filter(name__icontains=name), values=(), texts=("name",))
    with pytest.raises(ImproperlyConfigured, match="not parameters"):  # the ORM wraps it in %…%
        containing.list(name="Jena")


def test_lists_are_bound_item_by_item_and_compiled_once_per_length(two_kommunen, compiled):
    jena, gera = two_kommunen
    by_ids = Statement(
        lambda ids: User.objects.filter(pk__in=ids).select_related("profile").order_by("pk"), values=(), lists=("ids",)
    )
    people = list(User.objects.order_by("pk"))
    compiled.clear()
    for chosen in ([people[0], people[2]], [people[1], people[3]], [people[4], people[0]]):
        assert by_ids.list(ids=[person.pk for person in chosen]) == sorted(chosen, key=lambda person: person.pk)
    assert by_ids.list(ids=[people[1].pk, people[1].pk]) == [people[1]]  # as the ORM: once
    assert by_ids.list(ids=[people[3].pk, 999_999, people[2].pk]) == [people[2], people[3]]
    assert by_ids.list(ids=[]) == []
    assert len(compiled) == 3  # two ids, three ids; no ids: the ORM knows there are no rows
    assert by_ids.list(ids=[people[0].pk])[0].profile.kommune == jena


def test_sql_is_the_querysets_statement_with_the_values_bound(two_kommunen):
    jena, _ = two_kommunen
    statement = Statement(
        lambda kommune, ids: Profile.objects.filter(kommune=kommune, user_id__in=ids).values("user_id"),
        values=("kommune",),
        lists=("ids",),
    )
    ids = list(Profile.objects.values_list("user_id", flat=True)[:2])
    sql, params = statement.sql(kommune=jena.pk, ids=ids)
    assert (sql, params) == statement.build(kommune=jena.pk, ids=ids).query.sql_with_params()
    assert statement.sql(kommune=2**64, ids=ids) is None  # no id can be that large
    assert statement.sql(kommune=jena.pk, ids=[]) is None  # the ORM too matches nothing
