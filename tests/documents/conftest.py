import pytest

from tests.documents.factories import WorkspaceFactory, member_of
from workspaces.models import Membership


@pytest.fixture
def workspace(db):
    return WorkspaceFactory(name="Thüringer Präventionsketten", slug="praeventionsketten")


@pytest.fixture
def ws_member(workspace):
    return member_of(workspace)


@pytest.fixture
def ws_moderator(workspace):
    return member_of(workspace, role=Membership.Role.MODERATOR)


@pytest.fixture
def outsider(db):
    from tests.factories import MemberFactory

    return MemberFactory()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
