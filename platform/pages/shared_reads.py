"""Reads that every viewer of a page shares, cached until what they show changes.

A shared read names the scopes its rows come from (``"workspace:5"``, ``"people"``). Each scope
has a generation in the cache, and the value is stored with the generations it was built
under; a write to a scope drops its generation, so the next read finds other generations than
the stored ones and builds the value again. The generation is dropped at once and again after
the transaction commits: a read that ran between the write and the commit stored what it saw
with a generation that no longer exists after the commit. ``TIMEOUT`` bounds how long a
change that bypasses the receivers (a queryset ``update()``) could stay unseen.

Only what looks the same to every member who may open the page belongs here: the permission
check stays in the view, before the read.

Values are stored under the fingerprint of the code that built them (``code_version``): after
a deploy, or while an older release still runs beside a newer one, no process reads a value
whose shape another version of the code chose.
"""

import hashlib
import secrets
from functools import cache as once

import django
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

TIMEOUT = 300
GENERATION_TIMEOUT = 24 * 60 * 60
CODE_FOLDERS = ("accounts", "documents", "forums", "platform")


@once
def code_version() -> str:
    """A fingerprint of the portal's Python code and Django's version, read once per process."""
    digest = hashlib.blake2b(django.get_version().encode(), digest_size=6)
    for folder in CODE_FOLDERS:
        for path in sorted((settings.BASE_DIR / folder).rglob("*.py")):
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _generation_key(scope: str) -> str:
    return f"generation:{scope}"


def _current(found: dict, keys: list[str]) -> tuple[str, ...]:
    """The generations of ``keys`` among ``found``, starting one where there is none."""
    missing = {key: secrets.token_hex(6) for key in keys if key not in found}
    if missing:
        cache.set_many(missing, GENERATION_TIMEOUT)
        found.update(missing)
    return tuple(found[key] for key in keys)


def generations(scopes) -> tuple[str, ...]:
    """The current generation of each scope."""
    keys = [_generation_key(scope) for scope in scopes]
    return _current(cache.get_many(keys), keys)


def shared_read(name: str, scopes, build, timeout: int = TIMEOUT, fresh=None):
    """``build()``'s value, cached with the generations of ``scopes`` it was built under: the
    generations and the value come in one round trip, and a value stored under other
    generations than the current ones is built again. ``fresh(value)`` says whether a value
    that depends on the time is still right (a list of dates once one of them has ended)."""
    keys = [_generation_key(scope) for scope in scopes]
    value_key = f"shared:{code_version()}:{name}"
    found = cache.get_many([*keys, value_key])
    stored = found.pop(value_key, None)
    current = _current(found, keys)
    if stored is not None and stored[0] == current and (fresh is None or fresh(stored[1])):
        return stored[1]
    value = build()
    cache.set(value_key, (current, value), timeout)
    return value


def changed(*scopes: str) -> None:
    """Drop the generations of ``scopes``: now, and again once the transaction commits."""
    keys = [_generation_key(scope) for scope in scopes]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def relation_receiver(scope, cleared: str):
    """An ``m2m_changed`` receiver for a many-to-many relation of the objects ``scope(pk)``
    names: drops the changed objects' scopes (from either side of the relation), or ``cleared``
    when an object on the other side was taken from all of them at once. Keep a reference to
    it: signals hold their receivers weakly."""

    def receiver(sender, instance, action, reverse, pk_set, **kwargs):
        if not action.startswith("post_"):
            return
        if not reverse:
            changed(scope(instance.pk))
        elif pk_set:
            changed(*(scope(pk) for pk in pk_set))
        else:
            changed(cleared)

    return receiver
