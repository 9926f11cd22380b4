"""The partial indexes made for hot lists fit their queries: PostgreSQL can answer the first page
by reading the index in order (sequential scans switched off, so the tiny test tables do not
decide the plan)."""

import pytest
from django.conf import settings
from django.db import connection, transaction

from accounts.selectors import member_directory
from tests.factories import MemberFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not settings.USES_POSTGRES, reason="the plans are PostgreSQL's"),
]


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_member_directory_first_page_reads_the_directory_index_in_order():
    viewer = MemberFactory()
    MemberFactory.create_batch(3)
    plan = _plan(member_directory(viewer)[:25])
    assert "accounts_user_directory" in plan
    assert "Sort" not in plan.split("accounts_user_directory")[0]  # no sort above the index scan
