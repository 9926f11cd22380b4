"""PostgreSQL: a GIN index over the title lexemes (weight A of the short rank_vector) of
everything but replies, for the header's prefix suggestions; matching the whole vector read
nearly every row at scale."""

from django.db import migrations

INDEX = "search_entry_title_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON search_searchentry "
            "USING GIN (ts_filter(rank_vector, '{a}')) WHERE NOT (kind = 'post')"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_rank_vector")]
    operations = [migrations.RunPython(create, drop)]
