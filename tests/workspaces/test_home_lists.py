"""The workspace home's short lists of threads and documents follow the one policy: hidden
threads only for moderators and staff, deleted documents for nobody, nothing for outsiders."""

import pytest

from documents.selectors import latest_documents_for_workspace, pinned_documents_for_workspace
from documents.services import delete_document, pin_document, upload_document
from forums.selectors import latest_threads_for_workspace
from forums.services import hide_thread
from tests.documents.factories import pdf_bytes, upload
from tests.factories import StaffFactory
from tests.forums.factories import BoardFactory, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def threads(workspace, moderator, ws_member):
    board = BoardFactory(workspace=workspace)
    make_thread(board=board, author=ws_member, title="Offenes Thema")
    hidden = make_thread(board=board, author=ws_member, title="Verborgenes Thema")
    hide_thread(moderator=moderator, thread=hidden, reason="Doppelt")


def titles(items):
    return sorted(item.title for item in items)


@pytest.mark.usefixtures("threads")
def test_hidden_threads_are_listed_for_moderators_and_staff_only(workspace, moderator, ws_member, outsider):
    assert titles(latest_threads_for_workspace(ws_member, workspace)) == ["Offenes Thema"]
    both = ["Offenes Thema", "Verborgenes Thema"]
    assert titles(latest_threads_for_workspace(moderator, workspace)) == both
    assert titles(latest_threads_for_workspace(StaffFactory(), workspace)) == both
    assert latest_threads_for_workspace(outsider, workspace) == []


def test_deleted_documents_are_listed_for_nobody(workspace, moderator, ws_member, outsider):
    def add(title):
        return upload_document(
            uploader=ws_member, file=upload(f"{title}.pdf", pdf_bytes(title)), workspace=workspace, title=title
        )

    kept, gone = add("Bleibt"), add("Weg")
    for document in (kept, gone):
        pin_document(document=document, by=moderator, pinned=True)
    delete_document(document=gone, by=moderator)
    for viewer in (ws_member, moderator, StaffFactory()):
        assert titles(latest_documents_for_workspace(viewer, workspace)) == ["Bleibt"]
        assert titles(pinned_documents_for_workspace(viewer, workspace)) == ["Bleibt"]
    assert latest_documents_for_workspace(outsider, workspace) == []
    assert pinned_documents_for_workspace(outsider, workspace) == []
