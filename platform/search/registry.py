"""How each app's objects become search entries.

An app registers, in ``AppConfig.ready()``, a builder per model:
``register(Model, kind="document", build=fn)`` where ``fn(obj)`` returns an ``EntryData`` or
``None`` when the object must not be findable (hidden, deleted, inactive).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

_builders: dict[str, tuple[str, Callable, Callable | None]] = {}


@dataclass
class EntryData:
    title: str
    url: str
    body: str = ""
    meta: str = ""
    workspace: object = None
    author: object = None
    created_at: object = None
    kommunen: Iterable = field(default_factory=list)
    topics: Iterable = field(default_factory=list)
    document_kind: str = ""
    year: int | None = None


def register(model, *, kind: str, build: Callable, queryset: Callable | None = None) -> None:
    """``queryset()`` (optional) yields every object for a rebuild, prefetched for ``build``."""
    _builders[model._meta.label_lower] = (kind, build, queryset)


def builder_for(obj):
    return _builders.get(obj._meta.label_lower)


def registered():
    return dict(_builders)
