"""Distributions of durations: the median and p90 by linear interpolation between closest ranks
(as PostgreSQL's percentile_cont), computed here from the values and how often each occurs."""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Distribution:
    """How many durations, their median, 90th percentile and mean (seconds, to 0.1 s)."""

    count: int = 0
    median: float | None = None
    p90: float | None = None
    mean: float | None = None


def percentile(ordered: list[float], fraction: float) -> float:
    """Linear interpolation between closest ranks, as PostgreSQL's percentile_cont."""
    position = fraction * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def weighted_percentile(counted: Sequence[tuple[float, int]], fraction: float) -> float:
    """`percentile` of the values of `counted` = ascending (value, count > 0) pairs, each value
    repeated count times."""
    ends = list(accumulate(n for _value, n in counted))  # rank after each value's last copy

    def ranked(rank: int) -> float:
        return counted[bisect_right(ends, rank)][0]

    position = fraction * (ends[-1] - 1)
    low, high = math.floor(position), math.ceil(position)
    return ranked(low) + (ranked(high) - ranked(low)) * (position - low)


def counted_distributions(db_session: Session, rows: Select[Any]) -> dict[int, Distribution]:
    """`rows` selects (key, seconds, n, total_seconds) from a rollup of durations: per key, the
    count (sum of n), the median and p90 of the seconds each counted n times, and the mean from
    the exact totals. Summed per key and value by the database, interpolated here."""
    sub = rows.with_only_columns(
        *(column.label(f"c{index}") for index, column in enumerate(rows.selected_columns))
    ).subquery()
    key, seconds, n, total = sub.c
    stmt = select(key, seconds, func.sum(n), func.sum(total)).group_by(key, seconds)
    counted: dict[int, list[tuple[float, int]]] = defaultdict(list)
    totals: dict[int, float] = defaultdict(float)
    for key_value, value, count, summed in db_session.execute(stmt):
        counted[int(key_value)].append((float(value), int(count)))
        totals[int(key_value)] += float(summed)
    result: dict[int, Distribution] = {}
    for key_value, pairs in counted.items():
        pairs.sort()
        count = sum(n for _value, n in pairs)
        result[key_value] = Distribution(
            count,
            round(weighted_percentile(pairs, 0.5), 1),
            round(weighted_percentile(pairs, 0.9), 1),
            round(totals[key_value] / count, 1),
        )
    return result


def ratio(part: int, whole: int) -> float | None:
    """part / whole rounded to 4 places; None when there is nothing to divide by."""
    return round(part / whole, 4) if whole else None
