"""The search page's matches: compiled once per kind of access without filters, through the
ORM with them; both under the one visibility policy."""

import pytest
from django.db.models.sql.compiler import SQLCompiler

from search.query import parse
from search.selectors import matches, result_page
from tests.factories import MemberFactory, PendingFactory, StaffFactory
from tests.search.test_search import make_workspace, result_titles
from workspaces.models import Membership, Workspace

pytestmark = pytest.mark.django_db


@pytest.fixture
def workspaces(db):
    made = [make_workspace(f"offen-{n}", description="Quartiersarbeit offen", name=f"Offen {n}") for n in range(2)]
    made += [
        make_workspace(
            f"intern-{n}",
            description="Quartiersarbeit intern",
            visibility=Workspace.Visibility.MEMBERS_ONLY,
            name=f"Intern {n}",
        )
        for n in range(3)
    ]
    return made


def member_of(*workspaces):
    member = MemberFactory()
    for workspace in workspaces:
        Membership.objects.create(workspace=workspace, user=member)
    return member


def page_of(user, *, narrow=None, kind=""):
    counts, page = result_page(matches(user, parse("Quartiersarbeit"), narrow=narrow), kind=kind, per_page=3)
    return counts, [entry.title for entry in page]


@pytest.mark.parametrize("who", ["pending", "member", "member of one", "member of three", "staff"])
def test_compiled_matches_equal_the_queryset_under_the_policy(workspaces, who):
    offen, _, intern_0, intern_1, intern_2 = workspaces
    user = {
        "pending": PendingFactory,
        "member": MemberFactory,
        "member of one": lambda: member_of(intern_0),
        "member of three": lambda: member_of(offen, intern_1, intern_2),
        "staff": StaffFactory,
    }[who]()
    compiled = page_of(user)
    assert compiled == page_of(user, narrow=lambda queryset: queryset)
    expected = {"pending": 0, "member": 2, "member of one": 3, "member of three": 4, "staff": 5}[who]
    assert sum(compiled[0].values()) == expected


def test_a_member_of_as_many_workspaces_reuses_the_compiled_statement(workspaces, monkeypatch):
    page_of(member_of(workspaces[2]))
    another = member_of(workspaces[3])
    compiled = []
    as_sql = SQLCompiler.as_sql
    monkeypatch.setattr(SQLCompiler, "as_sql", lambda self, *a, **kw: compiled.append(self) or as_sql(self, *a, **kw))
    counts, titles = page_of(another)
    assert compiled == []
    assert counts == {"workspace": 3}
    assert sorted(titles) == ["Intern 1", "Offen 0", "Offen 1"]


def test_filters_narrow_the_results_and_their_counts(member_client, workspaces):
    Membership.objects.create(workspace=workspaces[2], user=member_client.user)
    response = member_client.get("/search/", {"q": "Quartiersarbeit", "workspace": workspaces[2].pk})
    assert result_titles(response) == ["Intern 0"]
    assert response.context["total"] == 1


def test_a_filter_sent_empty_narrows_nothing(member_client, workspaces):
    response = member_client.get("/search/", {"q": "Quartiersarbeit", "workspace": "", "year": "", "date_from": ""})
    assert sorted(result_titles(response)) == ["Offen 0", "Offen 1"]


@pytest.mark.parametrize("given", ["a members-only workspace", "an unknown workspace", "a word", "a year of letters"])
def test_an_invalid_or_hidden_filter_finds_nothing_and_says_why(member_client, workspaces, given):
    query = {
        "a members-only workspace": {"workspace": workspaces[3].pk},  # the member is not one of its members
        "an unknown workspace": {"workspace": 99999},
        "a word": {"workspace": "x"},
        "a year of letters": {"year": "abc"},
    }[given]
    response = member_client.get("/search/", {"q": "Quartiersarbeit", **query})
    assert response.status_code == 200
    assert result_titles(response) == []
    assert response.context["total"] == 0
    assert response.context["filter"].errors
