"""Reading the rollups: a range of local days and the report filters as WHERE clauses."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, literal, literal_column, select
from sqlalchemy.orm import Session

from ticketing.reports.filters import ReportFilter, by_staff
from ticketing.reports.periods import Bucket
from ticketing.reports.series import Tallies


def in_days(day: Any, first: date, last: date) -> ColumnElement[bool]:
    """`day` (a local date column) falls in first..last."""
    result: ColumnElement[bool] = (day >= first) & (day <= last)
    return result


def per_bucket(day: Any, buckets: list[Bucket], values: list[Any]) -> ColumnElement[Any]:
    """values[i] for a local date `day` in bucket i (rows must be in the range): a balanced CASE
    over the buckets' first days."""
    firsts: list[date] = [bucket.first for bucket in buckets[1:]]

    def tree(low: int, high: int) -> ColumnElement[Any]:
        if low == high:
            return values[low]  # type: ignore[no-any-return]
        middle = (low + high + 1) // 2
        return case((day < firsts[middle - 1], tree(low, middle - 1)), else_=tree(middle, high))

    return tree(0, len(buckets) - 1)


def day_bucket(day: Any, buckets: list[Bucket]) -> ColumnElement[int]:
    """The index of the bucket the local date in `day` falls in."""
    return per_bucket(day, buckets, [literal_column(str(i)) for i in range(len(buckets))])


def bucket_first(day: Any, buckets: list[Bucket]) -> ColumnElement[date]:
    """The first day of the bucket the local date in `day` falls in."""
    return per_bucket(day, buckets, [literal(bucket.first) for bucket in buckets])


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
    *,
    staff: str | None = "agent_id",
) -> Tallies:
    """Per bucket and over them all, the sum of each of `counts` (count columns of the rollup
    `model`, or expressions of them) over the rollup's rows of the buckets' days that pass
    `filters` (as `on_filter_columns` reads them, the staff member in `staff`)."""
    rows = select(model.day, *(func.sum(count) for count in counts)).where(
        in_days(model.day, buckets[0].first, buckets[-1].last)
    )
    rows = on_filter_columns(rows, model, filters, staff=staff).group_by(model.day)
    tallies = Tallies(buckets, len(counts))
    for day, *sums in db_session.execute(rows):
        tallies.add(tallies.index(day), [int(value) for value in sums])
    return tallies
