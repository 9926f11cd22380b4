"""Reads that every viewer of a page shares, cached until what they show changes.

A shared read names the scopes its rows come from (``"workspace:5"``, ``"people"``). Each scope
has a generation in the cache, and the value is stored under the generations it was built
from; a write to a scope drops its generation, so the next read builds a new value under a new
one. The generation is dropped at once and again after the transaction commits: a read that
ran between the write and the commit stored what it saw under the old generation, which no
later read asks for. ``TIMEOUT`` bounds how long a change that bypasses the receivers (a
queryset ``update()``) could stay unseen.

Only what looks the same to every member who may open the page belongs here: the permission
check stays in the view, before the read.
"""

import secrets

from django.core.cache import cache
from django.db import transaction

TIMEOUT = 300
GENERATION_TIMEOUT = 24 * 60 * 60


def _generation_key(scope: str) -> str:
    return f"generation:{scope}"


def generations(scopes) -> list[str]:
    """The current generation of each scope, starting one where there is none."""
    keys = [_generation_key(scope) for scope in scopes]
    found = cache.get_many(keys)
    missing = {key: secrets.token_hex(6) for key in keys if key not in found}
    if missing:
        cache.set_many(missing, GENERATION_TIMEOUT)
        found.update(missing)
    return [found[key] for key in keys]


def shared_read(name: str, scopes, build, timeout: int = TIMEOUT):
    """``build()``'s value (never None), cached under the generations of ``scopes``."""
    key = f"shared:{name}:{'.'.join(generations(scopes))}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout)
    return value


def changed(*scopes: str) -> None:
    """Drop the generations of ``scopes``: now, and again once the transaction commits."""
    keys = [_generation_key(scope) for scope in scopes]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
