"""actions/tasks/order_lines.py: which lines and how many a customer means."""

from __future__ import annotations

import pytest

from actions.tasks import order_lines
from tests.actions.helpers import item_eligibility
from tests.actions.order_lines_data import CANDLE, HOODIE, MUG, SWIMSUIT

ITEMS = [item_eligibility(i) for i in (CANDLE, MUG, HOODIE, SWIMSUIT)]
C, M, H, S = 11, 12, 13, 14


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("one of the two candles", [(C, 1)]),
        ("just one candle", [(C, 1)]),
        ("2 of the mugs", [(M, 2)]),
        ("both candles", [(C, 2)]),
        ("all the mugs", [(M, 3)]),
        ("a mug", [(M, 1)]),
        ("the candle and the mug", [(C, None), (M, None)]),
        ("3 mugs and one candle", [(M, 3), (C, 1)]),
        ("the candle, just one", [(C, 1)]),
        ("return 5 candles", [(C, 5)]),
        ("0 candles", [(C, 0)]),
        ("I'd like a refund for the candle", [(C, None)]),
        ("exchange the hoodie in blue", [(H, None)]),
        ("the 350 ml mug", [(M, None)]),
        ("the size 38 swimsuit", [(S, None)]),
        ("Scented candle, cedarwood", [(C, None)]),
        ("1 × Scented candle, cedarwood; Ceramic mug, white, 350 ml", [(C, 1), (M, None)]),
        ("return 2 candles from order 10234", [(C, 2)]),
    ],
)
def test_lines_and_counts(text: str, lines: list[tuple[int, int | None]]) -> None:
    found = order_lines.read(text, ITEMS)
    assert [(w.item["item_id"], w.quantity) for w in found.lines] == lines


@pytest.mark.parametrize(
    ("text", "everything", "count", "unknown"),
    [
        ("all of it", True, None, []),
        ("the whole order", True, None, []),
        ("no, just one", False, 1, []),
        ("both", False, 2, []),
        ("the lawnmower", False, None, ["lawnmower"]),
        ("2 lawnmowers", False, None, ["lawnmowers"]),
        ("no", False, None, []),
        ("but I really want to return it", False, None, []),
        ("🕯️🕯️", False, None, []),
    ],
)
def test_no_line_named(text: str, everything: bool, count: int | None, unknown: list[str]) -> None:
    found = order_lines.read(text, ITEMS)
    assert (found.lines, found.everything, found.count, found.unknown) == (
        [],
        everything,
        count,
        unknown,
    )


def test_ten_thousand_characters_are_read_in_part() -> None:
    found = order_lines.read("candle " + "x" * 10_000, ITEMS)
    assert [w.item["item_id"] for w in found.lines] == [C]


def test_written_and_read_back() -> None:
    lines = order_lines.read("1 candle and 2 mugs", ITEMS).lines
    text = order_lines.written(lines)
    assert text == "1 × Scented candle, cedarwood; 2 × Ceramic mug, white, 350 ml"
    assert order_lines.is_settled(text)
    assert not order_lines.is_settled("Scented candle, cedarwood")
    assert order_lines.written_lines(text, ITEMS) == lines
