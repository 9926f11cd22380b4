import pytest
from django.core.files.storage import default_storage

from accounts import demo as accounts_demo
from documents import demo
from documents.extraction import run_extractor
from documents.models import Document
from tests.documents.factories import WorkspaceFactory

pytestmark = pytest.mark.django_db

DEMO_SLUGS = ["praeventionsketten", "sozialstrategien", "arbeitskreis-sozialplanung", "armutspraevention", "lsz"]


def test_seed_without_workspaces_creates_only_portal_wide_documents():
    accounts_demo.seed()
    demo.seed()
    assert Document.objects.exists()
    assert not Document.objects.filter(workspace__isnull=False).exists()


def test_seed_is_idempotent_and_fills_the_workspaces():
    accounts_demo.seed()
    for slug in DEMO_SLUGS:
        WorkspaceFactory(slug=slug, name=slug.title())
    assert demo.seed() == len(demo.DEMO_DOCUMENTS)
    assert demo.seed() == 0
    assert Document.objects.count() == len(demo.DEMO_DOCUMENTS) >= 28
    assert Document.objects.values("kind").distinct().count() >= 12
    assert Document.objects.filter(current_version__file_type="docx").exists()


def test_jena_pdf_in_praeventionsketten_contains_the_search_phrase():
    accounts_demo.seed()
    WorkspaceFactory(slug="praeventionsketten", name="Thüringer Präventionsketten")
    demo.seed()
    document = Document.objects.get(
        workspace__slug="praeventionsketten",
        kommunen__slug="stadt-jena",
        current_version__file_type="pdf",
        kind="konzept",
    )
    assert "Präventionskette Jena" in document.current_version.text
    extracted = run_extractor(default_storage.path(document.current_version.file.name), "pdf")
    assert "Präventionskette Jena" in extracted
