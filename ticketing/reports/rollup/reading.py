"""Reading the rollups: a range of local days and the report filters as WHERE clauses."""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from ticketing.reports.filters import ReportFilter, by_staff
from ticketing.reports.periods import Bucket


def in_days(day: Any, first: date, last: date) -> ColumnElement[bool]:
    """`day` (a local date column) falls in first..last."""
    result: ColumnElement[bool] = (day >= first) & (day <= last)
    return result


def on_filter_columns(
    stmt: Select[Any], model: Any, filters: ReportFilter, *, staff: str | None = "agent_id"
) -> Select[Any]:
    """Restrict a statement on a rollup whose rows carry `channel`, `category` and a staff
    member's id in the column `staff` (each as that rollup defines it) by the report filters;
    team: that person's team now. `staff` None leaves the agent and team filters out."""
    if filters.channel is not None:
        stmt = stmt.where(model.channel == filters.channel)
    if filters.category is not None:
        stmt = stmt.where(model.category == filters.category)
    return stmt if staff is None else by_staff(stmt, getattr(model, staff), filters)


def sums_per_bucket(
    db_session: Session,
    model: Any,
    counts: list[Any],
    buckets: list[Bucket],
    filters: ReportFilter,
) -> list[list[int]]:
    """Per bucket, the sum of each of `counts` (count columns of the rollup `model`) over the
    rollup's rows of the bucket's days that pass `filters` (as `on_filter_columns` reads them)."""
    rows = select(model.day, *(func.sum(count) for count in counts)).where(
        in_days(model.day, buckets[0].first, buckets[-1].last)
    )
    rows = on_filter_columns(rows, model, filters).group_by(model.day)
    firsts = [bucket.first for bucket in buckets]
    totals = [[0] * len(counts) for _ in buckets]
    for day, *sums in db_session.execute(rows):
        tally = totals[bisect_right(firsts, day) - 1]
        for index, value in enumerate(sums):
            tally[index] += int(value)
    return totals
