"""Passages with the matching words marked. Text is escaped first and only the portal's own
``<mark>`` tags are added, so a payload in a document can never become markup."""

import re
from functools import lru_cache
from itertools import islice

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


# Where a folded letter can come from in the text (``search.text.fold``): an umlaut, its
# digraph, an accent. Matched without regard to case.
_SOURCES = {"a": "(?:ae|[aäàá])", "o": "(?:oe|[oö])", "u": "(?:ue|[uü])", "e": "[eéè]"}
_WORD_CHARS = "0-9A-Za-zÀ-ÖØ-öø-ÿß"
_LEAD = WINDOW_WORDS // 3 + 1  # the hit and the words before it
_S_RUNS = re.compile("s+")
_WORD_CHAR = re.compile(f"[{_WORD_CHARS}]")


def _source_pattern(folded_stem: str) -> str:
    """A pattern for the spellings that fold to ``folded_stem`` (and some that do not). A run
    of k folded "s" comes from between k/2 and k letters "s" or "ß" ("ß" folds to "ss")."""
    parts, index = [], 0
    for run in _S_RUNS.finditer(folded_stem):
        parts += [_SOURCES.get(char, re.escape(char)) for char in folded_stem[index : run.start()]]
        length = len(run.group())
        parts.append(f"[sß]{{{(length + 1) // 2},{length}}}")
        index = run.end()
    parts += [_SOURCES.get(char, re.escape(char)) for char in folded_stem[index:]]
    return "".join(parts)


@lru_cache(maxsize=1_000)
def _candidates(stems: frozenset[str]) -> re.Pattern:
    """Word starts whose folded spelling may begin with one of ``stems``: every word whose stem
    is one of them (a Snowball stem begins its folded word), and some others, which the caller
    checks. The regular expression engine skips the rest of a long text."""
    alternatives = "|".join(sorted(_source_pattern(stem) for stem in stems if stem))
    # The start of a word as WORD_RE sees it: its letters compared with their case.
    return re.compile(f"(?-i:(?<![{_WORD_CHARS}]))(?:{alternatives or '(?!)'})", re.IGNORECASE)


def _first_hit(text: str, stems: set[str]):
    """The first word of ``text`` whose stem is one of ``stems`` (a match of WORD_RE), or None."""
    candidates = _candidates(frozenset(stems))
    position = 0
    while (candidate := candidates.search(text, position)) is not None:
        word = WORD_RE.match(text, candidate.start())
        if word is None:  # a letter that only matches without regard to case (the Kelvin sign)
            position = candidate.start() + 1
            continue
        if _stem_of(word.group()) in stems:
            return word
        position = word.end()
    return None


def _words_before(text: str, end: int, count: int) -> list:
    """The last ``count`` words that end before ``end``."""
    span = 64 * count
    while True:
        start = max(0, end - span)
        found = list(WORD_RE.finditer(text, start, end))
        if start > 0 and found and found[0].start() == start and _WORD_CHAR.match(text, start - 1):
            found = found[1:]  # cut off at the front
        if len(found) >= count or start == 0:
            return found[-count:] if count else []
        span *= 4


def _window(text: str, stems: set[str]) -> list:
    """The words around the first hit (a third of the window before it), or the first words.

    Reads the text only up to the end of that window: bodies are whole documents. The first hit
    is found by a regular expression over the text; only its candidates are stemmed.
    """
    hit = _first_hit(text, stems)
    if hit is None:
        return list(islice(WORD_RE.finditer(text), WINDOW_WORDS + 1))
    window = [*_words_before(text, hit.start(), _LEAD - 1), hit]
    for match in WORD_RE.finditer(text, hit.end()):
        if len(window) > WINDOW_WORDS:
            break
        window.append(match)
    return window


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
