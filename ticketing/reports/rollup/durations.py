"""What the duration rollups share: durations kept to 3 significant digits and whole seconds
(a rollup row per kept value, not per duration), tallied with their exact sum."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

SIGNIFICANT_DIGITS = 3


def kept_seconds(seconds: float) -> int:
    """`seconds` rounded (half up) to 3 significant digits, but never finer than whole seconds:
    3612.4 -> 3610, 87.4 -> 87, 91800 -> 91800. Off by at most 0.5 % (half a second below
    100 s). One rounding of the exact value: whole seconds first would move 1004.5 to 1010."""
    exact = Decimal(seconds)
    shift = max(exact.adjusted() - (SIGNIFICANT_DIGITS - 1), 0)
    return int(exact.scaleb(-shift).quantize(Decimal(1), ROUND_HALF_UP).scaleb(shift))


Tally = dict[tuple[Any, ...], tuple[int, float]]


def tally(durations: Iterable[tuple[tuple[Any, ...], float]]) -> Tally:
    """(key, seconds) pairs -> per (*key, kept seconds): how many and the exact sum of seconds."""
    result: Tally = {}
    for key, seconds in durations:
        group = (*key, kept_seconds(seconds))
        n, total = result.get(group, (0, 0.0))
        result[group] = (n + 1, total + seconds)
    return result
