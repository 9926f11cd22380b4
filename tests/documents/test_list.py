import pytest
from django.urls import reverse

from accounts.models import Kommune, Topic
from documents import selectors, services
from tests.budgets import session_queries
from tests.documents.factories import WorkspaceFactory, docx_bytes, member_of, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def make(uploader, title, workspace=None, content=None, **metadata):
    return services.upload_document(
        uploader=uploader,
        file=upload(f"{title}.pdf", content or pdf_bytes(title)),
        workspace=workspace,
        title=title,
        **metadata,
    )


def titles(response):
    return [document.title for document in response.context["page"]]


def test_list_shows_portal_wide_and_own_workspace_documents_only(client, workspace, ws_member, outsider):
    other = WorkspaceFactory()
    make(ws_member, "Portalweit")
    make(ws_member, "Im Arbeitsbereich", workspace)
    make(member_of(other), "Fremd", other)
    client.force_login(ws_member)
    assert sorted(titles(client.get(reverse("documents:list")))) == ["Im Arbeitsbereich", "Portalweit"]
    client.force_login(outsider)
    assert titles(client.get(reverse("documents:list"))) == ["Portalweit"]


def test_filters_by_kind_topic_kommune_year_workspace_uploader_and_file_type(client, workspace, ws_member):
    jena = Kommune.objects.get(slug="stadt-jena")
    topic = Topic.objects.get(slug="praventionsketten")
    make(ws_member, "Jena Bericht", workspace, kind="sozialbericht", kommunen=[jena], topics=[topic], year=2023)
    make(ws_member, "Gera Studie", kind="studie", kommunen=[Kommune.objects.get(slug="stadt-gera")], year=2021)
    other_uploader = member_of(workspace)
    other_uploader.display_name = "Gabriele Ostermann"
    other_uploader.save(update_fields=["display_name"])
    services.upload_document(uploader=other_uploader, file=upload("Vorlage.docx", docx_bytes()), kind="vorlage")
    client.force_login(ws_member)
    url = reverse("documents:list")
    assert titles(client.get(url, {"kind": "sozialbericht"})) == ["Jena Bericht"]
    assert titles(client.get(url, {"topic": topic.slug})) == ["Jena Bericht"]
    assert titles(client.get(url, {"kommune": "stadt-jena"})) == ["Jena Bericht"]
    assert titles(client.get(url, {"year": "2021"})) == ["Gera Studie"]
    assert titles(client.get(url, {"workspace": workspace.slug})) == ["Jena Bericht"]
    assert titles(client.get(url, {"uploader": "OSTERMANN"})) == ["Vorlage"]
    assert titles(client.get(url, {"file_type": "docx"})) == ["Vorlage"]
    assert titles(client.get(url, {"sort": "title"})) == ["Gera Studie", "Jena Bericht", "Vorlage"]
    assert titles(client.get(url, {"q": "studie"})) == ["Gera Studie"]


def test_foreign_workspace_filter_reveals_nothing(client, workspace, ws_member, outsider):
    make(ws_member, "Intern", workspace)
    client.force_login(outsider)
    response = client.get(reverse("documents:list"), {"workspace": workspace.slug})
    assert response.status_code == 200
    assert "Intern" not in response.content.decode()
    assert response.context["workspace"] is None


def test_facet_counts_per_kind(client, ws_member):
    make(ws_member, "A", kind="studie")
    make(ws_member, "B", kind="studie")
    make(ws_member, "C", kind="konzept")
    client.force_login(ws_member)
    facets = client.get(reverse("documents:list")).context["facets"]
    assert [(f["label"], f["count"]) for f in facets["kind"]] == [("Studie", 2), ("Konzept", 1)]


def test_facets_and_total_follow_the_filter(client, workspace, ws_member, outsider):
    make(ws_member, "A", kind="studie")
    make(ws_member, "B", workspace, kind="studie")
    services.upload_document(
        uploader=ws_member, file=upload("C.docx", docx_bytes("C")), workspace=workspace, title="C", kind="konzept"
    )
    client.force_login(ws_member)
    response = client.get(reverse("documents:list"))
    facets = response.context["facets"]
    assert [(f["label"], f["count"]) for f in facets["kind"]] == [("Studie", 2), ("Konzept", 1)]
    assert [(f["label"], f["count"]) for f in facets["file_type"]] == [("PDF", 2), ("DOCX", 1)]
    assert response.context["page"].paginator.count == 3
    assert "3 Dokumente" in response.content.decode()
    narrowed = client.get(reverse("documents:list"), {"kind": "studie"})
    assert [(f["label"], f["count"]) for f in narrowed.context["facets"]["file_type"]] == [("PDF", 2)]
    assert narrowed.context["page"].paginator.count == 2
    # Documents of a workspace the viewer is not in are not counted.
    client.force_login(outsider)
    response = client.get(reverse("documents:list"))
    assert response.context["page"].paginator.count == 1
    assert [(f["label"], f["count"]) for f in response.context["facets"]["kind"]] == [("Studie", 1)]


def test_deleted_documents_are_not_listed(client, workspace, ws_member, ws_moderator):
    document = make(ws_member, "Weg damit", workspace)
    services.delete_document(document=document, by=ws_moderator)
    client.force_login(ws_member)
    assert titles(client.get(reverse("documents:list"))) == []


@pytest.mark.parametrize("count", [3, 30])
def test_list_query_count_does_not_grow_with_documents(client, workspace, ws_member, count, django_assert_num_queries):
    jena = Kommune.objects.get(slug="stadt-jena")
    topics = list(Topic.objects.all()[:2])
    for number in range(count):
        make(ws_member, f"Dokument {number}", workspace if number % 2 else None, kommunen=[jena], topics=topics)
    client.force_login(ws_member)
    client.get(reverse("documents:list"))  # warm the session
    # session, the count with the facets (one query), the libraries to filter by, the page,
    # topics and Kommunen of the page: 6, whatever the number of documents. A cached session
    # (Redis) saves the first one; the user's row and memberships (kept by the process since
    # the first page, pages.read_ahead), the bell's unread count, the lists of Kommunen and
    # topics to filter by and the Kommune chosen (found in that list) come from the cache.
    expected = 5 + session_queries()
    with django_assert_num_queries(expected):
        response = client.get(reverse("documents:list"), {"kommune": "stadt-jena"})
    assert response.status_code == 200
    assert len(response.context["page"]) == min(count, 20)
    rows = response.content.decode().split('class="card mb-2 documents-row"')[1:]
    assert len(rows) == min(count, 20)
    for row in rows:  # every row with its Kommune and both topic badges
        assert "Stadt Jena" in row
        assert all(f">{topic.name}</span>" in row for topic in topics)


def test_rows_show_renamed_topics_and_kommunen_at_once(client, workspace, ws_member):
    jena = Kommune.objects.get(slug="stadt-jena")
    topic = Topic.objects.order_by("name").first()
    make(ws_member, "Sozialbericht Jena", workspace, kommunen=[jena], topics=[topic])
    make(ws_member, "Ohne Zuordnung", workspace)
    client.force_login(ws_member)
    rows = client.get(reverse("documents:list")).content.decode().split('class="card mb-2 documents-row"')[1:]
    plain, tagged = sorted(rows, key=lambda row: "Sozialbericht Jena" in row)
    assert "Stadt Jena" in tagged and f">{topic.name}</span>" in tagged
    assert "Stadt Jena" not in plain and "badge text-bg-light" not in plain
    topic.name, jena.name = "Kinderarmut", "Universitätsstadt Jena"
    topic.save()
    jena.save()
    page = client.get(reverse("documents:list")).content.decode()
    assert ">Kinderarmut</span>" in page and "Universitätsstadt Jena" in page


def test_the_list_reads_no_extracted_text(client, workspace, ws_member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make(ws_member, "Sozialbericht Jena", workspace, content=pdf_bytes("Armutsquote im Sozialraum Lobeda " * 50))
    client.force_login(ws_member)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("documents:list"))
    assert "Sozialbericht Jena" in response.content.decode()
    page = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith('SELECT "documents_document"."id"')]
    assert len(page) == 1
    assert '"documents_documentversion"."text"' not in page[0]
    assert '"documents_documentversion"."size"' in page[0]  # what the row shows is still joined


def test_a_row_shows_every_detail_escaped(client, workspace, ws_member):
    from datetime import UTC, datetime

    from django.template.defaultfilters import filesizeformat
    from django.utils import translation

    from documents.models import Document

    workspace.name = "Armut & <Teilhabe>"
    workspace.save()
    jena, erfurt = Kommune.objects.get(slug="stadt-jena"), Kommune.objects.get(slug="stadt-erfurt")
    topic = Topic.objects.create(name="Kinder <&> Jugend", slug="kinder-jugend-test")
    document = make(
        ws_member,
        "Bericht <b>2024</b>",
        workspace,
        kind="sozialbericht",
        year=2024,
        kommunen=[jena, erfurt],
        topics=[topic],
    )
    Document.objects.filter(pk=document.pk).update(created_at=datetime(2026, 3, 31, 22, 30, tzinfo=UTC))
    portal_wide = make(ws_member, "Portalweit", None)
    ws_member.delete()  # the uploader leaves: "former member"
    client.force_login(member_of(workspace))

    html = client.get(reverse("documents:list")).content.decode()
    row = next(r for r in html.split('<li class="card mb-2 documents-row">')[1:] if f"/{document.pk}/" in r)
    assert (
        f'<a href="{document.get_absolute_url()}" class="fw-semibold documents-title">Bericht &lt;b&gt;2024&lt;/b&gt;</a>'
        in row
    )
    assert '<span class="badge text-bg-secondary align-self-start">Sozialbericht</span>' in row
    version = document.current_version
    with translation.override("de"):
        size = filesizeformat(version.size)  # "996\xa0Bytes"
    assert (
        f"Armut &amp; &lt;Teilhabe&gt; · 2024 · Stadt Erfurt, Stadt Jena · ehemaliges Mitglied, 01.04.2026 · PDF, {size}"
        in row
    )
    assert '<span class="badge text-bg-light border me-1">Kinder &lt;&amp;&gt; Jugend</span>' in row
    other = next(r for r in html.split('<li class="card mb-2 documents-row">')[1:] if f"/{portal_wide.pk}/" in r)
    assert "Portalweite Bibliothek · ehemaliges Mitglied" in other and "mt-1" not in other


def test_latest_documents_for_workspace_selector(workspace, ws_member, outsider):
    for number in range(7):
        make(ws_member, f"Dokument {number}", workspace)
    make(ws_member, "Portalweit")
    latest = selectors.latest_documents_for_workspace(ws_member, workspace)
    assert [d.title for d in latest] == [f"Dokument {n}" for n in range(6, 1, -1)]
    assert selectors.latest_documents_for_workspace(outsider, workspace) == []


def test_detail_page_shows_metadata_and_discussion_place(client, workspace, ws_member):
    document = make(
        ws_member, "Bericht", workspace, kind="evaluation", year=2022, kommunen=[Kommune.objects.get(slug="stadt-jena")]
    )
    client.force_login(ws_member)
    page = client.get(document.get_absolute_url()).content.decode()
    assert "Bericht" in page and "Jena" in page and "2022" in page
    assert 'id="discussion"' in page
    assert reverse("documents:download", args=[document.pk]) in page
