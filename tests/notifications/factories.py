import factory

from workspaces.models import Membership, Workspace


class WorkspaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workspace

    name = factory.Sequence(lambda n: f"Arbeitsbereich {n}")
    slug = factory.Sequence(lambda n: f"arbeitsbereich-{n}")
    visibility = Workspace.Visibility.MEMBERS_ONLY
    join_policy = Workspace.JoinPolicy.REQUEST


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    workspace = factory.SubFactory(WorkspaceFactory)
    role = Membership.Role.MEMBER
