"""Addresses as people type them: free text -> the fields of `Address`, or an error that names
the field that is wrong or missing.

Understood: a street with its house number in either order ("Hauptstraße 88", "88 High Street",
"12 rue de Rivoli"); a postal code in the style of the country (DE/FR/IT/ES 5 digits, AT/CH/BE/
DK 4, NL "1012 AB", UK "SW1A 1AA", US "Springfield, IL 62704") with its city before or after
it; the country by code, English or local name ("DE", "Germany", "Deutschland"), else the
order's own; an optional name line and extra lines (c/o, apartment, floor); commas, newlines or
no separators at all.

Why a parser of our own: no maintained offline parser fits. libpostal, the only general one,
is a C library with about 2 GB of model data; `usaddress` knows only US addresses. This one is
rules for the countries in `countries.py`, and says what it could not find rather than guess.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ticketing.errors import InvalidInputError
from ticketing.orders import street_words
from ticketing.orders.countries import COUNTRIES, US_STATES, Country, by_spelling

MAX_CHARS = 500
QUOTE_CHARS = 120
# Letters-and-numbers-only symbols people do write in addresses ("2° piano", "n° 5", "№ 5").
ALLOWED_SYMBOLS = frozenset("°№")
SEPARATORS = re.compile(r"\s*(?:[,;\n\r]|\s-\s)\s*")
# "D-69117", "F-75001", "CH-8001": the old European country prefix on a postal code.
PREFIXED_POSTAL = re.compile(
    r"(?<![\w-])(D|DE|A|AT|F|FR|I|IT|E|ES|NL|CH|B|BE|L|LU|DK|PL)-(?=\d{4,5}(?![\d-]))"
)
PREFIX_COUNTRY = {"D": "DE", "A": "AT", "F": "FR", "I": "IT", "E": "ES", "B": "BE", "L": "LU"}
# Lines that are not the name or the street: c/o, apartment, floor, building ...
EXTRA = re.compile(
    r"(?i)^(?:c/o|c\.o\.|care of|z\.\s?hd\.?|zu händen|bei|attn\.?|apt\.?|apartment|flat|"
    r"floor|fl\.|suite|ste\.?|unit|room|building|bldg\.?|block|wohnung|whg\.?|etage|stock|"
    r"stockwerk|og|eg|dg|hinterhaus|vorderhaus|seitenflügel|gebäude|haus\s\w|zimmer|piso|"
    r"planta|puerta|escalera|étage|etg\.?|bâtiment|bat\.?|appartement|appt\.?|porte|piano|"
    r"interno|int\.|scala|verdieping|\d+(?:st|nd|rd|th|\.|°|º)?\s?(?:floor|etage|stock|og|"
    r"piso|étage|piano))\b"
)
DISTINCTIVE = ("GB", "US", "NL")  # postal styles that name their country when none is given
ZIP = re.compile(r"\d{5}(?:-\d{4})?")


@dataclass
class _Pieces:
    chunks: list[str]
    country: Country
    explicit: bool


def _problem(field: str, code: str, msg: str) -> InvalidInputError:
    return InvalidInputError(msg, code=code, field=field)


def parse(
    text: str | None, *, default_country: str, default_name: str | None = None
) -> dict[str, str]:
    """The fields of an `Address` (name, line1, line2 when given, postal_code, city, country)
    read from `text`; InvalidInputError (422, context `field`) saying which one is missing."""
    raw = text or ""
    if len(raw) > MAX_CHARS:
        raise _problem(
            "address",
            "address_too_long",
            f"That's too long for an address ({len(raw):,} characters; at most {MAX_CHARS}). "
            "Please type just the address.",
        )
    if any(_is_symbol(c) for c in raw):
        raise _problem(
            "address",
            "address_symbols",
            "Please type the address in letters and digits only, without emoji or symbols.",
        )
    chunks = [c for c in SEPARATORS.split(raw.strip()) if c.strip(" .")]
    if not chunks:
        raise _problem("address", "address_empty", "Please type the new delivery address.")
    quoted = _quote(", ".join(" ".join(c.split()) for c in chunks))
    pieces = _country(_zip_with_state(chunks), default_country)
    return _fields(pieces, quoted, default_name)


def one_line(address: dict[str, str]) -> str:
    """The address as the bot reads it back: "Anna Weber, Hauptstraße 88, 69117 Heidelberg,
    Germany"; "..., London SW1A 1AA, United Kingdom" where the city comes first."""
    country = COUNTRIES.get(address["country"])
    city_first = country.city_first if country else False
    place = (
        f"{address['city']} {address['postal_code']}"
        if city_first
        else f"{address['postal_code']} {address['city']}"
    )
    parts = [address["name"], address["line1"], address.get("line2"), place]
    parts.append(country.name if country else address["country"])
    return ", ".join(p for p in parts if p)


def _is_symbol(char: str) -> bool:
    if char in ALLOWED_SYMBOLS or char in "\n\r\t":
        return False
    return unicodedata.category(char) in ("So", "Sk", "Cs", "Co", "Cn", "Cc")


def _quote(text: str) -> str:
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1] + "…"


def _zip_with_state(chunks: list[str]) -> list[str]:
    """ "Springfield IL, 62704": a ZIP code on its own joins the state before it."""
    joined: list[str] = []
    for chunk in chunks:
        words = joined[-1].split() if joined else []
        if ZIP.fullmatch(chunk.strip()) and words and words[-1].upper() in US_STATES:
            joined[-1] = f"{joined[-1]} {chunk.strip()}"
        else:
            joined.append(chunk)
    return joined


def _country(chunks: list[str], default_country: str) -> _Pieces:
    """The country named at the end (a whole line or its last words), else the order's own."""
    chunks = [" ".join(c.split()) for c in chunks]
    named = by_spelling(chunks[-1]) if len(chunks) > 1 else None
    if named:
        return _Pieces(chunks[:-1], COUNTRIES[named], explicit=True)
    words = chunks[-1].split()
    for size in (4, 3, 2, 1):
        if len(words) > size and (named := by_spelling(" ".join(words[-size:]))):
            chunks[-1] = " ".join(words[:-size])
            return _Pieces(chunks, COUNTRIES[named], explicit=True)
    joined = " ".join(chunks)
    prefix = PREFIXED_POSTAL.search(joined)
    if prefix:
        code = PREFIX_COUNTRY.get(prefix.group(1), prefix.group(1))
        chunks = [PREFIXED_POSTAL.sub("", c) for c in chunks]
        return _Pieces(chunks, COUNTRIES[code], explicit=True)
    fallback = COUNTRIES.get(default_country.upper()) or COUNTRIES["DE"]
    return _Pieces(chunks, fallback, explicit=False)


def _postal(pieces: _Pieces, quoted: str) -> tuple[int, re.Match[str], Country]:
    """Where the postal code is: the last one in the country's style (the house number comes
    before it); without a named country, a UK, US or Dutch style one names its country."""
    tried = [pieces.country]
    if not pieces.explicit:
        # "Springfield, IL 62704" is American even where the order's country has 5 digits.
        us_first = [COUNTRIES["US"]] if pieces.country.code != "US" else []
        others = [COUNTRIES[c] for c in DISTINCTIVE if c not in (pieces.country.code, "US")]
        tried = [*us_first, pieces.country, *others]
    for country in tried:
        for index in range(len(pieces.chunks) - 1, -1, -1):
            found = [m for m in country.postal.finditer(pieces.chunks[index]) if _fits(country, m)]
            if found:
                return index, found[-1], country
    country = pieces.country
    other = "" if pieces.explicit else "; for another country, add its name"
    raise _problem(
        "postal_code",
        "address_postal_code_missing",
        f"I couldn't find a postal code in that: “{quoted}”. In {country.name} it has "
        f"{country.postal_words} (like {country.postal_example}){other}.",
    )


def _fits(country: Country, match: re.Match[str]) -> bool:
    return country.code != "US" or match.group("state").upper() in US_STATES


def _postal_code(country: Country, match: re.Match[str]) -> str:
    if country.code == "US":
        return match.group("zip")
    code = re.sub(r"\s+", "", match.group(0)).upper()
    if country.code == "GB":
        return f"{code[:-3]} {code[-3:]}"
    if country.code == "NL":
        return f"{code[:4]} {code[4:]}"
    return code.removeprefix("L-").removeprefix("L")


def _fields(pieces: _Pieces, quoted: str, default_name: str | None) -> dict[str, str]:
    index, match, country = _postal(pieces, quoted)
    chunks = pieces.chunks
    chunk = chunks[index]
    left, right = chunk[: match.start()].strip(" ,."), chunk[match.end() :].strip(" ,")
    before, after = [*chunks[:index]], [*chunks[index + 1 :]]
    city = ""
    if left and not re.search(r"\d", left) and (country.city_first or not right):
        city, left = left, ""
    elif right:
        city, right = right, ""
    elif not country.city_first and after and _could_be_city(after[0]):
        city = after.pop(0)  # "69117, Heidelberg"
    elif len(before) > 1 and _could_be_city(before[-1]):
        city = before.pop()  # "..., London, SW1A 1AA"
    if left:
        before.append(left)
    if right:
        after.insert(0, right)
    extras = [c for c in after if EXTRA.match(c)]
    before += [c for c in after if not EXTRA.match(c) and re.search(r"\d", c)]  # "69117 X, Y 8"
    unknown = [c for c in after if not EXTRA.match(c) and not re.search(r"\d", c)]
    if unknown:
        raise _problem(
            "country",
            "address_country_unknown",
            f"I don't know the country “{_quote(unknown[-1])}”. Please write it like "
            f"{country.name} or {country.code}.",
        )
    name, line1, more, city_after_street = _street_and_name(_merged_numbers(before), quoted)
    if not city and city_after_street:
        city = city_after_street  # "10 Downing Street London SW1A 2AA"
    elif city_after_street:
        more.append(city_after_street)
    if not city:
        raise _problem(
            "city", "address_city_missing", f"I couldn't find a city in that: “{quoted}”."
        )
    if country.code == "US":
        city = f"{city.rstrip(',')}, {match.group('state').upper()}"
    name = name or (default_name or "").strip()
    if not name:
        raise _problem(
            "name",
            "address_name_missing",
            f"Who should the parcel be addressed to? Please add a name to: “{quoted}”.",
        )
    result = {
        "name": name,
        "line1": line1,
        "postal_code": _postal_code(country, match),
        "city": city,
        "country": country.code,
    }
    line2 = ", ".join([*extras, *more])
    if line2:
        result["line2"] = line2
    _check_lengths(result)
    return result


def _could_be_city(chunk: str) -> bool:
    return not re.search(r"\d", chunk) and not EXTRA.match(chunk)


def _merged_numbers(chunks: list[str]) -> list[str]:
    """ "Calle Mayor, 5" and "12, rue de Rivoli": a house number alone joins its street."""
    merged: list[str] = []
    pending = ""
    for chunk in chunks:
        if street_words.NUMBER.fullmatch(chunk):
            if (
                merged
                and not re.search(r"\d", merged[-1])
                and street_words.has_street_word(merged[-1])
            ):
                merged[-1] = f"{merged[-1]} {chunk}"
            else:
                pending = chunk
            continue
        merged.append(f"{pending} {chunk}" if pending else chunk)
        pending = ""
    if pending:
        merged.append(pending)
    return merged


def _street_and_name(chunks: list[str], quoted: str) -> tuple[str, str, list[str], str]:
    """(name, street line, other lines, words after the street) from the lines before the
    postal code: the street is the line with a street word and a number, else the first line
    with a number; the line before it is the name."""
    candidates = [
        (i, found)
        for i, chunk in enumerate(chunks)
        if not EXTRA.match(chunk) and (found := street_words.find(chunk)) is not None
    ]
    worded = [(i, s) for i, s in candidates if street_words.has_street_word(s.line)]
    if not (worded or candidates):
        if any(street_words.has_street_word(c) for c in chunks):
            raise _problem(
                "house_number",
                "address_house_number_missing",
                f"I couldn't find a house number in that: “{quoted}”.",
            )
        raise _problem(
            "street",
            "address_street_missing",
            f"I couldn't find a street and house number in that: “{quoted}”.",
        )
    index, street = (worded or candidates)[0]
    others = [c for i, c in enumerate(chunks) if i != index]
    lines_before = [c for c in chunks[:index] if not EXTRA.match(c)]
    extra = [c for c in others if EXTRA.match(c)]
    name = street.before if street.before and not EXTRA.match(street.before) else ""
    if street.before and EXTRA.match(street.before):
        extra.insert(0, street.before)
    if not name and lines_before:
        name = lines_before.pop(0)
    more = extra + lines_before + [c for c in chunks[index + 1 :] if not EXTRA.match(c)]
    return name, street.line, more, street.after


def _check_lengths(address: dict[str, str]) -> None:
    limits = {"name": 200, "line1": 200, "line2": 200, "city": 100}
    for field, limit in limits.items():
        if len(address.get(field, "")) > limit:
            raise _problem(
                field,
                f"address_{field}_too_long",
                f"The {field.replace('line1', 'street')} is too long: at most {limit} characters.",
            )
