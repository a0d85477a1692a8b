"""actions/parsing.py: what customers type, read into the API's values."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from actions import parsing

LONG = "x" * 10_000


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, ""),
        ("", ""),
        ("  hello  ", "hello"),
        ("a" * 2000, "a" * 2000),
        ("a" * 2001, "a" * 1999 + "…"),
        ("😀" * 3000, "😀" * 1999 + "…"),
        (LONG, "x" * 1999 + "…"),
    ],
    ids=["none", "empty", "strip", "limit", "over", "emoji", "10k"],
)
def test_clip(text: str | None, expected: str) -> None:
    assert parsing.clip(text) == expected


def test_clip_with_a_limit() -> None:
    assert parsing.clip("abcdef", 4) == "abc…"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10234", "10234"),
        ("#10234", "10234"),
        ("order no. 10234", "10234"),
        ("order nr10234", "10234"),
        ("order10234", "10234"),
        ("where is my order 10234?", "10234"),
        ("ORDER #10234!!!", "10234"),
        ("1234", "1234"),
        ("123456789012", "123456789012"),
        ("10234 10234", "10234"),
        ("😀#10234😀", "10234"),
        ("order #10234, ann@example.com", "10234"),
        ("order 12345678, ann@example.com", "12345678"),
        ("10234 +49 170 1234567", "10234"),
        ("#10234 and my phone +49 (170) 123-4567", "10234"),
        ("123", None),
        ("1234567890123", None),
        ("10234 and 10235", None),
        ("my phone is +49 170 1234567", None),
        ("+4917012345678", None),
        ("ann10234@example.com", None),
        ("hello", None),
        ("", None),
        (None, None),
        ("😀" * 100, None),
        (LONG, None),
        ("x" * 5000 + " 10234", None),
    ],
    ids=lambda v: repr(v)[:30],
)
def test_order_number(text: str | None, expected: str | None) -> None:
    assert parsing.order_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ann@example.com", "ann@example.com"),
        ("Ann.Smith@Example.CO.UK", "ann.smith@example.co.uk"),
        ("mail: ann+shop@mail.example.org.", "ann+shop@mail.example.org"),
        ("😀 ann@example.com 😀", "ann@example.com"),
        ("+49 170 1234567", "+49 170 1234567"),
        ("+4917012345678", "+4917012345678"),
        ("0170 1234567", "0170 1234567"),
        ("0170-123-4567", "0170-123-4567"),
        ("my number is +1 555 123 4567 thanks", "+1 555 123 4567"),
        ("ann@example.com or +49 170 1234567", "ann@example.com"),
        ("1234567", None),
        ("1" * 16, None),
        ("ann@", None),
        ("@example.com", None),
        ("ann@example", None),
        ("hello", None),
        ("", None),
        (None, None),
        ("😀" * 100, None),
        (LONG, None),
    ],
    ids=lambda v: repr(v)[:30],
)
def test_contact(text: str | None, expected: str | None) -> None:
    assert parsing.contact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5", 5),
        ("1", 1),
        ("4 stars", 4),
        ("five", 5),
        ("FOUR", 4),
        ("★★★", 3),
        ("⭐⭐⭐⭐⭐", 5),
        ("⭐️⭐️", 2),
        ("2 ⭐", 2),
        ("5 stars ★★★★★", 5),
        ("4/5", 4),
        ("4 / 5", 4),
        ("3 out of 5", 3),
        ("I'd give you a 4", 4),
        ("4️⃣", 4),
        ("0", None),
        ("6", None),
        ("10", None),
        ("10/10", None),
        ("-1", None),
        ("3.5", None),
        ("1-5", None),
        ("one or two", None),
        ("★★★★★★", None),
        ("great", None),
        ("", None),
        (None, None),
        ("😀", None),
        (LONG, None),
    ],
    ids=lambda v: repr(v)[:20],
)
def test_rating(text: str | None, expected: int | None) -> None:
    assert parsing.rating(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("they're too small", "does_not_fit"),
        ("wrong size", "does_not_fit"),
        ("the sleeves are too long", "does_not_fit"),
        ("it arrived broken", "damaged"),
        ("it broke after a day", "damaged"),
        ("stopped working", "damaged"),
        ("the speaker won't turn on", "damaged"),
        ("it doesn't turn on at all", "damaged"),
        ("you sent the wrong item", "wrong_item"),
        ("different size than I ordered", "wrong_item"),
        ("not as described", "not_as_described"),
        ("looks different from the photo", "not_as_described"),
        ("I changed my mind", "changed_mind"),
        ("ordered by mistake", "changed_mind"),
        ("it came too late", "late_delivery"),
        ("it took too long to arrive", "late_delivery"),
        ("does_not_fit", "does_not_fit"),
        ("DAMAGED", "damaged"),
        ("it was an accident", None),
        ("the plate has a nice colour", None),
        ("", None),
        (None, None),
        ("😀", None),
        (LONG, None),
    ],
    ids=lambda v: repr(v)[:30],
)
def test_return_reason(text: str | None, expected: str | None) -> None:
    assert parsing.return_reason(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("unopened", "unopened"),
        ("still sealed", "unopened"),
        ("never been used", "unopened"),
        ("unused", "unopened"),
        ("brand new", "unopened"),
        ("like new", "like_new"),
        ("like_new", "like_new"),
        ("I only tried it on", "like_new"),
        ("opened", "like_new"),
        ("barely used", "like_new"),
        ("used", "used"),
        ("used it once", "used"),
        ("worn once", "used"),
        ("it's damaged", "damaged"),
        ("cracked screen", "damaged"),
        ("dunno", None),
        ("", None),
        (LONG, None),
    ],
    ids=lambda v: repr(v)[:30],
)
def test_item_condition(text: str, expected: str | None) -> None:
    assert parsing.item_condition(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("refund", "refund"),
        ("my money back please", "refund"),
        ("exchange", "exchange"),
        ("a replacement", "exchange"),
        ("swap for another size", "exchange"),
        ("store credit", "store_credit"),
        ("store_credit", "store_credit"),
        ("a voucher", "store_credit"),
        ("whatever", None),
        ("", None),
    ],
)
def test_resolution(text: str, expected: str | None) -> None:
    assert parsing.resolution(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("product quality", "product_quality"),
        ("the item is defective", "product_quality"),
        ("logistics", "logistics"),
        ("the parcel never came", "logistics"),
        ("payment", "payment"),
        ("I was charged twice", "payment"),
        ("after-sales service", "after_sales"),
        ("your staff was rude", "after_sales"),
        ("other", "other"),
        ("something else", "other"),
        ("🤷", None),
        ("", None),
    ],
)
def test_complaint_category(text: str, expected: str | None) -> None:
    assert parsing.complaint_category(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no", True),
        ("No.", True),
        ("nope!", True),
        ("no thanks", True),
        ("  none ", True),
        ("n/a", True),
        ("that's all", True),
        ("no, it was great", False),
        ("not really happy", False),
        ("", False),
        (None, False),
        ("😀", False),
        (LONG, False),
    ],
    ids=lambda v: repr(v)[:20],
)
def test_says_no(text: str | None, expected: bool) -> None:
    assert parsing.says_no(text) is expected


READERS: list[Callable[[str], Any]] = [
    parsing.order_number,
    parsing.contact,
    parsing.rating,
    parsing.return_reason,
    parsing.item_condition,
    parsing.resolution,
    parsing.complaint_category,
    parsing.says_no,
]
NASTY = [
    "a" * 100_000,
    "1" * 100_000,
    "1 " * 50_000,
    "ann." * 25_000,
    "+" + "1 " * 50_000,
    "@" * 100_000,
    "😀" * 100_000,
    ", " * 50_000,
]


@pytest.mark.parametrize("reader", READERS, ids=lambda r: r.__name__)
def test_huge_input_is_read_quickly(reader: Callable[[str], Any]) -> None:
    started = time.perf_counter()
    for text in NASTY:
        reader(text)
    assert time.perf_counter() - started < 2.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1),
        ("just one", 1),
        ("two please", 2),
        ("both", 2),
        ("all of them", 3),
        ("a single one", 1),
        ("0", 0),
        ("order 10234", None),
        ("3.5", None),
        ("😀", None),
        ("", None),
        (None, None),
        (LONG, None),
    ],
    ids=lambda v: repr(v)[:20],
)
def test_quantity(text: str | None, expected: int | None) -> None:
    assert parsing.quantity(text, everything=3) == expected
