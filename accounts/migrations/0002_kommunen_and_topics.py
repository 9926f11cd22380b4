"""Thuringia's 17 Landkreise and 5 kreisfreie Städte (territorial status since 2021, with the
official municipal key AGS), the other places members come from, and the Themen."""

from django.db import migrations
from django.utils.text import slugify

KREISFREIE_STAEDTE = [
    ("Erfurt", "16051000"),
    ("Gera", "16052000"),
    ("Jena", "16053000"),
    ("Suhl", "16054000"),
    ("Weimar", "16055000"),
]
LANDKREISE = [
    ("Eichsfeld", "16061000"),
    ("Nordhausen", "16062000"),
    ("Wartburgkreis", "16063000"),
    ("Unstrut-Hainich-Kreis", "16064000"),
    ("Kyffhäuserkreis", "16065000"),
    ("Schmalkalden-Meiningen", "16066000"),
    ("Gotha", "16067000"),
    ("Sömmerda", "16068000"),
    ("Hildburghausen", "16069000"),
    ("Ilm-Kreis", "16070000"),
    ("Weimarer Land", "16071000"),
    ("Sonneberg", "16072000"),
    ("Saalfeld-Rudolstadt", "16073000"),
    ("Saale-Holzland-Kreis", "16074000"),
    ("Saale-Orla-Kreis", "16075000"),
    ("Greiz", "16076000"),
    ("Altenburger Land", "16077000"),
]
OTHERS = [
    ("Freistaat Thüringen (Landesebene)", "land"),
    ("Institut", "institut"),
    ("Träger der freien Wohlfahrtspflege", "traeger"),
    ("Andere Organisation", "andere"),
]
TOPICS = [
    "Sozialraumorientierung",
    "Qualitätsentwicklung",
    "Beschäftigungsförderung",
    "Lokale Sozialstrategien",
    "Präventionsketten",
    "Armutsprävention",
    "Integrationsmanagement",
    "Lokale Familienpolitik",
    "Kommunale Bedarfsanalyse",
    "Evaluationsforschung",
    "Netzwerke",
    "Inklusion",
    "Wohnungslosigkeit",
    "Jugendhilfeplanung",
    "Altenhilfeplanung",
    "Sozialberichterstattung",
    "Beteiligung",
]


def load(apps, schema_editor):
    Kommune = apps.get_model("accounts", "Kommune")
    Topic = apps.get_model("accounts", "Topic")
    order = 0
    for name, ags in KREISFREIE_STAEDTE:
        order += 1
        Kommune.objects.update_or_create(
            ags=ags,
            defaults={
                "name": f"Stadt {name}",
                "slug": slugify(f"stadt-{name}"),
                "kind": "kreisfreie_stadt",
                "sort_order": order,
            },
        )
    for name, ags in LANDKREISE:
        order += 1
        label = name if name.endswith("kreis") or name.endswith("Kreis") else f"Landkreis {name}"
        Kommune.objects.update_or_create(
            ags=ags, defaults={"name": label, "slug": slugify(name), "kind": "landkreis", "sort_order": order}
        )
    for name, kind in OTHERS:
        order += 1
        Kommune.objects.update_or_create(
            slug=slugify(name), defaults={"name": name, "kind": kind, "sort_order": 100 + order}
        )
    for name in TOPICS:
        Topic.objects.update_or_create(slug=slugify(name), defaults={"name": name})


def unload(apps, schema_editor):
    apps.get_model("accounts", "Topic").objects.all().delete()
    apps.get_model("accounts", "Kommune").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
