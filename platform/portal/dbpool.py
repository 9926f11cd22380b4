"""The database pool's check of a connection before it hands it out, only where it can matter.

psycopg_pool's own check (Django's CONN_HEALTH_CHECKS with a pool) sends an empty statement on
every checkout: a round trip and about 0.13 ms of CPU on every request, most of them for a
connection returned a few milliseconds before. A connection idle for longer than
``IDLE_SECONDS`` is still checked, so one that a restarted or vanished server left broken is
replaced before a request gets it; a connection a request broke is discarded by the pool when
it is returned (its status is no longer OK).
"""

import time
from weakref import WeakKeyDictionary

from psycopg_pool import ConnectionPool

IDLE_SECONDS = 1.0

_returned_at: WeakKeyDictionary = WeakKeyDictionary()


def note_return(conn) -> None:
    """The pool's ``reset`` callback: when the connection came back."""
    _returned_at[conn] = time.monotonic()


def check_if_idle(conn) -> None:
    """The pool's ``check`` callback: psycopg_pool's check for a new connection or one idle for
    longer than IDLE_SECONDS; it raises for a broken connection, which the pool then replaces."""
    returned_at = _returned_at.get(conn)
    if returned_at is None or time.monotonic() - returned_at > IDLE_SECONDS:
        ConnectionPool.check_connection(conn)
