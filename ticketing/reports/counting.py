"""Shared query shapes: per-bucket counts over a subquery that already holds a bucket column."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from ticketing.reports.periods import Bucket


def in_range(column: Any, buckets: list[Bucket]) -> ColumnElement[bool]:
    result: ColumnElement[bool] = (column >= buckets[0].start) & (column < buckets[-1].end)
    return result


def labelled(rows: Select[Any]) -> Select[Any]:
    """The same statement with every column named c0, c1, ... (usable from a subquery)."""
    return rows.with_only_columns(
        *(column.label(f"c{index}") for index, column in enumerate(rows.selected_columns))
    )


def sums_by_bucket(db_session: Session, rows: Select[Any]) -> dict[int, list[int]]:
    """`rows` selects (bucket, flag1, flag2, ...); per bucket: [row count, sum(flag1), ...]."""
    sub = labelled(rows).subquery()
    bucket, *flags = list(sub.c)
    stmt = select(bucket, func.count(), *(func.coalesce(func.sum(f), 0) for f in flags))
    return {
        int(row[0]): [int(value) for value in row[1:]]
        for row in db_session.execute(stmt.group_by(bucket))
    }
