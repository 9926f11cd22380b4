"""The passage around the first hit is found by a regular expression over the text and only its
candidates are stemmed; it must pick exactly the words that stemming every word picked."""

import random
from collections import deque

import pytest

from search.highlight import WINDOW_WORDS, _stem_of, _window, passage
from search.text import WORD_RE, fold, stem

VOCABULARY = (
    "Präventionskette Praeventionsketten PRÄVENTIONSKETTEN Sozialbericht Sozialberichte sozialberichterstattung "
    "Straße Strasse STRASSE Maße Masse Fuß Fuss Füße Gruß groß größer Grösse Größe Weiße weisse "
    "Jugendhilfe Jugendhilfeplanung Kinderarmut Armut Quartier Quartiere Schule Schüler Schueler "
    "Übergang Uebergang übergänge Öffentlichkeit Oeffentlichkeit ändern Aenderung Änderungen "
    "café Café résumé Zürich Zuerich Köln Koeln Gera Jena Erfurt 2024 2025 Thüringen Thueringen "
    "und der die das mit für über unter neue neues Bedarfe Bedarf Planung Planungen "
    "sßs ßss Kraße ſtraße K-Zahl Ktest ẞtraße aee Aeon Aue Baue oue ueber Über "
    "KITA Kita Kitas kita Richtlinie RICHTLINIEN Jugendhilfeplanung JUGENDHILFE Intention Antipathie "
    "Sozialberichts SOZIALBERICHT Ÿvonne ÿacht Mönchengladbach Monitoring MONITORING Beteiligung"
).split()
SEPARATORS = [" ", "  ", ", ", ". ", " – ", "\n", "/", "(", ") ", " «", "» ", "-"]


def _window_by_stemming_every_word(text: str, stems: set[str]) -> list:
    """The previous implementation: every word stemmed until the window is complete."""
    lead = deque(maxlen=WINDOW_WORDS // 3 + 1)
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
    return window if window is not None else opening


def _spans(matches) -> list[tuple[int, int]]:
    return [match.span() for match in matches]


@pytest.mark.parametrize("seed", range(40))
def test_the_window_is_the_one_stemming_every_word_finds(seed):
    rng = random.Random(seed)
    words = [rng.choice(VOCABULARY) for _ in range(rng.choice([0, 3, 25, 200, 3000]))]
    text = "".join(word + rng.choice(SEPARATORS) for word in words)
    for _ in range(5):
        chosen = rng.sample(VOCABULARY, rng.randint(1, 3))
        stems = {stem(fold(word)) for word in chosen} | ({"zzz"} if rng.random() < 0.2 else set())
        assert _spans(_window(text, stems)) == _spans(_window_by_stemming_every_word(text, stems)), (seed, stems)


def test_a_hit_deep_in_a_long_text_and_no_hit_at_all():
    filler = "Bericht über Planung und Quartier. " * 4_000  # 140,000 characters
    text = filler + "Hier steht die Präventionskette im Satz. " + filler
    stems = {stem(fold("Präventionsketten"))}
    html = passage(text, stems)
    assert "<mark>Präventionskette</mark>" in html and html.startswith("… ") and html.endswith(" …")
    assert _spans(_window(text, stems)) == _spans(_window_by_stemming_every_word(text, stems))
    nothing = passage(filler, {"zzz"})
    assert nothing.startswith("Bericht über Planung") and "<mark>" not in nothing
