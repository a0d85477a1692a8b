"""The countries an address may name, as people write them, and how each writes its postal code.

A country is recognised by its ISO code, its English name and its own name ("DE", "Germany",
"Deutschland"); the postal code style decides where the city stands (after the code on the
continent, before it in the UK and the US).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    code: str
    name: str  # English, for read-backs
    names: tuple[str, ...]  # every spelling besides the code, lower case
    postal: re.Pattern[str]
    postal_example: str
    postal_words: str  # "5 digits", for "A postal code in Germany has 5 digits"
    city_first: bool = False  # "London SW1A 1AA", "Springfield, IL 62704"


def _postal(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE)


FIVE = _postal(r"\d{5}")
FOUR = _postal(r"\d{4}")
UK_POSTCODE = _postal(r"(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s*\d[A-Z]{2}")
# "IL 62704", "IL, 62704-1234": the state belongs to the city line, the ZIP is the code.
US_STATE_ZIP = _postal(r"(?P<state>[A-Z]{2})\.?,?\s+(?P<zip>\d{5}(?:-\d{4})?)")

COUNTRIES = {
    c.code: c
    for c in (
        Country(
            "DE",
            "Germany",
            (
                "germany",
                "deutschland",
                "bundesrepublik deutschland",
                "federal republic of germany",
                "deu",
                "ger",
            ),
            FIVE,
            "69117",
            "5 digits",
        ),
        Country(
            "AT",
            "Austria",
            ("austria", "österreich", "oesterreich", "osterreich", "aut"),
            FOUR,
            "1070",
            "4 digits",
        ),
        Country(
            "CH",
            "Switzerland",
            ("switzerland", "schweiz", "suisse", "svizzera", "che"),
            FOUR,
            "8001",
            "4 digits",
        ),
        Country(
            "FR", "France", ("france", "république française", "fra"), FIVE, "75001", "5 digits"
        ),
        Country("IT", "Italy", ("italy", "italia", "ita"), FIVE, "00184", "5 digits"),
        Country("ES", "Spain", ("spain", "españa", "espana", "esp"), FIVE, "28013", "5 digits"),
        Country(
            "NL",
            "Netherlands",
            ("netherlands", "the netherlands", "nederland", "holland", "nld"),
            _postal(r"\d{4}\s?[A-Z]{2}"),
            "1012 AB",
            "4 digits and 2 letters",
        ),
        Country(
            "BE",
            "Belgium",
            ("belgium", "belgië", "belgie", "belgique", "belgien", "bel"),
            FOUR,
            "1000",
            "4 digits",
        ),
        Country(
            "LU",
            "Luxembourg",
            ("luxembourg", "luxemburg", "lëtzebuerg", "lux"),
            _postal(r"(?:L-?)?\d{4}"),
            "1111",
            "4 digits",
        ),
        Country(
            "DK", "Denmark", ("denmark", "danmark", "dänemark", "dnk"), FOUR, "1050", "4 digits"
        ),
        Country(
            "PL",
            "Poland",
            ("poland", "polska", "polen", "pol"),
            _postal(r"\d{2}-\d{3}"),
            "00-950",
            "2 digits, a dash and 3 digits",
        ),
        Country(
            "GB",
            "United Kingdom",
            (
                "united kingdom",
                "uk",
                "u.k.",
                "great britain",
                "britain",
                "england",
                "scotland",
                "wales",
                "northern ireland",
                "gbr",
            ),
            UK_POSTCODE,
            "SW1A 1AA",
            "letters and digits",
            city_first=True,
        ),
        Country(
            "US",
            "United States",
            (
                "united states",
                "united states of america",
                "usa",
                "u.s.a.",
                "u.s.",
                "america",
                "vereinigte staaten",
            ),
            US_STATE_ZIP,
            "IL 62704",
            "a state and a 5-digit ZIP code",
            city_first=True,
        ),
    )
}
# Every spelling -> code, longest first so "united states of america" wins over "america".
SPELLINGS = sorted(
    [(c.code.lower(), c.code) for c in COUNTRIES.values()]
    + [(name, c.code) for c in COUNTRIES.values() for name in c.names],
    key=lambda pair: -len(pair[0]),
)
US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR".split()
)


def by_spelling(text: str) -> str | None:
    """The code of the country `text` names exactly ("Deutschland" -> "DE"), else None."""
    wanted = " ".join(text.lower().split()).strip(" .")
    for spelling, code in SPELLINGS:
        if wanted == spelling.strip("."):
            return code
    return None
