"""Passages with the matching words marked. Text is escaped first and only the portal's own
``<mark>`` tags are added, so a payload in a document can never become markup."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from search.text import WORD_RE, fold, stem

WINDOW_WORDS = 28


def _hits(text: str, stems: set[str]):
    for match in WORD_RE.finditer(text):
        if stem(fold(match.group())) in stems:
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


def passage(body: str, stems: set[str], limit: int = 200_000):
    """The stretch of ``body`` around its first hit (or its beginning), marked and escaped."""
    text = (body or "")[:limit]
    if not text:
        return ""
    hits = []
    for hit in _hits(text, stems):
        hits.append(hit)
        if len(hits) > 40:
            break
    words = list(WORD_RE.finditer(text))
    if not words:
        return ""
    if hits:
        first_index = next(i for i, w in enumerate(words) if w.start() == hits[0][0])
    else:
        first_index = 0
    begin = max(0, first_index - WINDOW_WORDS // 3)
    finish = min(len(words) - 1, begin + WINDOW_WORDS)
    start, end = words[begin].start(), words[finish].end()
    rendered = _render(text, start, end, hits)
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + rendered + suffix)  # noqa: S308 - escaped in _render
