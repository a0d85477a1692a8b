"""Conversations started, how many the bot contained and how many it handed to a person."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from ticketing.conversations.models import Conversation, ConversationEvent
from ticketing.reports.counting import in_range, sums_by_bucket
from ticketing.reports.filters import ReportFilter, on_conversation
from ticketing.reports.periods import Bucket, bucket_index
from ticketing.reports.sqlmath import ratio


def _had(kind: str, before: Any) -> Any:
    return (
        select(ConversationEvent.id)
        .where(
            ConversationEvent.conversation_id == Conversation.id,
            ConversationEvent.kind == kind,
            ConversationEvent.at < before,
        )
        .exists()
    )


def volume(
    db_session: Session, buckets: list[Bucket], filters: ReportFilter
) -> list[dict[str, Any]]:
    """Every conversation starts with the bot, so all started conversations are bot
    conversations. Contained: the bot resolved it and it was never handed off (by range end)."""
    end = buckets[-1].end
    handed_off = _had("bot_handoff", end)
    rows = select(
        bucket_index(Conversation.created_at, buckets),
        case((handed_off, 1), else_=0),
        case((_had("bot_resolved", end) & ~handed_off, 1), else_=0),
    ).where(in_range(Conversation.created_at, buckets))
    counts = sums_by_bucket(db_session, on_conversation(rows, filters))
    result = []
    for index in range(len(buckets)):
        total, handoffs, contained = counts.get(index, [0, 0, 0])
        result.append(
            {
                "conversations": total,
                "handed_off": handoffs,
                "handoff_rate": ratio(handoffs, total),
                "contained": contained,
                "containment_rate": ratio(contained, total),
            }
        )
    return result
