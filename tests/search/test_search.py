import pytest

from search.highlight import passage
from search.query import parse
from search.selectors import matches, result_page, search, suggest
from search.services import remove_from_index, update_index
from tests.factories import MemberFactory
from workspaces.models import Membership, Workspace


def make_workspace(slug, *, description="", visibility=Workspace.Visibility.PORTAL, name=None):
    workspace = Workspace.objects.create(
        name=name or slug.title(),
        slug=slug,
        description=description,
        visibility=visibility,
        join_policy=Workspace.JoinPolicy.REQUEST,
    )
    update_index(workspace)
    return workspace


def titles(user, q):
    _parsed, entries = search(user, q)
    return sorted(entries.values_list("title", flat=True))


@pytest.fixture
def reader(db):
    return MemberFactory()


@pytest.mark.parametrize(
    "query",
    ["Präventionskette", "Präventionsketten", "Praeventionsketten", "PRÄVENTIONSKETTE", "praventionskette"],
)
def test_german_stemming_and_umlaut_folding_find_the_same_text(reader, query):
    make_workspace("pk", description="Wir bauen Präventionsketten in Thüringen auf.", name="Programm A")
    make_workspace("other", description="Etwas ganz anderes.", name="Programm B")
    assert titles(reader, query) == ["Programm A"]


def test_plural_finds_singular(reader):
    make_workspace("sb", description="Der Sozialbericht 2024 der Stadt Gera.", name="Berichte")
    assert titles(reader, "Sozialberichte") == ["Berichte"]


def test_phrase_requires_adjacent_words(reader):
    make_workspace("a", description="Die Präventionskette Jena wächst.", name="A")
    make_workspace("b", description="Jena hat eine neue Präventionskette.", name="B")
    assert titles(reader, '"Präventionskette Jena"') == ["A"]
    assert titles(reader, "Präventionskette Jena") == ["A", "B"]


def test_minus_excludes_a_word(reader):
    make_workspace("a", description="Sozialstrategie Entwurf", name="A")
    make_workspace("b", description="Sozialstrategie beschlossen", name="B")
    assert titles(reader, "Sozialstrategie -Entwurf") == ["B"]


def test_query_syntax_characters_cannot_break_the_engine(reader):
    make_workspace("a", description="Armutsprävention", name="A")
    for hostile in ['"', "'; DROP TABLE x; --", "NEAR(a b)", "title:*", "a & | ! :* <->", "-", "((("]:
        _parsed, entries = search(reader, hostile)
        list(entries)  # must not raise


def test_members_only_workspace_is_invisible_with_counts(reader):
    hidden = make_workspace(
        "secret", description="Armutsprävention intern", visibility=Workspace.Visibility.MEMBERS_ONLY, name="Geheim"
    )
    make_workspace("open", description="Armutsprävention offen", name="Offen")
    _parsed, entries = search(reader, "Armutsprävention")
    assert list(entries.values_list("title", flat=True)) == ["Offen"]
    assert result_page(matches(reader, parse("Armutsprävention")))[0] == {"workspace": 1}
    Membership.objects.create(workspace=hidden, user=reader)
    reader = type(reader).objects.get(pk=reader.pk)  # fresh per-request role cache
    assert titles(reader, "Armutsprävention") == ["Geheim", "Offen"]


def test_staff_sees_everything_and_pending_sees_nothing(db):
    from tests.factories import PendingFactory, StaffFactory

    make_workspace("secret", description="Inklusion", visibility=Workspace.Visibility.MEMBERS_ONLY, name="Geheim")
    assert titles(StaffFactory(), "Inklusion") == ["Geheim"]
    assert titles(PendingFactory(), "Inklusion") == []


def test_index_follows_edits_and_deletes(reader):
    workspace = make_workspace("w", description="Wohnungslosigkeit", name="W")
    workspace.description = "Beteiligung"
    workspace.save()
    update_index(workspace)
    assert titles(reader, "Wohnungslosigkeit") == []
    assert titles(reader, "Beteiligung") == ["W"]
    remove_from_index(workspace)
    assert titles(reader, "Beteiligung") == []


def test_members_are_found_by_name_and_kommune_but_not_when_pending(db):
    from accounts.models import User

    member = MemberFactory(display_name="Hannelore Quellmalz")
    update_index(member)
    reader = MemberFactory()
    assert titles(reader, "Quellmalz") == ["Hannelore Quellmalz"]
    User.objects.filter(pk=member.pk).update(is_active=False)
    member.refresh_from_db()
    update_index(member)
    assert titles(reader, "Quellmalz") == []


def test_passage_escapes_payloads_and_marks_hits():
    stems = parse("Präventionskette").stems()
    html = passage("<script>alert(1)</script> Die Präventionskette <img src=x onerror=alert(1)> wächst", stems)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;/script&gt;" in html
    assert "<mark>Präventionskette</mark>" in html


def test_suggestions_complete_a_prefix_of_titles(reader):
    make_workspace("pk", name="Thüringer Präventionsketten")
    make_workspace("ss", name="Lokale Sozialstrategien")
    assert [item["title"] for item in suggest(reader, "Präv")] == ["Thüringer Präventionsketten"]
    assert suggest(reader, "P") == []


def test_search_page_renders_tabs_counts_and_escaped_snippets(member_client):
    make_workspace("x", description="<b>Fett</b> Quartiersmanagement", name="Quartier")
    response = member_client.get("/search/", {"q": "Quartiersmanagement"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<mark>Quartiersmanagement</mark>" in body
    assert "Fett&lt;/b&gt;" in body
    assert "<b>Fett" not in body


def test_search_page_query_budget_does_not_grow(member_client, django_assert_max_num_queries):
    for index in range(3):
        make_workspace(f"w{index}", description="Netzwerke Netzwerke", name=f"W{index}")
    with django_assert_max_num_queries(9) as small:
        member_client.get("/search/", {"q": "Netzwerke"})
    for index in range(3, 30):
        make_workspace(f"w{index}", description="Netzwerke", name=f"W{index}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        member_client.get("/search/", {"q": "Netzwerke"})


def test_editing_a_workspace_description_updates_the_index(reader):
    from workspaces.services import update_workspace_description

    workspace = make_workspace("edit", description="Altenhilfeplanung", name="Bearbeitet")
    moderator = MemberFactory()
    Membership.objects.create(workspace=workspace, user=moderator, role=Membership.Role.MODERATOR)
    update_workspace_description(workspace=workspace, by=moderator, short_description="", description="Quartiersarbeit")
    assert titles(reader, "Quartiersarbeit") == ["Bearbeitet"]
    assert titles(reader, "Altenhilfeplanung") == []


def test_suggestions_come_from_titles_not_from_text(reader):
    make_workspace("q", name="Quartiersarbeit Gera", description="Präventionsketten im Quartier")
    assert [item["title"] for item in suggest(reader, "Quart")] == ["Quartiersarbeit Gera"]
    assert suggest(reader, "Präventionsk") == []


def result_titles(response):
    return [result["entry"].title for result in response.context["results"]]


def test_results_are_paged_with_counts_for_every_kind(member_client):
    for index in range(25):
        make_workspace(f"p{index:02}", description="Sozialraumanalyse", name=f"P{index:02}")
    first = member_client.get("/search/", {"q": "Sozialraumanalyse", "sort": "date"})
    second = member_client.get("/search/", {"q": "Sozialraumanalyse", "sort": "date", "page": 2})
    assert first.context["total"] == second.context["total"] == 25
    assert len(result_titles(first)) == 20 and len(result_titles(second)) == 5
    assert sorted(result_titles(first) + result_titles(second)) == [f"P{i:02}" for i in range(25)]
    assert result_titles(first)[0] == "P24"  # newest first
    # Like Paginator.get_page: past the end gives the last page, nonsense the first.
    assert result_titles(member_client.get("/search/", {"q": "Sozialraumanalyse", "sort": "date", "page": 99})) == (
        result_titles(second)
    )
    assert result_titles(member_client.get("/search/", {"q": "Sozialraumanalyse", "sort": "date", "page": "x"})) == (
        result_titles(first)
    )


def test_kind_tab_narrows_the_results_but_not_the_counts(member_client):
    make_workspace("k", description="Familienzentren", name="Familienzentren Erfurt")
    response = member_client.get("/search/", {"q": "Familienzentren", "kind": "member"})
    assert result_titles(response) == []
    assert {tab["kind"]: tab["count"] for tab in response.context["tabs"]}["workspace"] == 1
    assert response.context["page"].paginator.count == 0


def test_a_query_of_stop_words_finds_nothing_without_error(member_client):
    make_workspace("s", description="und die der", name="Stopp")
    response = member_client.get("/search/", {"q": "und die"})
    assert response.status_code == 200 and result_titles(response) == []


def workspace_with(slug, *, name, short_description="", description=""):
    workspace = Workspace.objects.create(
        name=name,
        slug=slug,
        short_description=short_description,
        description=description,
        visibility=Workspace.Visibility.PORTAL,
        join_policy=Workspace.JoinPolicy.REQUEST,
    )
    update_index(workspace)
    return workspace


def test_title_outranks_metadata_outranks_text(member_client):
    workspace_with("body", name="C", description="Ein Abschnitt über Sozialraumbudgets.")
    workspace_with("meta", name="B", short_description="Sozialraumbudgets")
    workspace_with("title", name="Sozialraumbudgets A")
    response = member_client.get("/search/", {"q": "Sozialraumbudgets"})
    assert result_titles(response) == ["Sozialraumbudgets A", "B", "C"]


def test_a_word_deep_in_a_long_text_is_found(reader):
    filler = "Bericht über die Jugendhilfe im Landkreis. " * 400  # about 17,000 characters
    workspace_with("long", name="Langer Bericht", description=filler + "Am Ende steht das Wort Familienlotsen.")
    assert titles(reader, "Familienlotsen") == ["Langer Bericht"]
