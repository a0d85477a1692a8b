"""The per-agent table: each person's team, the conversations they resolved, their first
response and resolution times, and the CSAT of the ratings attributed to them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, literal_column, select
from sqlalchemy.orm import Session

from ticketing.reports.filters import ReportFilter, staff_matches
from ticketing.reports.periods import Bucket
from ticketing.reports.rollup.duration_days import (
    AGENT_RESOLVED,
    FIRST_REPLY,
    DurationDay,
)
from ticketing.reports.rollup.rating_days import RatingDay
from ticketing.reports.rollup.reading import in_days, on_filter_columns
from ticketing.reports.sqlmath import Distribution, distributions, ratio
from ticketing.staff.models import StaffRole, StaffUser


def _event_seconds(
    db_session: Session, bucket: Bucket, filters: ReportFilter
) -> tuple[dict[int, Distribution], dict[int, Distribution]]:
    """Per staff member, the durations of their first replies and of their resolutions in
    `bucket`, in one scan."""
    resolved = case((DurationDay.kind == AGENT_RESOLVED, 1), else_=0)
    rows = select(DurationDay.staff_id * 2 + resolved, DurationDay.seconds).where(
        DurationDay.kind.in_((FIRST_REPLY, AGENT_RESOLVED)),
        DurationDay.staff_id.is_not(None),
        in_days(DurationDay.day, bucket.first, bucket.last),
    )
    found = distributions(db_session, on_filter_columns(rows, DurationDay, filters, staff=None))
    per_kind: tuple[dict[int, Distribution], dict[int, Distribution]] = ({}, {})
    for key, distribution in found.items():
        per_kind[key % 2][key // 2] = distribution
    return per_kind


def _ratings(db_session: Session, bucket: Bucket, filters: ReportFilter) -> dict[int, list[int]]:
    """Per rated agent: [ratings, positive ratings] given in the bucket, by the rating's own
    channel and category (read from the daily rollups)."""
    stmt = select(
        RatingDay.agent_id, func.sum(RatingDay.ratings), func.sum(RatingDay.positive)
    ).where(RatingDay.agent_id.is_not(None), in_days(RatingDay.day, bucket.first, bucket.last))
    stmt = on_filter_columns(
        stmt, RatingDay, ReportFilter(channel=filters.channel, category=filters.category)
    )
    return {
        int(agent): [int(n), int(good)]
        for agent, n, good in db_session.execute(stmt.group_by(RatingDay.agent_id))
    }


def agent_table(db_session: Session, bucket: Bucket, filters: ReportFilter) -> list[dict[str, Any]]:
    """Every active agent plus anyone with activity in the period, busiest first."""
    frt, resolved = _event_seconds(db_session, bucket, filters)
    ratings = _ratings(db_session, bucket, filters)
    active = set(frt) | set(resolved) | set(ratings)
    staff = db_session.execute(
        select(StaffUser.id, StaffUser.username, StaffUser.display_name, StaffUser.team).where(
            (StaffUser.id.in_(active) if active else literal_column("1") == 0)
            | ((StaffUser.role == StaffRole.AGENT) & StaffUser.active),
            staff_matches(StaffUser.id, filters),
        )
    ).all()
    rows = []
    for staff_id, username, display_name, team in staff:
        first = frt.get(staff_id, Distribution())
        done = resolved.get(staff_id, Distribution())
        rated, positive = ratings.get(staff_id, [0, 0])
        rows.append(
            {
                "agent_id": staff_id,
                "username": username,
                "display_name": display_name,
                "team": team,
                "handled": done.count,
                "frt_median_seconds": first.median,
                "resolution_median_seconds": done.median,
                "ratings": rated,
                "csat": ratio(positive, rated),
            }
        )
    rows.sort(key=lambda row: (-row["handled"], row["username"]))
    return rows
