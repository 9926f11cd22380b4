"""What the notifications app knows about other apps' objects and events.

Each app registers, in its ``AppConfig.ready()``:
- the models that can be a notification's target, with the policy check used at display
  time, a title and a URL (a target the recipient can no longer see shows no title);
- the kinds of event it emits, with a German-first label for preferences.
"""

from collections.abc import Callable
from dataclasses import dataclass

_targets: dict[str, "TargetType"] = {}
_kinds: dict[str, "Kind"] = {}


@dataclass(frozen=True)
class TargetType:
    can_view: Callable  # (user, obj) -> bool
    title: Callable  # (obj) -> str
    url: Callable  # (obj) -> str


@dataclass(frozen=True)
class Kind:
    key: str
    label: str  # lazy translation
    default_channel: str = "portal"  # portal | email | digest | off


def register_target(model, *, can_view, title, url) -> None:
    _targets[model._meta.label_lower] = TargetType(can_view=can_view, title=title, url=url)


def register_kind(key: str, label, default_channel: str = "portal") -> None:
    _kinds[key] = Kind(key=key, label=label, default_channel=default_channel)


def target_type_for(obj) -> TargetType | None:
    return _targets.get(obj._meta.label_lower) if obj is not None else None


def kinds() -> dict[str, Kind]:
    return dict(_kinds)


def kind(key: str) -> Kind | None:
    return _kinds.get(key)
