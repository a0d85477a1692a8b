"""The per-agent table: each person's team, the conversations they resolved, their first
response and resolution times, and the CSAT of the ratings attributed to them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, literal_column, select
from sqlalchemy.orm import Session

from ticketing.conversations.models import ConversationEvent
from ticketing.feedback.models import CsatRating
from ticketing.reports.counting import in_range
from ticketing.reports.filters import ReportFilter, on_conversation_id, staff_matches
from ticketing.reports.periods import Bucket
from ticketing.reports.sqlmath import Distribution, distributions, ratio
from ticketing.staff.models import StaffRole, StaffUser


def _event_seconds(
    db_session: Session, kind: str, bucket: Bucket, filters: ReportFilter
) -> dict[int, Distribution]:
    event = ConversationEvent
    seconds = event.data["seconds"].as_float()
    pairs = select(event.staff_id, seconds).where(
        event.kind == kind,
        event.staff_id.is_not(None),
        seconds.is_not(None),
        in_range(event.at, [bucket]),
    )
    return distributions(db_session, on_conversation_id(pairs, event.conversation_id, filters))


def _ratings(db_session: Session, bucket: Bucket, filters: ReportFilter) -> dict[int, list[int]]:
    stmt = select(
        CsatRating.agent_id,
        func.count(),
        func.coalesce(func.sum(case((CsatRating.score >= 4, 1), else_=0)), 0),
    ).where(CsatRating.agent_id.is_not(None), in_range(CsatRating.created_at, [bucket]))
    if filters.channel is not None:
        stmt = stmt.where(CsatRating.channel == filters.channel)
    if filters.category is not None:
        stmt = stmt.where(CsatRating.category == filters.category)
    return {
        int(agent): [int(n), int(good)]
        for agent, n, good in db_session.execute(stmt.group_by(CsatRating.agent_id))
    }


def agent_table(db_session: Session, bucket: Bucket, filters: ReportFilter) -> list[dict[str, Any]]:
    """Every active agent plus anyone with activity in the period, busiest first."""
    frt = _event_seconds(db_session, "first_human_reply", bucket, filters)
    resolved = _event_seconds(db_session, "resolved", bucket, filters)
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
