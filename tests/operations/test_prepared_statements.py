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


def test_inside_custom_plans_nothing_is_prepared_and_afterwards_again():
    threshold = settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"]
    with connection.cursor() as cursor:
        with custom_plans():
            for _ in range(threshold + 2):
                cursor.execute("SELECT %s::int + 43", [1])
                assert cursor.fetchone() == (44,)
            assert _prepared(cursor, "SELECT $1::int + 43") == 0
        for _ in range(threshold + 1):
            cursor.execute("SELECT %s::int + 43", [1])
        assert _prepared(cursor, "SELECT $1::int + 43") == 1


def test_custom_plans_restore_the_threshold_after_an_error():
    connection.ensure_connection()
    threshold = connection.connection.prepare_threshold
    with pytest.raises(ZeroDivisionError), custom_plans():
        assert connection.connection.prepare_threshold is None
        1 / 0  # noqa: B018
    assert connection.connection.prepare_threshold == threshold
