"""First response time (first human reply after each handoff) and resolution time (created ->
the conversation's last resolution; a reopened conversation counts again only when it is
resolved again, with the later time), read from the daily rollups: count, median, p90 and
mean per bucket and over the whole range."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, literal, select
from sqlalchemy.orm import Session

from ticketing.reports.filters import ReportFilter
from ticketing.reports.periods import Bucket
from ticketing.reports.rollup.duration_days import FIRST_REPLY, DurationDay
from ticketing.reports.rollup.reading import day_bucket, in_days, on_filter_columns
from ticketing.reports.rollup.resolution_days import ResolutionDay
from ticketing.reports.series import Row, Series
from ticketing.reports.sqlmath import WHOLE, Distribution, distributions


def _per_bucket_and_whole(
    db_session: Session, model: Any, scope: Select[Any], buckets: list[Bucket]
) -> dict[int, Distribution]:
    """`scope` selects the rows of `model` (a duration rollup) to count: their distribution per
    bucket index and over the whole range (key WHOLE), in one statement."""
    if len(buckets) == 1:  # the one bucket is the whole range
        found = distributions(db_session, scope.with_only_columns(literal(0), model.seconds))
        return {0: found[0], WHOLE: found[0]} if found else {}
    rows = scope.with_only_columns(day_bucket(model.day, buckets), model.seconds)
    return distributions(db_session, rows, with_whole=True)


def first_response(
    db_session: Session, buckets: list[Bucket], filters: ReportFilter
) -> dict[int, Distribution]:
    """Per bucket and WHOLE, the first replies in it; agent and team filter the staff member
    who replied."""
    scope = select(DurationDay.id).where(
        DurationDay.kind == FIRST_REPLY,
        in_days(DurationDay.day, buckets[0].first, buckets[-1].last),
    )
    scope = on_filter_columns(scope, DurationDay, filters, staff="staff_id")
    return _per_bucket_and_whole(db_session, DurationDay, scope, buckets)


def resolution(
    db_session: Session, buckets: list[Bucket], filters: ReportFilter
) -> dict[int, Distribution]:
    """Per bucket and WHOLE, the conversations resolved in it (agent and team: the assignee)."""
    scope = select(ResolutionDay.id).where(
        in_days(ResolutionDay.day, buckets[0].first, buckets[-1].last)
    )
    scope = on_filter_columns(scope, ResolutionDay, filters)
    return _per_bucket_and_whole(db_session, ResolutionDay, scope, buckets)


def _row(first: Distribution, done: Distribution) -> Row:
    return {
        "first_responses": first.count,
        "frt_median_seconds": first.median,
        "frt_p90_seconds": first.p90,
        "frt_mean_seconds": first.mean,
        "resolved": done.count,
        "resolution_median_seconds": done.median,
        "resolution_p90_seconds": done.p90,
    }


def timing(db_session: Session, buckets: list[Bucket], filters: ReportFilter) -> Series:
    frt = first_response(db_session, buckets, filters)
    resolved = resolution(db_session, buckets, filters)

    def row(key: int) -> Row:
        return _row(frt.get(key, Distribution()), resolved.get(key, Distribution()))

    return Series([row(index) for index in range(len(buckets))], row(WHOLE))
