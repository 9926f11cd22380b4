"""German text handling shared by indexing, querying and highlighting, on every engine.

``fold`` makes "Präventionsketten", "Praeventionsketten" and "PRÄVENTIONSKETTEN" one
spelling; ``stem`` reduces a folded word with the Snowball German stemmer, so
"Sozialberichte" and "Sozialbericht" meet. PostgreSQL stems folded text itself with its
``german`` configuration; SQLite's FTS5 gets pre-stemmed tokens from ``index_tokens``.
"""

import re
from functools import lru_cache

import snowballstemmer

WORD_RE = re.compile(r"[0-9A-Za-zÀ-ÖØ-öø-ÿß]+")
_FOLD_TABLE = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "à": "a", "á": "a", "é": "e", "è": "e"})
_DIGRAPHS = re.compile(r"ae|oe|ue")

# Snowball's German stop words (the same list PostgreSQL's german configuration uses), folded.
STOP_WORDS = frozenset(
    """
    aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes anderm andern
    anderr anders auch auf aus bei bin bis bist da damit dann der den des dem die das dass daß derselbe derselben
    denselben desselben demselben dieselbe dieselben dasselbe dazu dein deine deinem deinen deiner deines denn
    derer dessen dich dir du dies diese diesem diesen dieser dieses doch dort durch ein eine einem einen einer
    eines einig einige einigem einigen einiger einiges einmal er ihn ihm es etwas euer eure eurem euren eurer
    eures fur gegen gewesen hab habe haben hat hatte hatten hier hin hinter ich mich mir ihr ihre ihrem ihren
    ihrer ihres euch im in indem ins ist jede jedem jeden jeder jedes jene jenem jenen jener jenes jetzt kann
    kein keine keinem keinen keiner keines konnen konnte machen man manche manchem manchen mancher manches mein
    meine meinem meinen meiner meines mit muss musste nach nicht nichts noch nun nur ob oder ohne sehr sein
    seine seinem seinen seiner seines selbst sich sie ihnen sind so solche solchem solchen solcher solches soll
    sollte sondern sonst uber um und uns unsere unserem unseren unser unseres unter viel vom von vor wahrend war
    waren warst was weg weil weiter welche welchem welchen welcher welches wenn werde werden wie wieder will
    wir wird wirst wo wollen wollte wurde wurden zu zum zur zwar zwischen
    """.split()
)

_stemmer = snowballstemmer.stemmer("german")


def fold(text: str) -> str:
    lowered = (text or "").lower()
    return _DIGRAPHS.sub(lambda m: m.group()[0], lowered).translate(_FOLD_TABLE)


def words(text: str) -> list[str]:
    return WORD_RE.findall(text or "")


@lru_cache(maxsize=50_000)
def stem(folded_word: str) -> str:
    return _stemmer.stemWord(folded_word)


def index_tokens(text: str) -> str:
    """Folded, stemmed, stop-word-free tokens, space separated (for SQLite FTS5)."""
    return " ".join(stem(w) for w in (fold(w) for w in words(text)) if w not in STOP_WORDS)


def folded_text(text: str) -> str:
    """What PostgreSQL's ``to_tsvector('german', …)`` is given."""
    return fold(text)
