"""The pool checks a connection before handing it out only when it is new or has been idle for
more than a second (portal.dbpool), not on every request; the restart drill
(tests/security/test_drills.py) shows that a restarted server still costs no failed request."""

import pytest
from django.conf import settings
from psycopg_pool import ConnectionPool

from portal import dbpool


class Conn:
    """Stands in for a psycopg connection: the callbacks only keep it as a key."""


@pytest.fixture
def checks(monkeypatch):
    checked = []
    monkeypatch.setattr(ConnectionPool, "check_connection", staticmethod(checked.append))
    return checked


def test_a_new_or_idle_connection_is_checked_a_recently_returned_one_is_not(checks, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(dbpool.time, "monotonic", lambda: now[0])
    conn = Conn()
    dbpool.check_if_idle(conn)
    assert checks == [conn]  # never returned yet: a new connection
    dbpool.note_return(conn)
    now[0] += 0.2
    dbpool.check_if_idle(conn)
    assert checks == [conn]  # back 0.2 s ago: handed out unchecked
    dbpool.note_return(conn)
    now[0] += dbpool.IDLE_SECONDS + 0.5
    dbpool.check_if_idle(conn)
    assert checks == [conn, conn]  # idle for longer: checked


def test_a_failed_check_reaches_the_pool(monkeypatch):
    def broken(conn):
        raise OSError("server closed the connection unexpectedly")

    monkeypatch.setattr(ConnectionPool, "check_connection", staticmethod(broken))
    with pytest.raises(OSError):  # the pool discards the connection and takes another
        dbpool.check_if_idle(Conn())


@pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"), reason="the pool is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_the_pool_checks_through_these_callbacks(checks):
    from django.db import connection

    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is False
    pool = connection.pool
    assert pool._check is dbpool.check_if_idle and pool._reset is dbpool.note_return

    def round_trip():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        connection.close()  # back to the pool: noted

    for _ in range(pool.get_stats()["pool_size"] + 2):
        round_trip()  # each connection the pool holds goes out (new: checked) and comes back
    checks.clear()
    for _ in range(5):
        round_trip()  # out again within the second: not checked
    assert checks == []
    for conn in list(dbpool._returned_at):
        dbpool._returned_at[conn] -= dbpool.IDLE_SECONDS + 1  # as if idle for longer
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert checks == [connection.connection]
