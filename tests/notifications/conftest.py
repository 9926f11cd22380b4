import pytest

from notifications import registry
from notifications.services import layer_health
from tests.notifications.factories import MembershipFactory, WorkspaceFactory
from workspaces.models import Workspace
from workspaces.permissions import can_view_workspace


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_layer_health():
    layer_health.reset()
    yield
    layer_health.reset()


@pytest.fixture
def workspace_target():
    """Registers Workspace as a notification target (the policy: can_view_workspace), as
    the apps that own real targets do in their AppConfig.ready()."""
    saved = dict(registry._targets)
    registry.register_target(
        Workspace,
        can_view=can_view_workspace,
        title=lambda workspace: workspace.name,
        url=lambda workspace: f"/workspaces/{workspace.slug}/",
    )
    yield
    registry._targets.clear()
    registry._targets.update(saved)


@pytest.fixture
def workspace(db):
    return WorkspaceFactory(name="Thüringer Präventionsketten")


@pytest.fixture
def insider(workspace):
    from tests.factories import MemberFactory

    person = MemberFactory(display_name="Jana Planerin")
    MembershipFactory(workspace=workspace, user=person)
    return person


@pytest.fixture
def fake_layer(monkeypatch):
    """A channel layer that records group_send calls."""

    class RecordingLayer:
        def __init__(self):
            self.sent = []

        async def group_send(self, group, message):
            self.sent.append((group, message))

    layer = RecordingLayer()
    monkeypatch.setattr("notifications.services.get_channel_layer", lambda: layer)
    return layer
