import pytest

from forums import services
from search.selectors import search
from tests.factories import MemberFactory, StaffFactory
from tests.forums.factories import BoardFactory, MembershipFactory, WorkspaceFactory
from workspaces.models import Membership


def hits(user, q):
    _parsed, entries = search(user, q)
    return sorted((entry.kind, entry.title) for entry in entries)


@pytest.fixture
def world(db):
    first = WorkspaceFactory(slug="erster")
    second = WorkspaceFactory(slug="zweiter")
    board_a = BoardFactory(workspace=first)
    board_b = BoardFactory(workspace=second)
    member_a, member_b = MemberFactory(), MemberFactory()
    MembershipFactory(workspace=first, user=member_a)
    MembershipFactory(workspace=second, user=member_b)
    return board_a, board_b, member_a, member_b


def test_threads_and_replies_are_found_only_by_those_who_see_the_board(world):
    board_a, _board_b, member_a, member_b = world
    thread = services.create_thread(
        author=member_a, board=board_a, title="Sozialraumdaten erheben", body="Wie machen Sie das?"
    )
    services.post_reply(author=member_a, thread=thread, body="Mit der Schuleingangsuntersuchung.")
    assert hits(member_a, "Sozialraumdaten") == [("thread", "Sozialraumdaten erheben")]
    assert hits(member_a, "Schuleingangsuntersuchung") == [("post", "Sozialraumdaten erheben")]
    assert hits(member_b, "Sozialraumdaten") == []
    assert hits(member_b, "Schuleingangsuntersuchung") == []


def test_moving_a_thread_moves_its_hits_to_the_new_workspace(world):
    board_a, board_b, member_a, member_b = world
    thread = services.create_thread(author=member_a, board=board_a, title="Kinderarmut messen", body="Indikatoren?")
    services.post_reply(author=member_a, thread=thread, body="Transferleistungsbezug.")
    staff = StaffFactory()
    services.move_thread(moderator=staff, thread=thread, board=board_b)
    assert hits(member_b, "Kinderarmut") == [("thread", "Kinderarmut messen")]
    assert hits(member_b, "Transferleistungsbezug") == [("post", "Kinderarmut messen")]
    assert hits(member_a, "Kinderarmut") == []
    assert hits(member_a, "Transferleistungsbezug") == []


def test_hidden_threads_and_posts_and_edits(world):
    board_a, _board_b, member_a, _member_b = world
    moderator = MemberFactory()
    MembershipFactory(workspace=board_a.workspace, user=moderator, role=Membership.Role.MODERATOR)
    thread = services.create_thread(author=member_a, board=board_a, title="Altenhilfeplanung", body="Start")
    reply = services.post_reply(author=member_a, thread=thread, body="Pflegestrukturplanung")
    services.edit_post(editor=member_a, post=reply, body="Quartierspflege")
    assert hits(member_a, "Pflegestrukturplanung") == []
    assert hits(member_a, "Quartierspflege") == [("post", "Altenhilfeplanung")]
    services.hide_post(moderator=moderator, post=reply, reason="Doppelt")
    assert hits(member_a, "Quartierspflege") == []
    services.unhide_post(moderator=moderator, post=reply)
    services.hide_thread(moderator=moderator, thread=thread, reason="Spam")
    assert hits(member_a, "Altenhilfeplanung") == []
    assert hits(member_a, "Quartierspflege") == []
    services.unhide_thread(moderator=moderator, thread=thread)
    assert hits(member_a, "Quartierspflege") == [("post", "Altenhilfeplanung")]
