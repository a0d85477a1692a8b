"""Top contact reasons: the conversation's stored reason (`conversations.contact_reason`: the
first task the bot recognised, else the handoff ticket's category, or an agent's correction),
else `unrecorded`; counted over conversations started in a period."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session

from ticketing.conversations.models import Conversation
from ticketing.reports.filters import ReportFilter
from ticketing.reports.periods import Bucket
from ticketing.reports.rollup.models import ConversationDay
from ticketing.reports.rollup.reading import in_days, on_filter_columns

TOP = 10
UNRECORDED = "unrecorded"


def reason_of() -> Any:
    """A conversation's contact reason, `unrecorded` when it has none."""
    return func.coalesce(Conversation.contact_reason, literal(UNRECORDED))


def reason_counts(
    db_session: Session, bucket: Bucket, filters: ReportFilter, limit: int | None = TOP
) -> dict[str, int]:
    """Conversations started in `bucket` per reason, most first (read from the rollups)."""
    count = func.sum(ConversationDay.conversations).label("n")
    rows = select(ConversationDay.reason, count).where(
        in_days(ConversationDay.day, bucket.first, bucket.last)
    )
    stmt = (
        on_filter_columns(rows, ConversationDay, filters)
        .group_by(ConversationDay.reason)
        .order_by(count.desc(), ConversationDay.reason)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return {str(name): int(n) for name, n in db_session.execute(stmt)}


def top_reasons(
    db_session: Session, current: Bucket, previous: Bucket, filters: ReportFilter
) -> list[dict[str, Any]]:
    """The top reasons now, each with its count in the previous period and the change."""
    now = reason_counts(db_session, current, filters, limit=None)
    before = reason_counts(db_session, previous, filters, limit=None)
    total = sum(now.values())
    return [
        {
            "reason": name,
            "count": n,
            "share": round(n / total, 4) if total else None,
            "previous_count": before.get(name, 0),
            "change": n - before.get(name, 0),
        }
        for name, n in list(now.items())[:TOP]
    ]
