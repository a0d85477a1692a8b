"""`report_message_days`: customer messages and the ones the bot did not understand, per local
day, for the training section's fallback rate (read from the raw messages, it took 17 s at
1,000,000 conversations)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Mapped, Session, mapped_column

from ticketing.conversations.models import ConversationEvent, Message, Sender
from ticketing.db import Base
from ticketing.training.inbox import MISS_EVENT


class MessageDay(Base):
    """Messages customers sent on a local day, in any conversation (buttons included), and
    how many of them the bot did not understand (`bot_misunderstood` events, one per
    message)."""

    __tablename__ = "report_message_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True)
    customer_messages: Mapped[int]
    misunderstood: Mapped[int]


def message_days(
    db_session: Session, start: datetime, end: datetime, zone: ZoneInfo
) -> list[MessageDay]:
    """Rollup rows for the local days of [start, end)."""
    messages: Counter[date] = Counter(
        moment.astimezone(zone).date()
        for moment in db_session.scalars(
            select(Message.created_at).where(
                Message.created_at >= start,
                Message.created_at < end,
                Message.sender == Sender.CUSTOMER,
            )
        )
    )
    misses: Counter[date] = Counter(
        moment.astimezone(zone).date()
        for moment in db_session.scalars(
            select(ConversationEvent.at).where(
                ConversationEvent.kind == MISS_EVENT,
                ConversationEvent.at >= start,
                ConversationEvent.at < end,
            )
        )
    )
    return [
        MessageDay(day=day, customer_messages=messages[day], misunderstood=misses[day])
        for day in sorted(messages.keys() | misses.keys())
    ]
