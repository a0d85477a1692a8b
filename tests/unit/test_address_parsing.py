"""ticketing.orders.address_parsing: addresses as people type them, and errors that name the
field that is wrong or missing."""

from __future__ import annotations

import pytest

from ticketing.errors import InvalidInputError
from ticketing.orders.address_parsing import one_line, parse
from ticketing.orders.schemas import Address

ORDER_NAME = "Jürgen Fischer"


def _parsed(text: str, country: str = "DE") -> dict[str, str]:
    found = parse(text, default_country=country, default_name=ORDER_NAME)
    Address.model_validate(found)  # what the API then takes
    return found


def _address(
    name: str, line1: str, postal: str, city: str, country: str, line2: str = ""
) -> dict[str, str]:
    found = {"name": name, "line1": line1, "postal_code": postal, "city": city, "country": country}
    return {**found, "line2": line2} if line2 else found


HEIDELBERG = _address(ORDER_NAME, "Hauptstraße 88", "69117", "Heidelberg", "DE")
ANNA = {**HEIDELBERG, "name": "Anna Weber"}
GERMANY = [
    ("Hauptstraße 88, 69117 Heidelberg", HEIDELBERG),
    ("Hauptstraße 88, 69117 Heidelberg, Germany", HEIDELBERG),
    ("Hauptstraße 88 69117 Heidelberg Deutschland", HEIDELBERG),
    ("Hauptstraße 88\n69117 Heidelberg\nDE", HEIDELBERG),
    ("Hauptstraße 88; 69117 Heidelberg", HEIDELBERG),
    ("Hauptstraße 88, D-69117 Heidelberg", HEIDELBERG),
    ("69117 Heidelberg, Hauptstraße 88", HEIDELBERG),
    ("Hauptstraße 88, 69117, Heidelberg", HEIDELBERG),
    ("Anna Weber, Hauptstraße 88, 69117 Heidelberg, DE", ANNA),
    ("Anna Weber Hauptstraße 88 69117 Heidelberg", ANNA),
    ("Anna Weber\nHauptstraße 88\n69117 Heidelberg\nGermany", ANNA),
    (
        "hauptstr. 88a 69117 heidelberg",
        _address(ORDER_NAME, "hauptstr. 88a", "69117", "heidelberg", "DE"),
    ),
    (
        "Anna Weber, c/o Müller, Hauptstraße 88, 3. OG, 69117 Heidelberg, DE",
        {**ANNA, "line2": "c/o Müller, 3. OG"},
    ),
    ("Hauptstraße 88, Haus A-2, 69117 Heidelberg", {**HEIDELBERG, "line2": "Haus A-2"}),
    (
        "An der Alster 5, 20099 Hamburg",
        _address(ORDER_NAME, "An der Alster 5", "20099", "Hamburg", "DE"),
    ),
    (
        "Anna Weber, Unter den Linden 77, 10117 Berlin",
        _address("Anna Weber", "Unter den Linden 77", "10117", "Berlin", "DE"),
    ),
]
DOWNING = _address(ORDER_NAME, "10 Downing Street", "SW1A 2AA", "London", "GB")
UNITED_KINGDOM = [
    ("10 Downing Street, London SW1A 2AA", DOWNING),
    ("10 Downing Street, London, SW1A 2AA, United Kingdom", DOWNING),
    ("10 Downing Street London SW1A 2AA UK", DOWNING),
    ("10 Downing Street\nLondon\nSW1A 2AA\nEngland", DOWNING),
    ("10 Downing Street, SW1A 2AA London, Great Britain", DOWNING),
    ("10 Downing Street, London SW1A2AA", DOWNING),
    (
        "10 downing street london sw1a 2aa",
        _address(ORDER_NAME, "10 downing street", "SW1A 2AA", "london", "GB"),
    ),
    (
        "221B Baker Street, London NW1 6XE, GB",
        _address(ORDER_NAME, "221B Baker Street", "NW1 6XE", "London", "GB"),
    ),
    (
        "John Smith\nFlat 2\n10 High Street\nLondon\nSW1A 1AA",
        _address("John Smith", "10 High Street", "SW1A 1AA", "London", "GB", "Flat 2"),
    ),
    (
        "Jane Doe, Apartment 4, 5 Kings Road, Chelsea, London SW3 4UD, UK",
        _address("Jane Doe", "5 Kings Road", "SW3 4UD", "London", "GB", "Apartment 4, Chelsea"),
    ),
    (
        "12 Oxford Road, Manchester, M1 5QA, United Kingdom",
        _address(ORDER_NAME, "12 Oxford Road", "M1 5QA", "Manchester", "GB"),
    ),
    (
        "1 Princes St, Edinburgh EH2 2EQ, Scotland",
        _address(ORDER_NAME, "1 Princes St", "EH2 2EQ", "Edinburgh", "GB"),
    ),
]
SPRINGFIELD = _address(ORDER_NAME, "123 Main St", "62704", "Springfield, IL", "US")
UNITED_STATES = [
    ("123 Main St, Springfield, IL 62704", SPRINGFIELD),
    ("123 Main St, Springfield, IL 62704, USA", SPRINGFIELD),
    ("123 Main St\nSpringfield, IL 62704\nUnited States", SPRINGFIELD),
    ("123 Main St Springfield IL 62704", SPRINGFIELD),
    ("123 Main St, Springfield IL, 62704, United States of America", SPRINGFIELD),
    ("123 Main St, Springfield, il 62704, U.S.A.", SPRINGFIELD),
    (
        "John Doe, 742 Evergreen Terrace, Springfield, IL 62704-1234",
        _address("John Doe", "742 Evergreen Terrace", "62704-1234", "Springfield, IL", "US"),
    ),
    (
        "1600 Pennsylvania Avenue NW, Washington, DC 20500, US",
        _address(ORDER_NAME, "1600 Pennsylvania Avenue NW", "20500", "Washington, DC", "US"),
    ),
    (
        "350 Fifth Avenue, New York, NY 10118, United States",
        _address(ORDER_NAME, "350 Fifth Avenue", "10118", "New York, NY", "US"),
    ),
    (
        "500 Oak Ave San Francisco CA 94103",
        _address(ORDER_NAME, "500 Oak Ave", "94103", "San Francisco, CA", "US"),
    ),
    (
        "Jane Roe, Apt 4B, 77 Sunset Blvd, Los Angeles, CA 90028",
        _address("Jane Roe", "77 Sunset Blvd", "90028", "Los Angeles, CA", "US", "Apt 4B"),
    ),
]
FRANCE = [
    ("12 rue de Rivoli, 75001 Paris, France", "12 rue de Rivoli", "75001", "Paris"),
    ("12, rue de Rivoli, 75001 Paris, FR", "12 rue de Rivoli", "75001", "Paris"),
    ("5 avenue des Champs-Élysées 75008 Paris France", "5 avenue des Champs-Élysées", "75008",
     "Paris"),
    ("3 place Bellecour\n69002 Lyon\nFrance", "3 place Bellecour", "69002", "Lyon"),
]  # fmt: skip
ELSEWHERE = [
    ("Mariahilfer Straße 120, 1070 Wien, Österreich", "AT", "1070", "Wien"),
    ("Mariahilfer Straße 120, A-1070 Wien", "AT", "1070", "Wien"),
    ("Keizersgracht 123, 1015 CJ Amsterdam", "NL", "1015 CJ", "Amsterdam"),
    ("Keizersgracht 123, 1015cj Amsterdam, Nederland", "NL", "1015 CJ", "Amsterdam"),
    ("Via Roma 10, 00184 Roma, Italia", "IT", "00184", "Roma"),
    ("Calle Mayor, 5, 28013 Madrid, España", "ES", "28013", "Madrid"),
    ("Bahnhofstrasse 1, 8001 Zürich, Schweiz", "CH", "8001", "Zürich"),
]


@pytest.mark.parametrize(("text", "expected"), GERMANY, ids=[t for t, _ in GERMANY])
def test_german_spellings(text: str, expected: dict[str, str]) -> None:
    assert _parsed(text) == expected


@pytest.mark.parametrize(("text", "expected"), UNITED_KINGDOM, ids=[t for t, _ in UNITED_KINGDOM])
def test_uk_spellings(text: str, expected: dict[str, str]) -> None:
    assert _parsed(text, "GB") == expected


@pytest.mark.parametrize(("text", "expected"), UNITED_STATES, ids=[t for t, _ in UNITED_STATES])
def test_us_spellings(text: str, expected: dict[str, str]) -> None:
    assert _parsed(text, "US") == expected


@pytest.mark.parametrize(("text", "line1", "postal", "city"), FRANCE, ids=[c[0] for c in FRANCE])
def test_french_spellings(text: str, line1: str, postal: str, city: str) -> None:
    found = _parsed(text)
    assert (found["line1"], found["postal_code"], found["city"], found["country"]) == (
        line1,
        postal,
        city,
        "FR",
    )


@pytest.mark.parametrize(("text", "country", "postal", "city"), ELSEWHERE)
def test_other_countries_by_name_code_or_style(
    text: str, country: str, postal: str, city: str
) -> None:
    found = _parsed(text)
    assert (found["country"], found["postal_code"], found["city"]) == (country, postal, city)


@pytest.mark.parametrize(
    ("text", "order_country", "country"),
    [
        ("10 Downing Street, London SW1A 2AA", "DE", "GB"),  # a UK postcode names the UK
        ("123 Main St, Springfield, IL 62704", "DE", "US"),  # so does a state with a ZIP code
        ("Hauptstraße 88, 69117 Heidelberg", "DE", "DE"),
        ("Hauptstraße 88, 69117 Heidelberg", "FR", "FR"),  # 5 digits: the order's own country
        ("Hauptstraße 88, 69117 Heidelberg, Germany", "FR", "DE"),  # a named one wins
    ],
)
def test_the_orders_country_is_the_default(text: str, order_country: str, country: str) -> None:
    assert _parsed(text, order_country)["country"] == country


def test_without_a_name_and_without_the_orders_name_the_name_is_asked_for() -> None:
    with pytest.raises(InvalidInputError) as refused:
        parse("Hauptstraße 88, 69117 Heidelberg", default_country="DE", default_name=None)
    assert refused.value.context == {"field": "name"}


@pytest.mark.parametrize(
    ("text", "field", "words"),
    [
        ("Hauptstraße 88 Heidelberg", "postal_code", "couldn't find a postal code in that"),
        ("Heidelberg", "postal_code", "couldn't find a postal code in that: “Heidelberg”"),
        ("Hauptstraße 88, 6911 Heidelberg, Germany", "postal_code", "5 digits (like 69117)."),
        ("10 Downing Street, London, UK", "postal_code", "like SW1A 1AA"),
        ("Hauptstraße, 69117 Heidelberg", "house_number", "couldn't find a house number"),
        ("69117 Heidelberg", "street", "couldn't find a street and house number"),
        ("Hauptstraße 88, 69117", "city", "couldn't find a city"),
        ("Hauptstraße 88, 69117 Heidelberg, Narnia", "country", "don't know the country “Narnia”"),
        ("x" * 10_000, "address", "too long for an address (10,000 characters"),
        ("🏠🏠🏠", "address", "without emoji"),
        ("Hauptstraße 88 🏠, 69117 Heidelberg", "address", "without emoji"),
        ("", "address", "type the new delivery address"),
        (" ,\n, ", "address", "type the new delivery address"),
    ],
    ids=lambda v: v[:30] if isinstance(v, str) else v,
)
def test_an_unreadable_address_names_the_field(text: str, field: str, words: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        parse(text, default_country="DE", default_name=ORDER_NAME)
    assert refused.value.status_code == 422
    assert refused.value.context == {"field": field}
    assert words in refused.value.msg
    assert refused.value.error_code.startswith("address_")


def test_a_long_address_is_quoted_shortened() -> None:
    text = "Hauptstraße 88 " + "sehr lange " * 40 + "Heidelberg"
    with pytest.raises(InvalidInputError) as refused:
        parse(text, default_country="DE", default_name=ORDER_NAME)
    assert len(refused.value.msg) < 300 and "…" in refused.value.msg


@pytest.mark.parametrize(
    ("address", "line"),
    [
        (ANNA, "Anna Weber, Hauptstraße 88, 69117 Heidelberg, Germany"),
        (
            {**ANNA, "line2": "3. OG"},
            "Anna Weber, Hauptstraße 88, 3. OG, 69117 Heidelberg, Germany",
        ),
        (DOWNING, f"{ORDER_NAME}, 10 Downing Street, London SW1A 2AA, United Kingdom"),
        (SPRINGFIELD, f"{ORDER_NAME}, 123 Main St, Springfield, IL 62704, United States"),
    ],
)
def test_one_line_reads_like_an_address_of_its_country(address: dict[str, str], line: str) -> None:
    assert one_line(address) == line
