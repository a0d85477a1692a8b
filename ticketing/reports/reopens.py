"""Reopened rate: of the conversations resolved in a bucket, how many the customer reopened
after that resolution (by the end of the report's range)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ticketing.conversations.models import ConversationEvent
from ticketing.reports.counting import in_range, sums_by_bucket
from ticketing.reports.filters import ReportFilter, by_staff, on_conversation_id
from ticketing.reports.periods import Bucket, bucket_index
from ticketing.reports.sqlmath import ratio

RESOLUTIONS = ("resolved", "bot_resolved")


def reopens(
    db_session: Session, buckets: list[Bucket], filters: ReportFilter
) -> list[dict[str, Any]]:
    event = ConversationEvent
    resolutions = select(
        event.conversation_id.label("conversation_id"),
        bucket_index(event.at, buckets).label("bucket"),
        event.at.label("at"),
    ).where(event.kind.in_(RESOLUTIONS), in_range(event.at, buckets))
    resolutions = on_conversation_id(resolutions, event.conversation_id, filters)
    resolutions = by_staff(resolutions, event.staff_id, filters)
    each = resolutions.subquery()
    first = (
        select(each.c.conversation_id, each.c.bucket, func.min(each.c.at).label("at"))
        .group_by(each.c.conversation_id, each.c.bucket)
        .subquery()
    )
    reopened = (
        select(event.id)
        .where(
            event.conversation_id == first.c.conversation_id,
            event.kind == "reopened",
            event.at > first.c.at,
            event.at < buckets[-1].end,
        )
        .exists()
    )
    counts = sums_by_bucket(db_session, select(first.c.bucket, case((reopened, 1), else_=0)))
    result = []
    for index in range(len(buckets)):
        resolved, again = counts.get(index, [0, 0])
        result.append(
            {
                "resolved_conversations": resolved,
                "reopened": again,
                "reopened_rate": ratio(again, resolved),
            }
        )
    return result
