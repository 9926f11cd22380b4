"""What the notifications app knows about other apps' objects and events.

Each app registers, in its ``AppConfig.ready()``:
- the models that can be a notification's target, with the policy check used at display
  time, a title and a URL (a target the recipient can no longer see shows no title);
- the kinds of event it emits, with a German-first label for preferences.

Registering the same model or kind again replaces the earlier entry, so calling the
functions twice is harmless. The notifications app itself registers fallbacks for the
portal's known kinds with ``register_default_kind``, which never replaces an entry.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import translation

CHANNELS = ("portal", "email", "digest", "off")

_targets: dict[str, "TargetType"] = {}
_kinds: dict[str, "Kind"] = {}
# {(kind, language): its texts translated}: a page of 25 notifications translated each
# kind's lazy texts three times per entry, some ninety gettext calls.
_translated: dict[tuple[str, str], "KindTexts"] = {}


@dataclass(frozen=True)
class TargetType:
    can_view: Callable  # (user, obj) -> bool
    title: Callable  # (obj) -> str
    url: Callable  # (obj) -> str
    # (obj) -> the object a member mutes with "mute this thread"; default: the target
    # itself. Return None where muting makes no sense (no "Mute" button then).
    thread: Callable | None = None
    # (queryset) -> queryset used to load targets for display, e.g. to select_related
    # what ``title``/``can_view`` read, so a page of notifications costs one query per model.
    queryset: Callable | None = None

    def thread_of(self, obj):
        return self.thread(obj) if self.thread is not None else obj


@dataclass(frozen=True)
class Kind:
    key: str
    label: str  # lazy translation
    # portal: shown in the portal only; email: portal + email at once;
    # digest: portal + the email digest; off: nothing unless the member opts in.
    default_channel: str = "portal"
    # Lazy format strings with %(actor)s and %(title)s; ``text_many`` also gets %(count)s
    # and is used when several events were merged into one notification.
    text: str | None = None
    text_many: str | None = None
    # Who can receive it at all: "" (every member), "moderators" (workspace moderators and
    # staff) or "staff". Only used to keep the preferences page short.
    audience: str = ""


def register_target(model, *, can_view, title, url, thread=None, queryset=None) -> None:
    _targets[model._meta.label_lower] = TargetType(
        can_view=can_view, title=title, url=url, thread=thread, queryset=queryset
    )


def register_kind(
    key: str, label, default_channel: str = "portal", *, text=None, text_many=None, audience: str = ""
) -> None:
    if default_channel not in CHANNELS:
        raise ValueError(f"default_channel must be one of {CHANNELS}")
    if audience not in ("", "moderators", "staff"):
        raise ValueError("audience must be '', 'moderators' or 'staff'")
    _kinds[key] = Kind(
        key=key, label=label, default_channel=default_channel, text=text, text_many=text_many, audience=audience
    )
    _translated.clear()


def register_default_kind(key: str, label, default_channel: str = "portal", **options) -> None:
    """Like ``register_kind`` but keeps an existing registration by the owning app."""
    if key not in _kinds:
        register_kind(key, label, default_channel, **options)


def target_type_for(obj) -> TargetType | None:
    return _targets.get(obj._meta.label_lower) if obj is not None else None


def target_type_for_model(model) -> TargetType | None:
    return _targets.get(model._meta.label_lower) if model is not None else None


def kinds() -> dict[str, Kind]:
    return dict(_kinds)


def kind(key: str) -> Kind | None:
    return _kinds.get(key)


@dataclass(frozen=True)
class KindTexts:
    label: str
    text: str = ""
    text_many: str = ""


def kind_texts(key: str) -> KindTexts:
    """A registered kind's label and texts in the active language; for an unknown kind, its key."""
    registered = _kinds.get(key)
    if registered is None:
        return KindTexts(label=key)
    cache_key = (key, translation.get_language())
    texts = _translated.get(cache_key)
    if texts is None:
        texts = _translated[cache_key] = KindTexts(
            label=str(registered.label),
            text=str(registered.text or ""),
            text_many=str(registered.text_many or ""),
        )
    return texts
