import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.services import add_version, delete_document, update_document, upload_document
from search.query import parse
from search.selectors import matches, result_page, search
from tests.documents.factories import WorkspaceFactory, member_of, pdf_bytes
from tests.factories import MemberFactory


def pdf(text, name="bericht.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


def hits(user, q):
    _parsed, entries = search(user, q)
    return [entry.title for entry in entries]


@pytest.fixture
def workspace(db):
    return WorkspaceFactory(slug="praeventionsketten", name="Thüringer Präventionsketten")


@pytest.fixture
def planner(workspace):
    return member_of(workspace)


def upload(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return upload_document(**kwargs)


def test_document_is_found_by_its_extracted_text(planner, workspace, django_capture_on_commit_callbacks):
    upload(
        django_capture_on_commit_callbacks,
        uploader=planner,
        workspace=workspace,
        title="Konzept 2024",
        file=pdf("Die Armutspräventionsstrategie des Landkreises wurde beschlossen."),
    )
    assert hits(planner, "Armutspräventionsstrategie Landkreis") == ["Konzept 2024"]


def test_outsider_sees_no_hit_and_no_count(planner, workspace, django_capture_on_commit_callbacks):
    upload(
        django_capture_on_commit_callbacks,
        uploader=planner,
        workspace=workspace,
        title="Intern",
        file=pdf("Sozialraumanalyse Lobeda"),
    )
    outsider = MemberFactory()
    _parsed, entries = search(outsider, "Sozialraumanalyse")
    assert list(entries) == []
    assert result_page(matches(outsider, parse("Sozialraumanalyse")))[0] == {}
    response_client_body = hits(planner, "Sozialraumanalyse")
    assert response_client_body == ["Intern"]


def test_new_version_and_edit_and_delete_keep_the_index_current(planner, workspace, django_capture_on_commit_callbacks):
    document = upload(
        django_capture_on_commit_callbacks,
        uploader=planner,
        workspace=workspace,
        title="Bericht",
        file=pdf("Wohnungslosigkeit 2023"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        add_version(document=document, uploader=planner, file=pdf("Quartiersmanagement 2024", "neu.pdf"))
    assert hits(planner, "Quartiersmanagement") == ["Bericht"]
    assert hits(planner, "Wohnungslosigkeit") == []
    update_document(
        document=document,
        by=planner,
        title="Monitoringbericht",
        description="",
        kind=document.kind,
        topics=[],
        kommunen=[],
        year=2024,
    )
    assert hits(planner, "Monitoringbericht") == ["Monitoringbericht"]
    moderator = member_of(workspace, role="moderator")
    delete_document(document=document, by=moderator)
    assert hits(planner, "Quartiersmanagement") == []


def test_payload_in_extracted_text_is_escaped_on_the_results_page(
    client, planner, workspace, django_capture_on_commit_callbacks
):
    upload(
        django_capture_on_commit_callbacks,
        uploader=planner,
        workspace=workspace,
        title="Payload",
        file=pdf('Inklusion <img src=x onerror="alert(1)"> <script>alert(2)</script> Inklusion'),
    )
    client.force_login(planner)
    body = client.get("/search/", {"q": "Inklusion"}).content.decode()
    assert "<mark>Inklusion</mark>" in body
    assert "<img src=x" not in body and "<script>alert(2)" not in body
    assert "&lt;script&gt;alert(2)" in body


def test_result_line_names_the_workspace_and_the_uploader(
    planner, workspace, client, django_capture_on_commit_callbacks
):
    planner.display_name = "Ines <Förster>"
    planner.save(update_fields=["display_name"])
    upload(
        django_capture_on_commit_callbacks,
        uploader=planner,
        workspace=workspace,
        title="Sozialstrukturatlas 2025",
        file=pdf("Der Sozialstrukturatlas beschreibt die Quartiere."),
    )
    client.force_login(planner)
    body = client.get("/search/", {"q": "Sozialstrukturatlas"}).content.decode()
    assert "Thüringer Präventionsketten" in body
    assert "Ines &lt;Förster&gt;" in body
