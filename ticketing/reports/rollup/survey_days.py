"""`report_survey_days`: the CSAT surveys sent (`csat_requested` events) per local day, by the
conversation's channel, its ticket's current category and the staff member who sent them."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from ticketing.conversations.models import Conversation, ConversationEvent
from ticketing.db import Base
from ticketing.tickets.models import Ticket, TicketCategory
from ticketing.types import enum_column

SURVEY = "csat_requested"


class SurveyDay(Base):
    """CSAT surveys sent on a local day, by the conversation's channel, the category of the
    conversation's ticket (None: no ticket) and `agent_id`, the staff member who sent it (None:
    the bot)."""

    __tablename__ = "report_survey_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True)
    channel: Mapped[str | None] = mapped_column(String(50))
    category: Mapped[TicketCategory | None] = mapped_column(enum_column(TicketCategory))
    agent_id: Mapped[int | None]
    surveys: Mapped[int]


def survey_days(
    db_session: Session, start: datetime, end: datetime, zone: ZoneInfo
) -> list[SurveyDay]:
    """Rollup rows for the surveys sent in [start, end)."""
    event = ConversationEvent
    rows = (
        select(event.at, Conversation.channel, Ticket.category, event.staff_id)
        .select_from(event)
        .outerjoin(Conversation, Conversation.id == event.conversation_id)
        .outerjoin(Ticket, Ticket.id == Conversation.ticket_id)
        .where(event.kind == SURVEY, event.at >= start, event.at < end)
    )
    counts: Counter[tuple[Any, ...]] = Counter()
    for moment, channel, category, staff_id in db_session.execute(rows):
        counts[moment.astimezone(zone).date(), channel, category, staff_id] += 1
    return [
        SurveyDay(day=day, channel=channel, category=category, agent_id=agent, surveys=n)
        for (day, channel, category, agent), n in counts.items()
    ]
