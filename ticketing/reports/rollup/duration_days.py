"""`report_duration_days`: first response times and agents' resolution times, from the
conversation events that carry them (`first_human_reply`, `resolved`, with data.seconds)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from ticketing.conversations.models import Conversation, ConversationEvent
from ticketing.db import Base
from ticketing.tickets.models import Ticket, TicketCategory
from ticketing.types import enum_column

FIRST_REPLY = "first_human_reply"
AGENT_RESOLVED = "resolved"


class DurationDay(Base):
    """One event of a kind on a local day, with the channel of its conversation, the category
    of its ticket (now), the staff member who acted and its duration (data.seconds). One row
    per event: at a million conversations equal durations on a day of the same channel,
    category and person are too rare for counted values to save rows, and the database finds
    medians fastest over plain values."""

    __tablename__ = "report_duration_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(50))
    channel: Mapped[str] = mapped_column(String(50))
    category: Mapped[TicketCategory | None] = mapped_column(enum_column(TicketCategory))
    staff_id: Mapped[int | None]
    seconds: Mapped[float]


def duration_days(
    db_session: Session, start: datetime, end: datetime, zone: ZoneInfo
) -> list[DurationDay]:
    """Rollup rows for the first replies and agent resolutions with a duration in [start, end)."""
    event = ConversationEvent
    seconds = event.data["seconds"].as_float()
    rows = (
        select(event.at, event.kind, Conversation.channel, Ticket.category, event.staff_id, seconds)
        .join(Conversation, Conversation.id == event.conversation_id)
        .outerjoin(Ticket, Ticket.id == Conversation.ticket_id)
        .where(
            event.kind.in_((FIRST_REPLY, AGENT_RESOLVED)),
            event.at >= start,
            event.at < end,
            seconds.is_not(None),
        )
    )
    return [
        DurationDay(
            day=at.astimezone(zone).date(),
            kind=kind,
            channel=channel,
            category=category,
            staff_id=staff,
            seconds=float(value),
        )
        for at, kind, channel, category, staff, value in db_session.execute(rows)
    ]
