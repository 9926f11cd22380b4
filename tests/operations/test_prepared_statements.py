"""PostgreSQL plans a repeated statement once; the search asks for plans made for its words."""

import pytest
from django.conf import settings
from django.db import connection

from search.selectors import custom_plans

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not settings.USES_POSTGRES, reason="prepared statements are PostgreSQL's"),
]


def _prepared(cursor, text: str) -> int:
    cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement = %s", [text])
    return cursor.fetchone()[0]


def test_a_repeated_statement_is_prepared_on_the_connection():
    with connection.cursor() as cursor:
        for _ in range(settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"]):
            cursor.execute("SELECT %s::int + 41", [1])
        assert _prepared(cursor, "SELECT $1::int + 41") == 0
        cursor.execute("SELECT %s::int + 41", [1])
        assert cursor.fetchone() == (42,)
        assert _prepared(cursor, "SELECT $1::int + 41") == 1


def _plan_cache_mode(cursor) -> str:
    cursor.execute("SHOW plan_cache_mode")
    return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_custom_plans_hold_inside_the_block_only():
    with connection.cursor() as cursor:
        assert _plan_cache_mode(cursor) == "auto"
        with custom_plans():
            assert _plan_cache_mode(cursor) == "force_custom_plan"
        assert _plan_cache_mode(cursor) == "auto"
