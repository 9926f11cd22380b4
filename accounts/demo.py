"""Demo accounts. Invented people; every password is DEMO_PASSWORD, none has MFA."""

from importlib import import_module

from allauth.account.models import EmailAddress
from django.apps import apps
from django.utils import timezone

from accounts.models import Kommune, Profile, Topic, User

DEMO_PASSWORD = "Demo-Passwort-2026"

# email, display name, kommune slug, function, organisation, staff, status, topics
DEMO_ACCOUNTS = [
    (
        "admin@demo.sozialplanung.de",
        "Andrea Admin",
        "institut",
        "leitung",
        "Geschäftsstelle der Plattform",
        True,
        User.Status.ACTIVE,
        [],
    ),
    (
        "moderation@demo.sozialplanung.de",
        "Moritz Moderation",
        "institut",
        "programmteam",
        "Programmteam Thüringer Präventionsketten",
        False,
        User.Status.ACTIVE,
        ["praventionsketten", "netzwerke"],
    ),
    (
        "planerin.jena@demo.sozialplanung.de",
        "Jana Planerin",
        "stadt-jena",
        "sozialplanung",
        "Stadt Jena, Fachdienst Soziales",
        False,
        User.Status.ACTIVE,
        ["sozialberichterstattung", "praventionsketten", "kommunale-bedarfsanalyse"],
    ),
    (
        "planer.gera@demo.sozialplanung.de",
        "Georg Planer",
        "stadt-gera",
        "jugendhilfeplanung",
        "Stadt Gera, Jugendamt",
        False,
        User.Status.ACTIVE,
        ["jugendhilfeplanung", "lokale-sozialstrategien"],
    ),
    (
        "neu@demo.sozialplanung.de",
        "Nora Neu",
        "saale-orla-kreis",
        "altenhilfeplanung",
        "Landratsamt Saale-Orla-Kreis",
        False,
        User.Status.PENDING,
        ["altenhilfeplanung"],
    ),
]


def ensure_reference_data():
    """Kommunen and Themen come from a data migration; a flushed database (e.g. after a
    transactional test) has lost them, so load them again the same way."""
    if not Kommune.objects.exists() or not Topic.objects.exists():
        import_module("accounts.migrations.0002_kommunen_and_topics").load(apps, None)


def seed():
    """Create or refresh the demo accounts; safe to run again."""
    ensure_reference_data()
    users = {}
    for email, name, kommune_slug, function, organisation, staff, status, topic_slugs in DEMO_ACCOUNTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email)
            user.set_password(DEMO_PASSWORD)
        user.display_name = name
        user.is_staff = staff
        user.is_superuser = staff
        user.is_active = True
        user.status = status
        user.status_changed_at = user.status_changed_at or timezone.now()
        user.save()
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        profile, _created = Profile.objects.get_or_create(user=user)
        profile.kommune = Kommune.objects.get(slug=kommune_slug)
        profile.function = function
        profile.organisation = organisation
        profile.save()
        profile.topics.set(Topic.objects.filter(slug__in=topic_slugs))
        users[email] = user
    return users
