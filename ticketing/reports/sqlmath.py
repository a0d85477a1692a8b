"""Distributions of durations: the median and p90 by linear interpolation between closest ranks
(PostgreSQL's percentile_cont), found by the database from one row per duration."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, literal, or_, select, tuple_, union_all
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Distribution:
    """How many durations, their median, 90th percentile and mean (seconds, to 0.1 s)."""

    count: int = 0
    median: float | None = None
    p90: float | None = None
    mean: float | None = None


def _interpolated(
    at_rank: Mapping[int, float] | Sequence[float], count: int, fraction: float
) -> float:
    """The `fraction` percentile of `count` ascending values by linear interpolation between
    closest ranks, with PostgreSQL's percentile_cont float arithmetic; `at_rank` gives the
    value at a 0-based rank (all of them, or only the ranks this reads)."""
    position = fraction * (count - 1)
    low, high = math.floor(position), math.ceil(position)
    return at_rank[low] + (at_rank[high] - at_rank[low]) * (position - low)


def percentile(ordered: Sequence[float], fraction: float) -> float:
    """Linear interpolation between closest ranks, as PostgreSQL's percentile_cont."""
    return _interpolated(ordered, len(ordered), fraction)


WHOLE = -1  # the key of all the rows together, beside the keys of `distributions`
FRACTIONS = (0.5, 0.9)  # median, p90


def _floor_rank(count: Any, fraction: float) -> Any:
    """floor(fraction * (count - 1)) in integers, for `count` an int or a SQL expression:
    `fraction` in tenths. The float product `percentile` uses is never below it (0.9 as a
    float is a little above 0.9), and at most one rank above it (ceil), hence `_ranks`."""
    return (round(fraction * 10) * (count - 1)) // 10


def _ranks(count: Any) -> list[Any]:
    """Every 0-based rank `percentile` may read for the median and p90 of `count` values."""
    return [_floor_rank(count, fraction) + step for fraction in FRACTIONS for step in (0, 1)]


def _labelled(rows: Select[Any]) -> Any:
    """`rows` (key, seconds) as a subquery with those column names."""
    key, seconds = rows.selected_columns
    return rows.with_only_columns(key.label("key"), seconds.label("seconds")).subquery()


def _by_ordered_set(db_session: Session, rows: Select[Any], with_whole: bool) -> Any:
    """PostgreSQL: percentile_cont, its ordered-set aggregate (one sort per key; the whole
    range as the empty grouping set, key NULL)."""
    sub = _labelled(rows)
    grouping = func.grouping_sets(tuple_(sub.c.key), tuple_()) if with_whole else sub.c.key
    stmt = select(
        func.coalesce(sub.c.key, WHOLE),
        func.count(),
        func.percentile_cont(0.5).within_group(sub.c.seconds),
        func.percentile_cont(0.9).within_group(sub.c.seconds),
        func.avg(sub.c.seconds),
    ).group_by(grouping)
    return (
        (int(key), Distribution(int(n), round(median, 1), round(p90, 1), round(mean, 1)))
        for key, n, median, p90, mean in db_session.execute(stmt)
        if n  # the empty grouping set gives a row even without rows
    )


def _by_ranks(db_session: Session, rows: Select[Any], with_whole: bool) -> Any:
    """Elsewhere (SQLite): rank the values of each key with row_number() and return only
    those at the ranks the median and p90 interpolate between (at most four per key)."""
    if with_whole:
        per_key = _labelled(rows)
        whole = select(literal(WHOLE).label("key"), per_key.c.seconds)
        rows = select(union_all(select(per_key.c.key, per_key.c.seconds), whole).subquery())
    sub = _labelled(rows)
    ranked = select(
        sub.c.key,
        sub.c.seconds,
        (func.row_number().over(partition_by=sub.c.key, order_by=sub.c.seconds) - 1).label("rank"),
        func.count().over(partition_by=sub.c.key).label("count"),
        func.avg(sub.c.seconds).over(partition_by=sub.c.key).label("mean"),
    ).subquery()
    r = ranked.c
    wanted = [rank == r.rank for rank in _ranks(r.count)]
    found = db_session.execute(
        select(r.key, r.rank, r.seconds, r.count, r.mean).where(or_(*wanted))
    )
    values: dict[int, dict[int, float]] = defaultdict(dict)
    counts: dict[int, tuple[int, float]] = {}
    for key, rank, value, count, mean in found:
        values[int(key)][int(rank)] = float(value)
        counts[int(key)] = (int(count), float(mean))
    return (
        (
            key,
            Distribution(
                count,
                round(_interpolated(values[key], count, 0.5), 1),
                round(_interpolated(values[key], count, 0.9), 1),
                round(mean, 1),
            ),
        )
        for key, (count, mean) in counts.items()
    )


def distributions(
    db_session: Session, rows: Select[Any], *, with_whole: bool = False
) -> dict[int, Distribution]:
    """`rows` selects (key, seconds), one row per duration: per key, how many, their median
    and p90 (`percentile`) and their mean; `with_whole` adds all the rows together as key
    WHOLE. Computed by the database; only the results (or the values at the ranks needed)
    leave it."""
    if db_session.get_bind().dialect.name == "postgresql":
        return dict(_by_ordered_set(db_session, rows, with_whole))
    return dict(_by_ranks(db_session, rows, with_whole))


def ratio(part: int, whole: int) -> float | None:
    """part / whole rounded to 4 places; None when there is nothing to divide by."""
    return round(part / whole, 4) if whole else None
