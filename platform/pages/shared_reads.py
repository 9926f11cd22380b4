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
import io
import pickle
import secrets
import threading
from functools import cache as once

import django
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.base import ModelState

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


def _model_instance(cls, attrs: dict, db: str | None, related: dict | None):
    """A model instance as loaded from ``db``: its attributes and its cached related objects."""
    instance = cls.__new__(cls)
    attrs["_state"] = state = ModelState()
    state.adding, state.db = False, db
    if related is not None:
        # The dict may still be filling: a cycle (a profile caching its user) is pickled
        # before the instance it points back to is complete.
        state.fields_cache = related
    instance.__dict__ = attrs
    return instance


def instance_copy(instance):
    """A copy of a model instance with attributes and a cache of related objects of its own
    (the related objects are the same): for a kept value that a request sets attributes on."""
    state = instance._state
    related = dict(state.__dict__.get("fields_cache", {}))
    return _model_instance(type(instance), instance.__dict__.copy(), state.db, related)


class _Pickler(pickle.Pickler):
    """Pickles model instances as their attributes and cached relations. Django's own way
    (``Model.__reduce__``) looks up the model by name and copies its state again for every
    instance: loading sixty posts with their authors took 1.2 ms that way and 0.36 ms this way."""

    def reducer_override(self, obj):
        if not isinstance(obj, Model):
            return NotImplemented
        attrs = obj.__dict__.copy()
        state = attrs.pop("_state")
        return _model_instance, (type(obj), attrs, state.db, state.__dict__.get("fields_cache"))


def pack(value) -> bytes:
    stream = io.BytesIO()
    _Pickler(stream, pickle.HIGHEST_PROTOCOL).dump(value)
    return stream.getvalue()


def unpack(data: bytes):
    return pickle.loads(data)  # noqa: S301 (written by pack() into the portal's own cache)


def generation_key(scope: str) -> str:
    """Where the generation of ``scope`` is cached."""
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
    keys = [generation_key(scope) for scope in scopes]
    return _current(cache.get_many(keys), keys)


def read_ahead(scopes, keys=(), get_many=None) -> dict:
    """The generations of ``scopes`` and the cache entries ``keys`` in one round trip, for the
    shared reads of one request (``shared_read(..., found=…)``) and whatever else it reads from
    the cache (``pages.read_ahead``). An entry of ``keys`` that is not in the cache is None in
    the result. ``get_many``: what reads the keys instead of ``cache.get_many`` (the session
    store, which reads the session in the same round trip)."""
    generation_keys = [generation_key(scope) for scope in scopes]
    found = dict.fromkeys(keys)  # None: not in the cache
    found.update((get_many or cache.get_many)([*generation_keys, *keys]))
    _current(found, generation_keys)
    return found


def shared_read(name: str, scopes, build, timeout: int = TIMEOUT, fresh=None, kept=False, found=None):
    """``build()``'s value, cached with the generations of ``scopes`` it was built under: the
    generations and the value come in one round trip, and a value stored under other
    generations than the current ones is built again. ``fresh(value)`` says whether a value
    that depends on the time is still right (a list of dates once one of them has ended).

    ``kept``: the process also keeps the value it read or built (``Kept``), and while the
    generations are still those it was built under, only they are read from the cache, not
    the value. Only for a value no caller changes (text, numbers, tuples): every request of
    the process gets the same object.

    ``found``: what ``read_ahead`` read for this request; the generations are taken from it."""
    keys = [generation_key(scope) for scope in scopes]
    value_key = f"shared:{code_version()}:{name}"
    if found is not None:
        not_read = [key for key in keys if key not in found]
        if not_read:
            found.update(cache.get_many(not_read))
        current, stored = _current(found, keys), _MISSING
    elif kept:
        current, stored = _current(cache.get_many(keys), keys), _MISSING
    else:
        found = cache.get_many([*keys, value_key])
        current, stored = _current(found, keys), found.get(value_key)
    if kept:
        value = _kept.get(value_key, current)
        if value is not _MISSING and (fresh is None or fresh(value)):
            return value
    if stored is _MISSING:
        stored = cache.get(value_key)
    if stored is not None and stored[0] == current:
        value = unpack(stored[1])
        if fresh is None or fresh(value):
            if kept:
                _kept.put(value_key, current, value)
            return value
    value = build()
    cache.set(value_key, (current, pack(value)), timeout)
    if kept:
        _kept.put(value_key, current, value)
    return value


_MISSING = object()


class Kept:
    """Values a process keeps with the generations they were built under: a bounded number,
    the oldest dropped first; safe to share between the process's threads."""

    def __init__(self, size: int):
        self.size = size
        self._values: dict[str, tuple[tuple, object]] = {}
        self._lock = threading.Lock()

    def get(self, key: str, generations: tuple, default=_MISSING):
        entry = self._values.get(key)
        return entry[1] if entry is not None and entry[0] == generations else default

    def put(self, key: str, generations: tuple, value) -> None:
        with self._lock:
            self._values.pop(key, None)
            self._values[key] = (generations, value)
            while len(self._values) > self.size:
                del self._values[next(iter(self._values))]


# A thread page's posts are about 130 KB and its frame as much again; a thread's row is
# small: some 20 MB per process at most.
_kept = Kept(size=128)


def changed(*scopes: str) -> None:
    """Drop the generations of ``scopes``: now, and again once the transaction commits; also
    from what the request read ahead, so that it reads nothing kept under them afterwards."""
    from pages.read_ahead import forget  # read_ahead builds on this module

    keys = [generation_key(scope) for scope in scopes]
    forget(keys)
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
