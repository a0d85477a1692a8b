"""data/nlu/regexes.yml: what the order_number, email and phone patterns match, and what not.

The patterns are applied the way Rasa's RegexEntityExtractor applies them: every pattern of a
name with re.finditer, case-insensitive, and each match becomes one entity. So a case below
lists the exact strings all patterns of that name together must produce (in order).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
REGEX_FILE = REPO / "data" / "nlu" / "regexes.yml"


def _load_patterns() -> dict[str, list[re.Pattern[str]]]:
    data = yaml.safe_load(REGEX_FILE.read_text(encoding="utf-8"))
    patterns: dict[str, list[re.Pattern[str]]] = {}
    for block in data["nlu"]:
        if "regex" not in block:
            continue
        for line in block["examples"].splitlines():
            line = line.strip()
            if not line:
                continue
            assert line.startswith("- "), line
            patterns.setdefault(block["regex"], []).append(re.compile(line[2:], re.IGNORECASE))
    return patterns


PATTERNS = _load_patterns()


def extract(name: str, text: str) -> list[str]:
    """All matches of all patterns called `name`, ordered by position (as the extractor)."""
    found: list[tuple[int, str]] = []
    for pattern in PATTERNS[name]:
        found.extend((m.start(), m.group(0)) for m in pattern.finditer(text))
    return [value for _, value in sorted(found)]


def test_the_file_defines_the_three_regex_entities() -> None:
    assert set(PATTERNS) == {"order_number", "email", "phone"}


ORDER_NUMBERS: list[tuple[str, list[str]]] = [
    # alone and in phrases, 4 to 12 digits
    ("10234", ["10234"]),
    ("it's 10234", ["10234"]),
    ("#10234", ["10234"]),
    ("order #10234", ["10234"]),
    ("order#10234 please", ["10234"]),
    ("order no. 10234", ["10234"]),
    ("order no.10234", ["10234"]),
    ("order nr 10234", ["10234"]),
    ("order nr10234", ["10234"]),
    ("cancelling order732201349959", ["732201349959"]),
    ("Order No: 55021.", ["55021"]),
    ("my order number is 7781", ["7781"]),
    ("where is 123456789012", ["123456789012"]),
    ("order 00004587345 status", ["00004587345"]),
    ("how can I cancel purchase 113542617735?", ["113542617735"]),
    ("(10234)", ["10234"]),
    ("10234, 10235 and #10236", ["10234", "10235", "10236"]),
    ("the order is 10234 and my email is ann@example.com", ["10234"]),
    ("10234 and my phone is +49 151 2345678", ["10234"]),
    ("ORDER 99887766", ["99887766"]),
    ("it's order 20230 from last week", ["20230"]),
    ("order 48213. thanks", ["48213"]),
    ("order 48213, the blue sneakers", ["48213"]),
    # not an order number
    ("123", []),
    ("1234567890123", []),
    ("my phone is +49 151 2345678", []),
    ("call me at 0151 2345678", []),
    ("0151-2345678", []),
    ("(030) 1234 5678", []),
    ("(0301) 234567", []),
    ("+1 (555) 123-4567", []),
    ("my phone is 015123456789", []),
    ("mobile: 01761234567", []),
    ("ann.10234@example.com", []),
    ("10234@example.com", []),
    ("john@mail10234.de", []),
    ("card 4111 1111 1111 1111", []),
    ("4111111111111111", []),
    ("I was charged $1200", []),
    ("I was charged 1200 dollars", []),
    ("a refund of 1200 euros", []),
    ("a refund of 1200€", []),
    ("1,200.50 was taken", []),
    ("Hauptstrasse 12, 10115 Berlin", []),
    ("new address: Main Street 5b, 80331 Munich", []),
    ("ordered on 3/12/2024", []),
    ("ordered on May 3, 2024", []),
    ("ordered on 12.03.2024", []),
    ("ordered on 2024-03-12", []),
    ("ordered in 2024", []),
    ("since 2023 I am a customer", []),
    ("5 stars", []),
    ("4 stars", []),
    ("a 1000ml bottle", []),
    ("sku A10234", []),
    # two runs joined by a space look like a phone's digit groups: neither is taken
    ("10234 10235", []),
]


@pytest.mark.parametrize(("text", "expected"), ORDER_NUMBERS)
def test_order_number(text: str, expected: list[str]) -> None:
    assert extract("order_number", text) == expected


EMAILS: list[tuple[str, list[str]]] = [
    ("ann@example.com", ["ann@example.com"]),
    ("my email is ann@example.com.", ["ann@example.com"]),
    ("Ann.Smith+shop@mail.example.co.uk", ["Ann.Smith+shop@mail.example.co.uk"]),
    ("j_doe-99@web-mail.de, thanks", ["j_doe-99@web-mail.de"]),
    ("10234 and my email is ann@example.com", ["ann@example.com"]),
    ("mail: ANN@EXAMPLE.COM", ["ANN@EXAMPLE.COM"]),
    ("a@b.io and c@d.org", ["a@b.io", "c@d.org"]),
    ("ann@example", []),
    ("ann at example dot com", []),
    ("@example.com", []),
    ("ann@.com", []),
    ("10234", []),
]


@pytest.mark.parametrize(("text", "expected"), EMAILS)
def test_email(text: str, expected: list[str]) -> None:
    assert extract("email", text) == expected


PHONES: list[tuple[str, list[str]]] = [
    ("+49 151 2345678", ["+49 151 2345678"]),
    ("my phone is +49 151 2345678", ["+49 151 2345678"]),
    ("+4915123456789", ["+4915123456789"]),
    ("0049-30-1234567", ["0049-30-1234567"]),
    ("+1 (555) 123-4567", ["+1 (555) 123-4567"]),
    ("+44 20 7946 0958.", ["+44 20 7946 0958"]),
    ("(030) 1234 5678", ["(030) 1234 5678"]),
    ("(555)123-4567", ["(555)123-4567"]),
    ("0151 2345678", ["0151 2345678"]),
    ("030/1234567", ["030/1234567"]),
    ("555-123-4567", ["555-123-4567"]),
    ("0151.234.5678", ["0151.234.5678"]),
    ("call me on 0151 2345678 please", ["0151 2345678"]),
    ("my phone is 015123456789", ["015123456789"]),
    ("phone: 015123456789", ["015123456789"]),
    ("mobile 01761234567", ["01761234567"]),
    ("10234 and my phone is +49 151 2345678", ["+49 151 2345678"]),
    ("ann@example.com, +49 30 123456", ["+49 30 123456"]),
    # not a phone
    ("10234", []),
    ("#10234", []),
    ("015123456789", []),
    ("order 123456789012", []),
    ("+49 151", []),
    ("0151 234", []),
    ("12.03.2024", []),
    ("on 2024-03-12 at 10:30", []),
    ("10234 10235", []),
    ("2 items 3456 7890 1234", []),
    ("ann.015123456789@example.com", []),
    ("4111 1111 1111 1111 1111", []),
]


@pytest.mark.parametrize(("text", "expected"), PHONES)
def test_phone(text: str, expected: list[str]) -> None:
    assert extract("phone", text) == expected


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("order 10234, ann@example.com, +49 151 2345678", 3),
        ("#55021 / my phone is 0151 2345678 / mail ann.smith@example.org", 3),
        ("nr 7781 and call me at 030/1234567", 2),
        ("10234 ann@example.com 015123456789", 3),
    ],
)
def test_the_three_never_overlap(text: str, count: int) -> None:
    spans: list[tuple[int, int]] = []
    for name in PATTERNS:
        for pattern in PATTERNS[name]:
            spans.extend(m.span() for m in pattern.finditer(text))
    spans.sort()
    assert len(spans) == count
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        assert end <= start
