import pytest

from tests.factories import MemberFactory
from tests.workspaces.factories import MembershipFactory, WorkspaceFactory
from workspaces.models import Membership


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Many users per test (the permission matrix); hashing strength is not under test here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def workspace(db):
    return WorkspaceFactory()


@pytest.fixture
def moderator(workspace):
    user = MemberFactory(display_name="Mona Moderatorin")
    MembershipFactory(workspace=workspace, user=user, role=Membership.Role.MODERATOR)
    return user


@pytest.fixture
def ws_member(workspace):
    user = MemberFactory(display_name="Max Mitglied")
    MembershipFactory(workspace=workspace, user=user)
    return user


@pytest.fixture
def outsider(db):
    user = MemberFactory(display_name="Olga Außen")
    MembershipFactory(user=user)
    return user


def login(client, user):
    client.force_login(user)
    client.user = user
    return client
