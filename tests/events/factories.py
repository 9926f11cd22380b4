from datetime import datetime, timedelta

import factory
from django.utils import timezone

from events.models import Event
from workspaces.models import Membership, Workspace


class WorkspaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workspace

    name = factory.Sequence(lambda n: f"Arbeitsbereich {n}")
    slug = factory.Sequence(lambda n: f"arbeitsbereich-{n}")
    visibility = Workspace.Visibility.MEMBERS_ONLY
    join_policy = Workspace.JoinPolicy.REQUEST


def add_member(workspace, user, role=Membership.Role.MEMBER):
    return Membership.objects.create(workspace=workspace, user=user, role=role)


def berlin(year, month, day, hour=10, minute=0):
    return timezone.make_aware(datetime(year, month, day, hour, minute), timezone.get_current_timezone())


class EventFactory(factory.django.DjangoModelFactory):
    """Writes rows directly: for arranging data. Behaviour under test goes through services."""

    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Arbeitskreis Sitzung {n}")
    kind = Event.Kind.ARBEITSKREIS
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    place = "Erfurt"
    workspace = None
