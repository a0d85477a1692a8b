"""Reopened rate: of the conversations resolved in a bucket, how many the customer reopened
after that resolution (by the end of the report's range). Read from `report_reopen_days`."""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ticketing.reports.filters import ReportFilter
from ticketing.reports.periods import Bucket
from ticketing.reports.rollup.reading import in_days, on_filter_columns
from ticketing.reports.rollup.reopen_days import ReopenDay
from ticketing.reports.sqlmath import ratio


def _previous(filters: ReportFilter) -> Any:
    """The previous resolution that would have been counted instead under these filters."""
    if filters.agent_id is not None:
        return ReopenDay.previous_own_day
    if filters.team is not None:
        return ReopenDay.previous_team_day
    return ReopenDay.previous_day


def reopens(
    db_session: Session, buckets: list[Bucket], filters: ReportFilter
) -> list[dict[str, Any]]:
    """A conversation counts once per bucket, at its first resolution there that passes the
    filters (channel and category of the conversation, agent and team of who resolved it)."""
    last = buckets[-1].last
    previous = _previous(filters)
    rows = select(
        ReopenDay.day, previous, ReopenDay.reopened_day, func.sum(ReopenDay.resolutions)
    ).where(in_days(ReopenDay.day, buckets[0].first, last))
    rows = on_filter_columns(rows, ReopenDay, filters, staff="staff_id")
    rows = rows.group_by(ReopenDay.day, previous, ReopenDay.reopened_day)
    firsts = [bucket.first for bucket in buckets]
    counts = [[0, 0] for _ in buckets]
    for day, before, reopened, n in db_session.execute(rows):
        index = bisect_right(firsts, day) - 1
        if before is not None and before >= firsts[index]:
            continue  # not the conversation's first resolution in this bucket
        counts[index][0] += int(n)
        if reopened is not None and reopened <= last:
            counts[index][1] += int(n)
    return [
        {
            "resolved_conversations": resolved,
            "reopened": again,
            "reopened_rate": ratio(again, resolved),
        }
        for resolved, again in counts
    ]
