import pytest

from forums.models import Board
from tests.factories import MemberFactory, StaffFactory
from tests.forums.factories import BoardFactory, MembershipFactory, WorkspaceFactory, make_thread
from workspaces.models import Membership


@pytest.fixture(autouse=True)
def _generous_rate_limits(settings):
    settings.FORUMS_RATE_LIMITS = {"thread": (1000, 60), "reply": (1000, 60)}


@pytest.fixture
def workspace(db):
    return WorkspaceFactory(name="Thüringer Präventionsketten", slug="praeventionsketten")


@pytest.fixture
def ws_member(workspace):
    return MembershipFactory(workspace=workspace).user


@pytest.fixture
def ws_moderator(workspace):
    return MembershipFactory(workspace=workspace, role=Membership.Role.MODERATOR).user


@pytest.fixture
def outsider(db):
    """A member of another workspace only."""
    other = WorkspaceFactory(name="Lokale Sozialstrategien", slug="sozialstrategien")
    return MembershipFactory(workspace=other).user


@pytest.fixture
def ws_board(workspace) -> Board:
    return BoardFactory(workspace=workspace, name="Austausch Präventionsketten", slug="austausch")


@pytest.fixture
def portal_board(db) -> Board:
    return BoardFactory(name="Allgemeiner Austausch", slug="allgemein")


@pytest.fixture
def ws_thread(ws_board, ws_member):
    return make_thread(board=ws_board, author=ws_member)


@pytest.fixture
def staff_user(db):
    return StaffFactory()


@pytest.fixture
def another_member(db):
    return MemberFactory()


def client_for(client, user):
    client.force_login(user)
    client.user = user
    return client
