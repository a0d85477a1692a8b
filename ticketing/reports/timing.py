"""First response time (first human reply after each handoff) and resolution time (created ->
the conversation's last resolution; a reopened conversation counts again only when it is
resolved again, with the later time), read from the daily rollups: the median and p90 of the
durations kept to 3 significant seconds, the mean exact."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ticketing.reports.filters import ReportFilter
from ticketing.reports.periods import Bucket
from ticketing.reports.rollup.duration_days import FIRST_REPLY, DurationDay
from ticketing.reports.rollup.durations import day_bucket
from ticketing.reports.rollup.reading import in_days, on_filter_columns
from ticketing.reports.rollup.resolution_days import ResolutionDay
from ticketing.reports.sqlmath import Distribution, counted_distributions


def first_response(
    db_session: Session, buckets: list[Bucket], filters: ReportFilter
) -> dict[int, Distribution]:
    """Per bucket, the first replies in it; agent and team filter the staff member who replied."""
    day = DurationDay.day
    rows = select(
        day_bucket(day, buckets), DurationDay.seconds, DurationDay.n, DurationDay.total_seconds
    ).where(DurationDay.kind == FIRST_REPLY, in_days(day, buckets[0].first, buckets[-1].last))
    rows = on_filter_columns(rows, DurationDay, filters, staff="staff_id")
    return counted_distributions(db_session, rows)


def resolution(
    db_session: Session, buckets: list[Bucket], filters: ReportFilter
) -> dict[int, Distribution]:
    """Per bucket, the conversations resolved in it (agent and team: the assignee)."""
    day = ResolutionDay.day
    rows = select(
        day_bucket(day, buckets),
        ResolutionDay.seconds,
        ResolutionDay.n,
        ResolutionDay.total_seconds,
    ).where(in_days(day, buckets[0].first, buckets[-1].last))
    return counted_distributions(db_session, on_filter_columns(rows, ResolutionDay, filters))


def timing(
    db_session: Session, buckets: list[Bucket], filters: ReportFilter
) -> list[dict[str, Any]]:
    frt = first_response(db_session, buckets, filters)
    resolved = resolution(db_session, buckets, filters)
    result = []
    for index in range(len(buckets)):
        first, done = frt.get(index, Distribution()), resolved.get(index, Distribution())
        result.append(
            {
                "first_responses": first.count,
                "frt_median_seconds": first.median,
                "frt_p90_seconds": first.p90,
                "frt_mean_seconds": first.mean,
                "resolved": done.count,
                "resolution_median_seconds": done.median,
                "resolution_p90_seconds": done.p90,
            }
        )
    return result
