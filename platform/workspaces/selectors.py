from workspaces.models import Workspace
from workspaces.permissions import filter_workspaces_visible_to, workspace_roles


def workspaces_of(user):
    """The workspaces the user belongs to."""
    return Workspace.objects.filter(pk__in=list(workspace_roles(user))).order_by("name")


def visible_workspaces(user):
    return filter_workspaces_visible_to(user, Workspace.objects.all()).order_by("is_archived", "name")
