"""The library's list from compiled statements: the same documents, counts, facets and order
as the FilterSet's queryset gives, for every kind of member and filter."""

import pytest
from django.db.models.sql.compiler import SQLCompiler
from django.http import QueryDict
from django.test import RequestFactory

from accounts.models import Kommune, Topic
from documents import selectors
from documents.filters import DocumentFilter
from documents.models import Document
from tests.documents.factories import WorkspaceFactory, member_of
from tests.documents.test_list import make
from tests.factories import MemberFactory, PendingFactory, StaffFactory
from workspaces.models import Membership, Workspace

pytestmark = pytest.mark.django_db

QUERIES = [
    "",
    "kind=sozialbericht",
    "kind=studie&year=2021",
    "year=2023&sort=title",
    "topic=praventionsketten",
    "kommune=stadt-jena&kind=sozialbericht",
    "workspace=intern",
    "workspace=offen&sort=-title",
    "file_type=pdf&sort=date",
    "kind=&year=&sort=-date",
    "q=Bericht",  # words: through the ORM
    "year=abc",  # an error: through the ORM, the other fields still narrow
]


@pytest.fixture
def library(db):
    jena, gera = Kommune.objects.get(slug="stadt-jena"), Kommune.objects.get(slug="stadt-gera")
    topic = Topic.objects.get(slug="praventionsketten")
    private = WorkspaceFactory(slug="intern", visibility=Workspace.Visibility.MEMBERS_ONLY)
    open_ = WorkspaceFactory(slug="offen")
    insider = member_of(private)
    Membership.objects.create(workspace=open_, user=insider)
    make(insider, "Jena Bericht", private, kind="sozialbericht", kommunen=[jena], topics=[topic], year=2023)
    make(insider, "Gera Studie", kind="studie", kommunen=[gera], year=2021)
    make(insider, "Offene Studie", open_, kind="studie", topics=[topic], year=2023)
    make(insider, "Alter Bericht", kind="sozialbericht", kommunen=[jena, gera], year=2019)
    return insider


def _filter(user, query):
    request = RequestFactory().get("/documents/")
    request.user = user
    return DocumentFilter(QueryDict(query) if query else None, queryset=Document.objects.none(), request=request)


def _orm(user, query):
    request = RequestFactory().get("/documents/")
    request.user = user
    data = QueryDict(query) if query else None
    documents = DocumentFilter(data, queryset=selectors.documents_visible_to(user), request=request).qs
    return (*selectors.facet_counts(documents), list(selectors.list_columns(documents)))


@pytest.mark.parametrize("who", ["insider", "member", "staff", "pending"])
@pytest.mark.parametrize("query", QUERIES)
def test_the_compiled_library_equals_the_filtersets_queryset(library, who, query):
    user = {"insider": lambda: library, "member": MemberFactory, "staff": StaffFactory, "pending": PendingFactory}[
        who
    ]()
    total, facets, rows = selectors.library_for(user, _filter(user, query))
    expected_total, expected_facets, expected_rows = _orm(user, query)
    assert (total, facets) == (expected_total, expected_facets)
    assert [document.title for document in rows[0:total]] == [document.title for document in expected_rows]


def test_a_second_library_of_the_same_kind_compiles_nothing(library, monkeypatch):
    selectors.library_for(library, _filter(library, "kind=studie&year=2021&sort=title"))[2][0:20]
    compiled = []
    as_sql = SQLCompiler.as_sql
    monkeypatch.setattr(SQLCompiler, "as_sql", lambda self, *a, **kw: compiled.append(self) or as_sql(self, *a, **kw))
    total, _, rows = selectors.library_for(library, _filter(library, "kind=sozialbericht&year=2021&sort=title"))
    assert (total, rows[0:20]) == (0, [])
    total, _, rows = selectors.library_for(library, _filter(library, "kind=studie&year=2021&sort=title"))
    assert [document.title for document in rows[0:20]] == ["Gera Studie"]
    assert compiled == []
