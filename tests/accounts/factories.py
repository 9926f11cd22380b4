import secrets
from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import Invitation
from tests.factories import StaffFactory


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    email = factory.Sequence(lambda n: f"eingeladen{n}@example.org")
    token = factory.LazyFunction(lambda: secrets.token_urlsafe(32))
    invited_by = factory.SubFactory(StaffFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
