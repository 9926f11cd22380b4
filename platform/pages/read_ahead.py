"""What a request reads from the cache, read before its view runs in one round trip.

Every signed-in page reads the session, the member's row (kept by the process while its
generation is unchanged, ``accounts.models``) and the bell's count; a view can name the scopes
of its shared reads (``@with_scopes``), whose generations are read with them. A round trip
costs far more than what it reads: on the two-core benchmark machine a page paid about
0.6 ms of CPU for each one (docs/benchmarks.md).

``ReadAheadMiddleware`` reads all of it at once: together with the session itself where the
session lives in the same cache and the process has seen the session before
(``pages.sessions``), else right after the session. ``found()`` is what it read, for the rest
of the request: a plain key it read ahead is there (None when not in the cache), a scope's
generation key is there with its generation. Whatever is not in it, a caller reads itself.
"""

import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar

from django.contrib.auth import SESSION_KEY

from pages import shared_reads
from pages.shared_reads import TIMEOUT, Kept, generation_key

_found: ContextVar[dict | None] = ContextVar("pages.read_ahead.found", default=None)
_member_scopes: list[Callable[[int], str]] = []
_member_keys: list[Callable[[int], str]] = []


def for_members(*, scope: Callable[[int], str] | None = None, key: Callable[[int], str] | None = None) -> None:
    """Read ahead for every signed-in member the generation of ``scope(user_id)`` or the cache
    entry ``key(user_id)`` (an app registers these in its ``ready``)."""
    if scope is not None and scope not in _member_scopes:
        _member_scopes.append(scope)
    if key is not None and key not in _member_keys:
        _member_keys.append(key)


def of_member(user_id: int | None) -> tuple[list[str], list[str]]:
    """The scopes and keys read ahead for the member ``user_id`` (none for no one)."""
    if user_id is None:
        return [], []
    return [scope(user_id) for scope in _member_scopes], [key(user_id) for key in _member_keys]


def with_scopes(scopes_of: Callable[..., Iterable[str]]):
    """A view decorator: the generations of ``scopes_of(**view_kwargs)`` are read ahead."""

    def decorate(view):
        view.read_ahead_scopes = scopes_of
        return view

    return decorate


def found() -> dict:
    """What was read ahead for this request (empty outside a request)."""
    values = _found.get()
    return values if values is not None else {}


def forget(keys) -> None:
    """Drop ``keys`` from what this request read ahead: changed by the request itself, they are
    read again when it asks for them (``shared_reads.changed``, the bell's count)."""
    values = _found.get()
    if values:
        for key in keys:
            values.pop(key, None)


class KeptPerMember:
    """Values about a member that the process keeps under the generation of the member's
    ``scope(user_id)`` (read ahead for every member): while it is unchanged, requests get the
    value without asking the database. The scope must change with every write the value
    depends on (``pages.shared_reads.changed``); a change that bypasses that (SQL by hand)
    shows after at most ``max_age`` seconds. A bounded number, the oldest dropped first."""

    def __init__(self, scope: Callable[[int], str], size: int, max_age: float = TIMEOUT):
        self.scope = scope
        self.max_age = max_age
        self._kept = Kept(size=size)
        for_members(scope=scope)

    def _generation(self, user_id):
        return found().get(generation_key(self.scope(user_id)))

    def get(self, user_id, key=None):
        """The value kept for ``user_id`` (and ``key``), or None: none kept under the current
        generation, or the request did not read it ahead (another member, no request)."""
        generation = self._generation(user_id)
        if generation is None:
            return None
        entry = self._kept.get((user_id, key), generation, None)
        if entry is None or time.monotonic() - entry[0] > self.max_age:
            return None
        return entry[1]

    def put(self, user_id, value, key=None) -> None:
        """Keep ``value``, read from the database during this request, under the generation
        the request read ahead (a write since then has dropped it: kept, it is never used)."""
        generation = self._generation(user_id)
        if generation is not None:
            self._kept.put((user_id, key), generation, (time.monotonic(), value))


def user_id_of(session) -> int | None:
    value = session.get(SESSION_KEY)
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


class ReadAheadMiddleware:
    """Reads ahead before the view, after the URL is resolved (the view's scopes need its
    arguments) and before anything asks for the user. Place it after the session and
    authentication middleware and before ``LoginRequiredMiddleware``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _found.set(None)  # nothing of another request on a reused thread
        try:
            return self.get_response(request)
        finally:
            _found.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        scopes_of = getattr(view_func, "read_ahead_scopes", None)
        scopes = list(scopes_of(**view_kwargs)) if scopes_of is not None else []
        session = getattr(request, "session", None)
        read_with_session = getattr(session, "read_ahead", None)
        if read_with_session is not None:
            values = read_with_session(scopes)
        else:
            user_id = user_id_of(session) if session is not None else None
            member_scopes, member_keys = of_member(user_id)
            values = shared_reads.read_ahead([*scopes, *member_scopes], member_keys) if scopes or user_id else {}
        _found.set(values)
