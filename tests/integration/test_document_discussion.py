"""The document ↔ forum link: a document's comments live in a forum thread; both sides link."""

import pytest
from django.urls import reverse

from forums.models import Board, Thread
from tests.documents.factories import WorkspaceFactory, member_of
from tests.factories import MemberFactory


@pytest.fixture
def setting(db, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents.services import upload_document
    from tests.documents.factories import pdf_bytes

    workspace = WorkspaceFactory(slug="praeventionsketten")
    Board.objects.create(workspace=workspace, name="Austausch", slug="austausch")
    author = member_of(workspace)
    with django_capture_on_commit_callbacks(execute=True):
        document = upload_document(
            uploader=author, workspace=workspace, title="Konzept", file=SimpleUploadedFile("k.pdf", pdf_bytes())
        )
    return workspace, author, document


def test_first_comment_opens_the_discussion_and_later_ones_reply(client, setting):
    workspace, author, document = setting
    client.force_login(author)
    response = client.post(reverse("documents:comment", args=[document.pk]), {"body": "Sehr hilfreich!"})
    thread = Thread.objects.get(documents=document)
    assert response.status_code == 302
    assert thread.title == "Diskussion: Konzept"
    assert thread.board.workspace == workspace
    colleague = member_of(workspace)
    client.force_login(colleague)
    client.post(reverse("documents:comment", args=[document.pk]), {"body": "Danke, wir übernehmen das."})
    thread.refresh_from_db()
    assert Thread.objects.filter(documents=document).count() == 1
    assert thread.post_count == 2
    detail = client.get(document.get_absolute_url()).content.decode()
    assert thread.get_absolute_url() in detail
    thread_page = client.get(thread.get_absolute_url()).content.decode()
    assert document.get_absolute_url() in thread_page


def test_outsider_cannot_comment_and_gets_404(client, setting):
    _workspace, _author, document = setting
    client.force_login(MemberFactory())
    response = client.post(reverse("documents:comment", args=[document.pk]), {"body": "Hallo"})
    assert response.status_code == 404
    assert not Thread.objects.exists()


def test_empty_comment_is_refused_with_a_message(client, setting):
    _workspace, author, document = setting
    client.force_login(author)
    response = client.post(reverse("documents:comment", args=[document.pk]), {"body": "  "}, follow=True)
    assert "Bitte schreiben Sie einen Kommentar." in response.content.decode()
    assert not Thread.objects.exists()


def test_the_page_links_the_oldest_discussion_its_reader_may_see(client, setting):
    """A hidden discussion is shown to the workspace's moderators only; members see the next
    one, and a thread in a board they cannot read is never linked."""
    from forums.selectors import discussion_thread_for
    from forums.services import hide_thread
    from tests.forums.factories import BoardFactory, make_thread
    from workspaces.models import Membership

    workspace, author, document = setting
    moderator = member_of(workspace)
    Membership.objects.filter(user=moderator, workspace=workspace).update(role=Membership.Role.MODERATOR)
    board = Board.objects.get(workspace=workspace)
    elsewhere = WorkspaceFactory()
    foreign = make_thread(board=BoardFactory(workspace=elsewhere), author=member_of(elsewhere), title="Fremd")
    hidden = make_thread(board=board, author=author, title="Erste Diskussion")
    visible = make_thread(board=board, author=author, title="Zweite Diskussion")
    for thread in (foreign, hidden, visible):
        thread.documents.add(document)
    hide_thread(moderator=moderator, thread=hidden, reason="Doppelt")

    assert discussion_thread_for(author, document) == visible
    assert discussion_thread_for(moderator, document) == hidden
    client.force_login(author)
    page = client.get(document.get_absolute_url()).content.decode()
    assert "Zweite Diskussion" in page and "Erste Diskussion" not in page and "Fremd" not in page
