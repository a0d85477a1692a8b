"""`report_nps_days`: the NPS answers given per local day, by the answer's channel, its
conversation's ticket's current category and the agent it rates."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from ticketing.conversations.models import Conversation
from ticketing.db import Base
from ticketing.feedback.nps_models import DETRACTOR_MAX, PROMOTER_MIN, NpsAnswer
from ticketing.tickets.models import Ticket, TicketCategory
from ticketing.types import enum_column


class NpsDay(Base):
    """NPS answers given on a local day, by the answer's channel, the category of its
    conversation's ticket (None: no ticket) and the agent it rates: how many, and how many
    promoters (9-10) and detractors (0-6) among them."""

    __tablename__ = "report_nps_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True)
    channel: Mapped[str] = mapped_column(String(50))
    category: Mapped[TicketCategory | None] = mapped_column(enum_column(TicketCategory))
    agent_id: Mapped[int | None]
    answers: Mapped[int]
    promoters: Mapped[int]
    detractors: Mapped[int]


def nps_days(db_session: Session, start: datetime, end: datetime, zone: ZoneInfo) -> list[NpsDay]:
    """Rollup rows for the answers given in [start, end)."""
    rows = (
        select(
            NpsAnswer.created_at,
            NpsAnswer.channel,
            Ticket.category,
            NpsAnswer.agent_id,
            NpsAnswer.score,
        )
        .select_from(NpsAnswer)
        .outerjoin(Conversation, Conversation.id == NpsAnswer.conversation_id)
        .outerjoin(Ticket, Ticket.id == Conversation.ticket_id)
        .where(NpsAnswer.created_at >= start, NpsAnswer.created_at < end)
    )
    counts: dict[tuple[Any, ...], list[int]] = {}
    for created, channel, category, agent, score in db_session.execute(rows):
        key = (created.astimezone(zone).date(), channel, category, agent)
        tally = counts.setdefault(key, [0, 0, 0])
        tally[0] += 1
        tally[1] += score >= PROMOTER_MIN
        tally[2] += score <= DETRACTOR_MAX
    return [
        NpsDay(
            day=day,
            channel=channel,
            category=category,
            agent_id=agent,
            answers=answers,
            promoters=promoters,
            detractors=detractors,
        )
        for (day, channel, category, agent), (answers, promoters, detractors) in counts.items()
    ]
