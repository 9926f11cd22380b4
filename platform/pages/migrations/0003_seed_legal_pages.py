"""The legal pages' first content, structured as German law asks; staff complete the bracketed parts."""

from django.db import migrations

from pages.legal_defaults import PAGES


def seed(apps, schema_editor):
    LegalPage = apps.get_model("pages", "LegalPage")
    for slug, title, body in PAGES:
        LegalPage.objects.get_or_create(slug=slug, defaults={"title": title, "body": body})


def unseed(apps, schema_editor):
    apps.get_model("pages", "LegalPage").objects.filter(slug__in=[slug for slug, _t, _b in PAGES]).delete()


class Migration(migrations.Migration):
    dependencies = [("pages", "0002_legal_pages_and_feedback")]

    operations = [migrations.RunPython(seed, unseed)]
