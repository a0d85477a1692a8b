"""Finding the street and house number inside a piece of an address, in both orders:
"Hauptstraße 88", "Via Roma 10" (number after) and "88 High Street", "12 rue de Rivoli"
(number first), with a name or a city around it when the customer typed no commas."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A house number: "88", "88a", "88 a", "3-5", "12/14", "221B" (a letter only when no word goes on).
NUMBER = re.compile(
    r"(?<![\w-])\d{1,5}(?:\s?[a-zA-Z](?![^\W\d_]))?(?:\s?[-/]\s?\d{1,5}(?:[a-zA-Z](?![^\W\d_]))?)?"
    r"(?![\w-])"
)
# Words that end a street name written number first ("88 High Street", "1600 Pennsylvania
# Avenue NW"): what follows them is the city.
SUFFIXES = frozenset(
    "street st st. road rd rd. avenue ave ave. lane ln drive dr dr. way close court ct place pl "
    "crescent terrace gardens grove hill square sq row mews parade walk boulevard blvd highway "
    "hwy parkway pkwy circle cir trail park green broadway".split()
)
DIRECTIONS = frozenset("n s e w ne nw se sw north south east west".split())
# Words that start a street name ("Via Roma", "Calle Mayor", "rue de Rivoli").
PREFIXES = frozenset(
    "via viale piazza piazzale corso largo vicolo calle avenida avda. plaza paseo carrer "
    "camino rue avenue av. boulevard bd bd. chemin allée allee place impasse quai route "
    "rua ulica ul. strada".split()
)
# German, Dutch and Nordic street words, alone ("Mariahilfer Straße") or at the end of one
# word ("Hauptstraße", "Keizersgracht").
ENDINGS = (
    "straße", "strasse", "str.", "str", "weg", "gasse", "platz", "allee", "ring", "damm", "ufer",
    "chaussee", "steig", "pfad", "markt", "graben", "kamp", "twiete", "stieg", "zeile",
    "promenade", "kai", "straat", "laan", "gracht", "plein", "kade", "singel", "dijk", "steeg",
    "vej", "gade", "gatan", "vägen",
)  # fmt: skip
# Small words that belong to the street in front of its main word ("Am Markt", "An der Alster").
ARTICLES = frozenset(
    "am an auf im in zum zur der die das dem den alte alten neue neuen große grosse kleine "
    "obere untere hinter unter sankt st. de del della di la le du des van bad".split()
)


@dataclass(frozen=True)
class Street:
    line: str  # as typed, spaces tidied: "Hauptstraße 88", "88 High Street"
    before: str  # what stood in front (a name, when no comma separated it)
    after: str  # what followed (a city, "88 High Street London")


def has_street_word(text: str) -> bool:
    return any(_is_street_word(word) for word in text.split())


def _is_street_word(word: str) -> bool:
    lowered = word.lower()
    return (
        lowered in SUFFIXES
        or lowered in PREFIXES
        or any(lowered.endswith(ending) for ending in ENDINGS)
    )


def find(text: str) -> Street | None:
    """The street with its house number in `text`, or None when there is no number next to
    words."""
    numbers = list(NUMBER.finditer(text))
    for match in numbers:
        before, after = text[: match.start()].strip(" ,"), text[match.end() :].strip(" ,")
        number = " ".join(match.group(0).split())
        if after[:1].isdigit():  # "Flat 2 10 High Street": the next number is the house's
            continue
        if after and _letters(after) and (not before or _number_first(after)):
            return _number_first_street(number, before, after)
        if before and _letters(before):
            return _number_after_street(number, before, after)
    return None


def _letters(text: str) -> bool:
    return any(c.isalpha() for c in text)


def _number_first(after: str) -> bool:
    """Whether the words after a number in the middle of the text are its street."""
    words = after.split()
    return bool(words) and (
        words[0].lower() in PREFIXES or any(w.lower() in SUFFIXES for w in words)
    )


def _number_first_street(number: str, before: str, after: str) -> Street:
    """ "88 High Street London": the street ends with its last suffix word (and a direction)."""
    words = after.split()
    end = len(words)
    suffix_at = [i for i, w in enumerate(words) if w.lower() in SUFFIXES]
    if suffix_at and words[0].lower() not in PREFIXES:  # "5 avenue des Champs-Élysées"
        end = suffix_at[-1] + 1
        if end < len(words) and words[end].lower().strip(".") in DIRECTIONS:
            end += 1
    return Street(f"{number} {' '.join(words[:end])}", before, " ".join(words[end:]))


def _number_after_street(number: str, before: str, after: str) -> Street:
    """ "Anna Weber Hauptstraße 88": the street starts at its street word (and its articles)."""
    words = before.split()
    start = 0
    for i, word in enumerate(words):
        lowered = word.lower()
        if lowered in PREFIXES or any(lowered.endswith(e) for e in ENDINGS):
            # "Mariahilfer Straße": a street word on its own takes the word before it along.
            alone = any(lowered == e for e in ENDINGS) and i > 0
            start = i - 1 if alone else i
            break
    while start > 0 and words[start - 1].lower() in ARTICLES:
        start -= 1
    street = " ".join(words[start:])
    return Street(f"{street} {number}", " ".join(words[:start]), after)
