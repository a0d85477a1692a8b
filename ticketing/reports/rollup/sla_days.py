"""`report_sla_days`: tickets created per local day with what the SLA report filters and
counts on (category, priority, breached, channel, assignee).

The report's channel, agent and team filters match a ticket when ONE OF its conversations
matches (each filter on its own: one conversation may give the channel, another the agent),
or, for a ticket without a conversation, its own channel and assignee. A ticket whose
conversations all share one (channel, assignee) (the norm: one conversation, or none) is
counted in an aggregated row with that pair; a ticket whose conversations differ gets one row
per distinct pair, marked with its id, so the report can test each filter against any of its
rows and still count the ticket once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Index, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from ticketing.conversations.models import Conversation
from ticketing.db import Base
from ticketing.tickets.models import Ticket, TicketCategory, TicketEvent, TicketPriority
from ticketing.tickets.sla_watch import SLA_BREACHED
from ticketing.types import enum_column


class SlaDay(Base):
    """Tickets created on a local day, by category and priority (as they are now), whether
    they were ever breached (an `sla_breached` step at any time), and the channel and assignee
    of their conversations (a ticket without one: its own). `shared_ticket_id` is set on the
    rows of a ticket whose conversations differ in channel or assignee: one row (of 1 ticket)
    per distinct pair."""

    __tablename__ = "report_sla_days"
    __table_args__ = (Index("ix_report_sla_days_day_channel", "day", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True)
    category: Mapped[TicketCategory] = mapped_column(enum_column(TicketCategory))
    priority: Mapped[TicketPriority] = mapped_column(enum_column(TicketPriority))
    breached: Mapped[bool]
    channel: Mapped[str | None] = mapped_column(String(50))
    agent_id: Mapped[int | None]
    shared_ticket_id: Mapped[int | None]
    tickets: Mapped[int]


def _conversation_pairs(
    db_session: Session, start: datetime, end: datetime
) -> dict[int, set[tuple[str, int | None]]]:
    """The distinct (channel, assignee) of the conversations of each ticket created in
    [start, end)."""
    rows = (
        select(Conversation.ticket_id, Conversation.channel, Conversation.assignee_id)
        .join(Ticket, Ticket.id == Conversation.ticket_id)
        .where(Ticket.created_at >= start, Ticket.created_at < end)
    )
    pairs: dict[int, set[tuple[str, int | None]]] = defaultdict(set)
    for ticket_id, channel, agent in db_session.execute(rows):
        pairs[ticket_id].add((channel, agent))
    return pairs


def sla_days(db_session: Session, start: datetime, end: datetime, zone: ZoneInfo) -> list[SlaDay]:
    """Rollup rows for the tickets created in [start, end)."""
    breached = (
        select(TicketEvent.id)
        .where(TicketEvent.ticket_id == Ticket.id, TicketEvent.kind == SLA_BREACHED)
        .exists()
    )
    tickets = select(
        Ticket.id,
        Ticket.created_at,
        Ticket.category,
        Ticket.priority,
        breached,
        Ticket.channel,
        Ticket.assignee_id,
    ).where(Ticket.created_at >= start, Ticket.created_at < end)
    conversations = _conversation_pairs(db_session, start, end)
    counts: Counter[tuple[Any, ...]] = Counter()
    for ticket_id, created, category, priority, missed, channel, agent in db_session.execute(
        tickets
    ):
        pairs = conversations.get(ticket_id) or {(channel, agent)}
        shared = ticket_id if len(pairs) > 1 else None
        for pair in pairs:
            counts[
                (created.astimezone(zone).date(), category, priority, bool(missed), *pair, shared)
            ] += 1
    return [
        SlaDay(
            day=day,
            category=category,
            priority=priority,
            breached=missed,
            channel=channel,
            agent_id=agent,
            shared_ticket_id=shared,
            tickets=n,
        )
        for (day, category, priority, missed, channel, agent, shared), n in counts.items()
    ]
