"""Passages with the matching words marked. Text is escaped first and only the portal's own
``<mark>`` tags are added, so a payload in a document can never become markup."""

from collections import deque
from functools import lru_cache

from django.utils.safestring import mark_safe

from pages.html import escape
from search.text import WORD_RE, fold, stem

WINDOW_WORDS = 28


@lru_cache(maxsize=50_000)
def _stem_of(word: str) -> str:
    return stem(fold(word))


def _hits(text: str, stems: set[str]):
    for match in WORD_RE.finditer(text):
        if _stem_of(match.group()) in stems:
            yield match.start(), match.end()


def _render(text: str, start: int, end: int, hits) -> str:
    out, cursor = [], start
    for hit_start, hit_end in hits:
        if hit_start < start or hit_end > end:
            continue
        out.append(escape(text[cursor:hit_start]))
        out.append("<mark>" + escape(text[hit_start:hit_end]) + "</mark>")
        cursor = hit_end
    out.append(escape(text[cursor:end]))
    return "".join(out)


def highlight_title(title: str, stems: set[str]):
    return mark_safe(_render(title, 0, len(title), list(_hits(title, stems))))  # noqa: S308 - escaped above


def _window(text: str, stems: set[str]) -> list:
    """The words around the first hit (a third of the window before it), or the first words.

    Reads the text only up to the end of that window: bodies are whole documents.
    """
    lead = deque(maxlen=WINDOW_WORDS // 3 + 1)  # the hit and the words before it
    opening, window = [], None
    for match in WORD_RE.finditer(text):
        if window is not None:
            window.append(match)
            if len(window) > WINDOW_WORDS:
                return window
            continue
        if len(opening) <= WINDOW_WORDS:
            opening.append(match)
        lead.append(match)
        if _stem_of(match.group()) in stems:
            window = list(lead)
            if len(window) > WINDOW_WORDS:
                return window
    return window if window is not None else opening


def passage(body: str, stems: set[str], limit: int = 200_000):
    """The stretch of ``body`` around its first hit (or its beginning), marked and escaped."""
    text = (body or "")[:limit]
    window = _window(text, stems)
    if not window:
        return ""
    start, end = window[0].start(), window[-1].end()
    hits = [(m.start(), m.end()) for m in window if _stem_of(m.group()) in stems]
    rendered = _render(text, start, end, hits)
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + rendered + suffix)  # noqa: S308 - escaped in _render
