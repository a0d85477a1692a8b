"""`report_resolution_days`: resolution times (created -> last resolution) of the conversations
that are resolved or closed, on the local day of that resolution."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from ticketing.conversations.models import Conversation, Owner
from ticketing.db import Base
from ticketing.tickets.models import Ticket, TicketCategory
from ticketing.types import enum_column

DONE = (Owner.RESOLVED, Owner.CLOSED)


class ResolutionDay(Base):
    """One conversation resolved (resolved_at) on a local day and still resolved or closed,
    with its channel, the category of its ticket, the assignee and the resolution time."""

    __tablename__ = "report_resolution_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True)
    channel: Mapped[str] = mapped_column(String(50))
    category: Mapped[TicketCategory | None] = mapped_column(enum_column(TicketCategory))
    agent_id: Mapped[int | None]
    seconds: Mapped[float]


def resolution_days(
    db_session: Session, start: datetime, end: datetime, zone: ZoneInfo
) -> list[ResolutionDay]:
    """Rollup rows for the resolved or closed conversations whose resolved_at is in
    [start, end)."""
    rows = (
        select(
            Conversation.created_at,
            Conversation.resolved_at,
            Conversation.channel,
            Ticket.category,
            Conversation.assignee_id,
        )
        .outerjoin(Ticket, Ticket.id == Conversation.ticket_id)
        .where(
            Conversation.resolved_at >= start,
            Conversation.resolved_at < end,
            Conversation.owner.in_(DONE),
        )
    )
    return [
        ResolutionDay(
            day=resolved.astimezone(zone).date(),
            channel=channel,
            category=category,
            agent_id=agent,
            seconds=(resolved - created).total_seconds(),
        )
        for created, resolved, channel, category, agent in db_session.execute(rows)
    ]
