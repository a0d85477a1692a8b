"""The rollup tables: marks of changed days, the state of the build, and the conversations
started per local day."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ticketing.db import Base, utcnow
from ticketing.tickets.models import TicketCategory
from ticketing.types import enum_column


class RollupMark(Base):
    """A UTC day whose rows changed since the rollups were refreshed. Writers only append;
    the refresh deletes exactly the marks it has read, so a mark written meanwhile survives."""

    __tablename__ = "report_rollup_marks"

    id: Mapped[int] = mapped_column(primary_key=True)
    utc_day: Mapped[date]


class RollupState(Base):
    """One row: the timezone the rollups' local days are in, and when they were last built."""

    __tablename__ = "report_rollup_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    timezone: Mapped[str] = mapped_column(String(64))
    built_at: Mapped[datetime] = mapped_column(default=utcnow)


class ConversationDay(Base):
    """Conversations started on a local day, by the filters the reports offer (channel, the
    ticket's category, the assignee), the contact reason, and the local days of their first
    handoff and first bot resolution (None: not yet)."""

    __tablename__ = "report_conversation_days"
    __table_args__ = (Index("ix_report_conversation_days_day_channel", "day", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True)
    channel: Mapped[str] = mapped_column(String(50))
    category: Mapped[TicketCategory | None] = mapped_column(enum_column(TicketCategory))
    agent_id: Mapped[int | None]
    reason: Mapped[str] = mapped_column(String(200))
    handoff_day: Mapped[date | None]
    bot_resolved_day: Mapped[date | None]
    conversations: Mapped[int]
