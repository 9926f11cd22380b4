"""The search box's little language: words (all must match), "quoted phrases", -excluded
words. Everything else is ignored, so no input can break the engine's query syntax."""

import re
from dataclasses import dataclass, field

from search.text import STOP_WORDS, fold, stem, words

TOKEN_RE = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')
MAX_TERMS = 12


@dataclass
class ParsedQuery:
    terms: list[str] = field(default_factory=list)  # folded words
    phrases: list[list[str]] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.terms or self.phrases)

    def stems(self) -> set[str]:
        """Stems of every positive word, for highlighting."""
        positive = list(self.terms) + [w for phrase in self.phrases for w in phrase]
        return {stem(w) for w in positive}


def _folded_words(text: str) -> list[str]:
    return [fold(w) for w in words(text)]


def parse(raw: str) -> ParsedQuery:
    parsed = ParsedQuery()
    count = 0
    for match in TOKEN_RE.finditer((raw or "")[:500]):
        negative = bool(match.group(1) or match.group(3))
        if match.group(2) is not None:
            phrase = _folded_words(match.group(2))
            if not phrase:
                continue
            if negative:
                parsed.excluded.extend(w for w in phrase if w not in STOP_WORDS)
            elif len(phrase) == 1:
                parsed.terms.append(phrase[0])
            else:
                parsed.phrases.append(phrase)
            count += len(phrase)
        else:
            for word in _folded_words(match.group(4)):
                if word in STOP_WORDS:
                    continue
                (parsed.excluded if negative else parsed.terms).append(word)
                count += 1
        if count >= MAX_TERMS:
            break
    return parsed


def to_pg_tsquery(parsed: ParsedQuery, prefix_last: bool = False) -> str:
    """A tsquery for ``to_tsquery('german', …)``; the words are plain letters and digits only."""
    parts = []
    for index, term in enumerate(parsed.terms):
        suffix = ":*" if prefix_last and index == len(parsed.terms) - 1 else ""
        parts.append(term + suffix)
    for phrase in parsed.phrases:
        parts.append("(" + " <-> ".join(phrase) + ")")
    for term in parsed.excluded:
        parts.append("!" + term)
    return " & ".join(parts)


def to_fts5(parsed: ParsedQuery, prefix_last: bool = False) -> str:
    """An FTS5 MATCH expression over pre-stemmed tokens."""
    positive = []
    for index, term in enumerate(parsed.terms):
        token = stem(term)
        is_prefix = prefix_last and index == len(parsed.terms) - 1
        positive.append(f'"{token}" *' if is_prefix else f'"{token}"')
    for phrase in parsed.phrases:
        positive.append('"' + " ".join(stem(w) for w in phrase if w not in STOP_WORDS) + '"')
    expression = " AND ".join(positive)
    for term in parsed.excluded:
        expression += f' NOT "{stem(term)}"'
    return expression
