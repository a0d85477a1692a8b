"""Distributions of durations: the median and p90 by linear interpolation between closest ranks
(as PostgreSQL's percentile_cont), from the values and how often each occurs: the database
finds the values at the ranks needed, the interpolation is done here."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, Select, cast, func, or_, select
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


MEDIAN = (1, 2)  # a percentile as a fraction: numerator, denominator
P90 = (9, 10)


def _ranks(count: Any, fraction: tuple[int, int]) -> tuple[Any, Any]:
    """The two 0-based ranks `fraction` of `count` values interpolates between: the floor and
    the ceiling of fraction * (count - 1), in integers (`count` an int or a SQL expression)."""
    numerator, denominator = fraction
    scaled = numerator * (count - 1)
    return scaled // denominator, (scaled + denominator - 1) // denominator


def _at(covered: list[tuple[int, int, float]], rank: int) -> float:
    """The value at `rank` among (first rank, last rank + 1, value) rows."""
    return next(value for start, end, value in covered if start <= rank < end)


def _interpolated(
    covered: list[tuple[int, int, float]], count: int, fraction: tuple[int, int]
) -> float:
    """`percentile` of the values, knowing only the rows covering the ranks it needs."""
    numerator, denominator = fraction
    low, high = _ranks(count, fraction)
    weight = (numerator * (count - 1) % denominator) / denominator
    return _at(covered, low) + (_at(covered, high) - _at(covered, low)) * weight


def counted_distributions(db_session: Session, rows: Select[Any]) -> dict[int, Distribution]:
    """`rows` selects (key, seconds, n, total_seconds) from a rollup of durations: per key, the
    count (sum of n), the median and p90 of the seconds each counted n times, and the mean from
    the exact totals. The database sums per key and value, ranks the values with running
    counts and returns only the values at the ranks the median and p90 interpolate between
    (at most four per key), so a key's thousands of values never leave it."""
    sub = rows.with_only_columns(
        *(column.label(f"c{index}") for index, column in enumerate(rows.selected_columns))
    ).subquery()
    key, seconds, n, total = sub.c
    grouped = (
        select(
            key.label("key"),
            seconds.label("seconds"),
            func.sum(n).label("n"),
            func.sum(total).label("total"),
        )
        .group_by(key, seconds)
        .subquery()
    )
    g = grouped.c
    running = func.sum(g.n).over(partition_by=g.key, order_by=g.seconds, rows=(None, 0))
    ranked = select(
        g.key,
        g.seconds,
        cast(running - g.n, BigInteger).label("start"),
        cast(running, BigInteger).label("end"),
        cast(func.sum(g.n).over(partition_by=g.key), BigInteger).label("count"),
        func.sum(g.total).over(partition_by=g.key).label("total"),
    ).subquery()
    r = ranked.c
    wanted = [
        (r.start <= rank) & (rank < r.end)
        for fraction in (MEDIAN, P90)
        for rank in _ranks(r.count, fraction)
    ]
    found = db_session.execute(
        select(r.key, r.start, r.end, r.seconds, r.count, r.total).where(or_(*wanted))
    )
    covered: dict[int, list[tuple[int, int, float]]] = defaultdict(list)
    counts: dict[int, tuple[int, float]] = {}
    for key_value, start, end, value, count, summed in found:
        covered[int(key_value)].append((int(start), int(end), float(value)))
        counts[int(key_value)] = (int(count), float(summed))
    return {
        key_value: Distribution(
            count,
            round(_interpolated(covered[key_value], count, MEDIAN), 1),
            round(_interpolated(covered[key_value], count, P90), 1),
            round(summed / count, 1),
        )
        for key_value, (count, summed) in counts.items()
    }


def ratio(part: int, whole: int) -> float | None:
    """part / whole rounded to 4 places; None when there is nothing to divide by."""
    return round(part / whole, 4) if whole else None
