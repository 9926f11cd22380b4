"""Factories shared by all apps' tests."""

import factory
from allauth.account.models import EmailAddress

from accounts.models import Kommune, Profile, User

PASSWORD = "Test-Passwort-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Faker("name", locale="de_DE")
    status = User.Status.ACTIVE
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def profile(obj, create, extracted, **kwargs):
        if not create:
            return
        obj.save()
        kommune = kwargs.get("kommune") or Kommune.objects.filter(kind="kreisfreie_stadt").first()
        Profile.objects.get_or_create(user=obj, defaults={"kommune": kommune, "function": "sozialplanung"})
        EmailAddress.objects.get_or_create(user=obj, email=obj.email, defaults={"verified": True, "primary": True})


class MemberFactory(UserFactory):
    pass


class PendingFactory(UserFactory):
    status = User.Status.PENDING


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True
