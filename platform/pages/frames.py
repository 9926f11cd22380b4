"""A page rendered once for everyone who sees it alike, with marks where each viewer's own
values go, then filled in per request.

Rendering a page's template is most of what a page costs once its rows are shared: on the
thread page about half of its time (docs/benchmarks.md). What differs between two members
with the same rights is little: their name, the bell's count, the CSRF token, the address of
the page, flash messages, and what the view itself passes per viewer. The template marks
those with ``{% viewer_part "name" %}`` (the layout's parts, computed here) or receives them as
context variables (the view's parts); ``render_frame`` renders it once with marks instead and
``Frame.fill`` puts one viewer's values in.

A mark carries a random part chosen for each rendering, so no text a member writes can pass
for one, and every mark must come back out of the rendering: a template that dropped or
escaped one raises instead of serving a page with another viewer's hole in it.
"""

import re
import secrets
from collections.abc import Callable, Iterable, Mapping

from django.contrib.messages import get_messages
from django.middleware.csrf import get_token
from django.template import engines
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

FRAME_MARKS = "_frame_marks"  # context variable: the marks while a frame is rendered


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)  # a request that did not pass the middleware has none
    return user is not None and user.is_authenticated


def _session_seconds(request, get) -> str:
    session = getattr(request, "session", None)
    if session is None or not _signed_in(request) or session.get_expire_at_browser_close():
        return ""
    return format_html(' data-session-seconds="{}"', session.get_expiry_age())


def _user_name(request, get) -> str:
    if not _signed_in(request):
        return ""
    user = request.user
    return format_html("{}", user.display_name or user.email)


def _bell_count(request, get) -> str:
    count = get("unread_notifications")
    if callable(count):
        count = count()
    key = (get_language(), count)
    html = _bell_counts.get(key)
    if html is None:
        hidden = "" if count else " d-none"
        inner = format_html('{}<span class="visually-hidden"> {}</span>', count, _("unread")) if count else ""
        html = format_html(
            '<span class="badge rounded-pill text-bg-danger{}" id="notification-count" data-unread-label="{}">{}</span>',
            hidden,
            _("unread"),
            inner,
        )
        if len(_bell_counts) < 1000:
            _bell_counts[key] = html
    return html


_bell_counts: dict[tuple, str] = {}  # (language, count): the badge


def _full_path(request, get) -> str:
    return format_html("{}", request.get_full_path())


def _messages(request, get) -> str:
    storage = get_messages(request)
    if not len(storage):
        return ""
    alerts = format_html_join(
        "\n",
        '<div class="alert alert-{}">{}</div>',
        (("danger" if message.tags == "error" else (message.tags or "info"), message) for message in storage),
    )
    return format_html('<div class="messages" role="status">\n{}\n</div>', alerts)


# The layout's parts that differ between viewers: name -> function(request, get) -> HTML,
# ``get(name)`` giving a context value (the template's context, or the values a view fills in).
LAYOUT_PARTS: dict[str, Callable] = {
    "session_seconds": _session_seconds,
    "user_name": _user_name,
    "bell_count": _bell_count,
    "full_path": _full_path,
    "messages": _messages,
}


def layout_part(context, name: str) -> str:
    """What ``{% viewer_part name %}`` renders: the mark while a frame is rendered, else the part."""
    marks = context.get(FRAME_MARKS)
    if marks is not None:
        return marks.mark(name)
    request = context.get("request")
    if request is None:  # rendered without a request: nothing of a viewer to show
        return ""
    return LAYOUT_PARTS[name](request, context.get)


class Marks:
    def __init__(self, names: Iterable[str]):
        nonce = secrets.token_hex(8)
        self._marks = {name: mark_safe(f"\x00{nonce}:{name}\x00") for name in names}  # noqa: S308 (no markup)
        self._split = re.compile(f"\x00{nonce}:([a-z_]+)\x00").split

    def mark(self, name: str) -> SafeString:
        return self._marks[name]

    def frame(self, html: str) -> "Frame":
        parts = self._split(html)
        names = tuple(parts[1::2])
        missing = set(self._marks) - set(names)
        if missing:
            raise ValueError(f"the rendering lost the marks {sorted(missing)}")
        return Frame(tuple(parts[0::2]), names)


class Frame:
    """A rendered page as its texts between the marks, encoded as UTF-8 (encoding a thread
    page's 120 KB on every request took 0.16 ms), and the marks' names in order."""

    __slots__ = ("texts", "names")

    def __init__(self, texts: tuple[str, ...], names: tuple[str, ...]):
        self.texts, self.names = tuple(text.encode() for text in texts), names

    def fill(self, values: Mapping[str, str]) -> bytes:
        """The page with ``values`` in place of the marks, as the response's bytes."""
        encoded = {name: values[name].encode() for name in set(self.names)}
        texts = self.texts
        out = [texts[0]]
        for index, name in enumerate(self.names, 1):
            out.append(encoded[name])
            out.append(texts[index])
        return b"".join(out)


def render_frame(template_name: str, context: Callable, request, viewer_parts: Iterable[str]) -> Frame:
    """``template_name`` rendered for ``request`` with marks for the layout's parts, the CSRF
    token and the context variables ``viewer_parts``. ``context(mark)`` gives the template's
    context (without ``viewer_parts``); ``mark(name)`` is the mark of a part, for markup made
    in Python that holds one (a CSRF field)."""
    viewer_parts = tuple(viewer_parts)
    marks = Marks((*LAYOUT_PARTS, "csrf_token", *viewer_parts))
    values = {name: marks.mark(name) for name in (*viewer_parts, "csrf_token")}
    html = render_to_string(template_name, {**context(marks.mark), **values, FRAME_MARKS: marks}, request)
    return marks.frame(html)


def csrf_token(request) -> str:
    """The request's CSRF token, masked once (Django's ``get_token`` masks it anew on each call,
    about 0.1 ms) for every form of the page."""
    token = getattr(request, "_portal_csrf_token", None)
    if token is None:
        token = request._portal_csrf_token = get_token(request)
    return token


def viewer_values(request, values: Mapping[str, str]) -> dict[str, str]:
    """The values a frame is filled with for ``request``: the layout's parts (from what the
    context processors give, as in a template), the CSRF token and the view's ``values``."""
    processed = {}

    def get(name):
        if name in values:
            return values[name]
        if not processed:  # what the template's context processors would give, made when asked
            for processor in engines["django"].engine.template_context_processors:
                processed.update(processor(request))
        return processed.get(name)

    filled = {name: part(request, get) for name, part in LAYOUT_PARTS.items()}
    filled["csrf_token"] = csrf_token(request)
    filled.update(values)
    return filled
