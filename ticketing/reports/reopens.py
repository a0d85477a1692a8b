"""Reopened rate: of the conversations resolved in a bucket, how many the customer reopened
after that resolution (by the end of the report's range). Read from `report_reopen_days`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case
from sqlalchemy.orm import Session

from ticketing.reports.filters import ReportFilter
from ticketing.reports.periods import Bucket
from ticketing.reports.rollup.reading import bucket_first, sums_per_bucket
from ticketing.reports.rollup.reopen_days import ReopenDay
from ticketing.reports.series import Row, Series
from ticketing.reports.sqlmath import ratio


def _previous(filters: ReportFilter) -> Any:
    """The previous resolution that would have been counted instead under these filters."""
    if filters.agent_id is not None:
        return ReopenDay.previous_own_day
    if filters.team is not None:
        return ReopenDay.previous_team_day
    return ReopenDay.previous_day


def _row(counts: list[int]) -> Row:
    resolved, again = counts
    return {
        "resolved_conversations": resolved,
        "reopened": again,
        "reopened_rate": ratio(again, resolved),
    }


def reopens(db_session: Session, buckets: list[Bucket], filters: ReportFilter) -> Series:
    """A conversation counts once per bucket, at its first resolution there that passes the
    filters (channel and category of the conversation, agent and team of who resolved it);
    over the whole range, once at its first resolution in the range."""
    first, last = buckets[0].first, buckets[-1].last
    previous = _previous(filters)
    n = ReopenDay.resolutions
    again = ReopenDay.reopened_day <= last  # NULL (never) is not true
    # the conversation's first resolution that passes the filters in its bucket / in the range
    in_bucket = previous.is_(None) | (previous < bucket_first(ReopenDay.day, buckets))
    in_range = previous.is_(None) | (previous < first)
    counts = sums_per_bucket(
        db_session,
        ReopenDay,
        [
            case((in_bucket, n), else_=0),
            case((in_bucket & again, n), else_=0),
            case((in_range, n), else_=0),
            case((in_range & again, n), else_=0),
        ],
        buckets,
        filters,
        staff="staff_id",
    )
    return Series([_row(tally[:2]) for tally in counts.per_bucket], _row(counts.total[2:]))
