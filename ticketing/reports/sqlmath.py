"""Durations and distributions computed by the database (PostgreSQL) or, on SQLite, which has
no percentile function, from the fetched (bucket, value) pairs with the same interpolation."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Float, Select, cast, func, select
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Distribution:
    count: int = 0
    median: float | None = None
    p90: float | None = None
    mean: float | None = None


def is_postgres(db_session: Session) -> bool:
    return db_session.get_bind().dialect.name == "postgresql"


def seconds_between(db_session: Session, start: Any, end: Any) -> ColumnElement[float]:
    """`end - start` in seconds."""
    if is_postgres(db_session):
        return cast(func.extract("epoch", end - start), Float)
    return (func.julianday(end) - func.julianday(start)) * 86400.0


def percentile(ordered: list[float], fraction: float) -> float:
    """Linear interpolation between closest ranks, as PostgreSQL's percentile_cont."""
    position = fraction * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _rounded(value: Any) -> float | None:
    return None if value is None else round(float(value), 1)


def distributions(db_session: Session, pairs: Select[Any]) -> dict[int, Distribution]:
    """Per bucket: count, median, p90 and mean of `pairs` = select(bucket, value)."""
    if is_postgres(db_session):
        sub = pairs.with_only_columns(
            *(c.label(f"c{i}") for i, c in enumerate(pairs.selected_columns))
        ).subquery()
        bucket, value = sub.c[0], sub.c[1]
        stmt = select(
            bucket,
            func.count(value),
            func.percentile_cont(0.5).within_group(value),
            func.percentile_cont(0.9).within_group(value),
            func.avg(value),
        ).group_by(bucket)
        return {
            int(row[0]): Distribution(
                int(row[1]), _rounded(row[2]), _rounded(row[3]), _rounded(row[4])
            )
            for row in db_session.execute(stmt)
        }
    values: dict[int, list[float]] = defaultdict(list)
    for bucket_value, value_value in db_session.execute(pairs):
        if value_value is not None:
            values[int(bucket_value)].append(float(value_value))
    result: dict[int, Distribution] = {}
    for key, found in values.items():
        found.sort()
        result[key] = Distribution(
            len(found),
            _rounded(percentile(found, 0.5)),
            _rounded(percentile(found, 0.9)),
            _rounded(sum(found) / len(found)),
        )
    return result


def ratio(part: int, whole: int) -> float | None:
    """part / whole rounded to 4 places; None when there is nothing to divide by."""
    return round(part / whole, 4) if whole else None
