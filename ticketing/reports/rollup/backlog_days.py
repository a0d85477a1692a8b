"""`report_backlog_days`: the net change of the backlog (conversations with a person) per local
day, by the filters the backlog offers."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Index, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from ticketing.conversations.models import Conversation, ConversationEvent
from ticketing.db import Base
from ticketing.tickets.models import Ticket, TicketCategory
from ticketing.types import enum_column

HANDOFF = "bot_handoff"
ENDINGS = ("resolved", "handed_back")


class BacklogDay(Base):
    """Handoffs minus endings (`resolved`, `handed_back`) on a local day, by the conversation's
    channel, its ticket's category and its assignee, all as they are now. The backlog at the
    start of a day is the sum of every day before it."""

    __tablename__ = "report_backlog_days"
    __table_args__ = (Index("ix_report_backlog_days_day_channel", "day", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True)
    channel: Mapped[str] = mapped_column(String(50))
    category: Mapped[TicketCategory | None] = mapped_column(enum_column(TicketCategory))
    agent_id: Mapped[int | None]
    net_change: Mapped[int]


def backlog_days(
    db_session: Session, start: datetime, end: datetime, zone: ZoneInfo
) -> list[BacklogDay]:
    """Rollup rows for the handoffs and endings in [start, end) (days with no net change
    are left out)."""
    event = ConversationEvent
    rows = (
        select(
            event.at, event.kind, Conversation.channel, Ticket.category, Conversation.assignee_id
        )
        .select_from(event)
        .join(Conversation, Conversation.id == event.conversation_id)
        .outerjoin(Ticket, Ticket.id == Conversation.ticket_id)
        .where(event.kind.in_((HANDOFF, *ENDINGS)), event.at >= start, event.at < end)
    )
    changes: Counter[tuple[Any, ...]] = Counter()
    for moment, kind, channel, category, agent in db_session.execute(rows):
        changes[(moment.astimezone(zone).date(), channel, category, agent)] += (
            1 if kind == HANDOFF else -1
        )
    return [
        BacklogDay(day=day, channel=channel, category=category, agent_id=agent, net_change=n)
        for (day, channel, category, agent), n in changes.items()
        if n != 0
    ]
