"""Building `report_conversation_days` rows from the conversations started in a UTC interval."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ticketing.conversations.models import Conversation, ConversationEvent
from ticketing.reports.reasons import reason_of
from ticketing.reports.rollup.models import ConversationDay
from ticketing.tickets.models import Ticket

REASON_LENGTH = 200


def _first(kind: str) -> Any:
    return (
        select(func.min(ConversationEvent.at))
        .where(ConversationEvent.conversation_id == Conversation.id, ConversationEvent.kind == kind)
        .scalar_subquery()
    )


def _local_day(moment: datetime | None, zone: ZoneInfo) -> date | None:
    return None if moment is None else moment.astimezone(zone).date()


def conversation_days(
    db_session: Session, start: datetime, end: datetime, zone: ZoneInfo
) -> list[ConversationDay]:
    """Rollup rows for the conversations created in [start, end)."""
    rows = (
        select(
            Conversation.created_at,
            Conversation.channel,
            Ticket.category,
            Conversation.assignee_id,
            reason_of(),
            _first("bot_handoff"),
            _first("bot_resolved"),
        )
        .select_from(Conversation)
        .outerjoin(Ticket, Ticket.id == Conversation.ticket_id)
        .where(Conversation.created_at >= start, Conversation.created_at < end)
    )
    counts: Counter[tuple[Any, ...]] = Counter()
    for created, channel, category, agent, reason, handoff, resolved in db_session.execute(rows):
        key = (
            _local_day(created, zone),
            channel,
            category,
            agent,
            str(reason)[:REASON_LENGTH],
            _local_day(handoff, zone),
            _local_day(resolved, zone),
        )
        counts[key] += 1
    return [
        ConversationDay(
            day=day,
            channel=channel,
            category=category,
            agent_id=agent,
            reason=reason,
            handoff_day=handoff,
            bot_resolved_day=resolved,
            conversations=n,
        )
        for (day, channel, category, agent, reason, handoff, resolved), n in counts.items()
    ]
