"""Backlog: conversations with a person (owner `human`) at the end of each bucket.

Every stay with a person starts with one `bot_handoff` and ends with one `resolved` or
`handed_back`, so the backlog at a moment is handoffs minus endings before it: two indexed
counts instead of replaying each conversation's history.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ticketing.conversations.models import Conversation, ConversationEvent
from ticketing.reports.counting import in_range, sums_by_bucket
from ticketing.reports.filters import ReportFilter, by_staff, on_conversation_id
from ticketing.reports.periods import Bucket, bucket_index

ENDINGS = ("resolved", "handed_back")


def _filtered(stmt: Any, filters: ReportFilter) -> Any:
    event = ConversationEvent
    stmt = on_conversation_id(stmt, event.conversation_id, filters)
    if filters.by_staff:  # the conversation's (last) assignee
        mine = by_staff(select(Conversation.id), Conversation.assignee_id, filters)
        stmt = stmt.where(event.conversation_id.in_(mine))
    return stmt


def _change() -> Any:
    return case((ConversationEvent.kind == "bot_handoff", 1), else_=-1)


def backlog(
    db_session: Session, buckets: list[Bucket], filters: ReportFilter
) -> list[dict[str, Any]]:
    event = ConversationEvent
    kinds = event.kind.in_(("bot_handoff", *ENDINGS))
    before = select(func.coalesce(func.sum(_change()), 0)).where(kinds, event.at < buckets[0].start)
    running = int(db_session.scalar(_filtered(before, filters)) or 0)
    rows = select(bucket_index(event.at, buckets), _change()).where(
        kinds, in_range(event.at, buckets)
    )
    changes = sums_by_bucket(db_session, _filtered(rows, filters))
    result = []
    for index in range(len(buckets)):
        running += changes.get(index, [0, 0])[1]
        result.append({"backlog": running})
    return result
