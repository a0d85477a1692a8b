"""Customer satisfaction (CSAT): one 1-5 rating per conversation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ticketing.db import Base, utcnow
from ticketing.staff.models import StaffUser
from ticketing.tickets.models import Ticket, TicketCategory
from ticketing.types import enum_column


class CsatRating(Base):
    """A rating with what it is about: the ticket, its category and agent, when known."""

    __tablename__ = "csat_ratings"
    __table_args__ = (CheckConstraint("score >= 1 AND score <= 5", name="score_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(200), unique=True, index=True)
    score: Mapped[int]
    comment: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[str | None] = mapped_column(String(50))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    category: Mapped[TicketCategory | None] = mapped_column(enum_column(TicketCategory))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    ticket: Mapped[Ticket | None] = relationship()
    agent: Mapped[StaffUser | None] = relationship()
