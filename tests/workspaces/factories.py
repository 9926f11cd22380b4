import factory

from workspaces.models import JoinRequest, Membership, Workspace


class WorkspaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workspace

    name = factory.Sequence(lambda n: f"Arbeitsbereich {n}")
    slug = factory.Sequence(lambda n: f"arbeitsbereich-{n}")
    short_description = "Ein Programm zur Erprobung."
    description = "## Ziele\n\nGemeinsam planen."
    visibility = Workspace.Visibility.MEMBERS_ONLY
    join_policy = Workspace.JoinPolicy.REQUEST


class PortalWorkspaceFactory(WorkspaceFactory):
    visibility = Workspace.Visibility.PORTAL


class MembershipFactory(factory.django.DjangoModelFactory):
    """Only for the initial state a staff member would set up in the admin; tests change
    memberships through the services."""

    class Meta:
        model = Membership

    workspace = factory.SubFactory(WorkspaceFactory)
    user = factory.SubFactory("tests.factories.MemberFactory")
    role = Membership.Role.MEMBER


class JoinRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JoinRequest

    workspace = factory.SubFactory(WorkspaceFactory)
    user = factory.SubFactory("tests.factories.MemberFactory")
    message = "Ich würde gern mitarbeiten."
