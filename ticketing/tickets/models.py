"""Support tickets and their history: opened by the bot, by a handoff, or by an agent."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ticketing.customers.models import Customer
from ticketing.db import Base, utcnow
from ticketing.orders.models import Order
from ticketing.staff.models import StaffUser
from ticketing.types import enum_column


class TicketCategory(enum.StrEnum):
    PRODUCT_QUALITY = "product_quality"
    LOGISTICS = "logistics"
    AFTER_SALES = "after_sales"
    PAYMENT = "payment"
    OTHER = "other"


class TicketPriority(enum.StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class TicketStatus(enum.StrEnum):
    NEW = "new"
    OPEN = "open"
    PENDING_CUSTOMER = "pending_customer"
    PENDING_INTERNAL = "pending_internal"
    RESOLVED = "resolved"
    CLOSED = "closed"


class TicketSource(enum.StrEnum):
    BOT = "bot"
    HANDOFF = "handoff"
    AGENT = "agent"


DONE_STATUSES = frozenset({TicketStatus.RESOLVED, TicketStatus.CLOSED})


class Ticket(Base):
    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True, index=True)
    category: Mapped[TicketCategory] = mapped_column(enum_column(TicketCategory), index=True)
    priority: Mapped[TicketPriority] = mapped_column(enum_column(TicketPriority), index=True)
    status: Mapped[TicketStatus] = mapped_column(enum_column(TicketStatus), index=True)
    source: Mapped[TicketSource] = mapped_column(enum_column(TicketSource))
    subject: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    conversation_id: Mapped[str | None] = mapped_column(String(200), index=True)
    channel: Mapped[str | None] = mapped_column(String(50))
    context: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)  # SLA reports
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    order: Mapped[Order | None] = relationship()
    customer: Mapped[Customer | None] = relationship()
    assignee: Mapped[StaffUser | None] = relationship()
    events: Mapped[list[TicketEvent]] = relationship(
        back_populates="ticket", order_by="TicketEvent.id", cascade="all, delete-orphan"
    )


class TicketEvent(Base):
    """One step in a ticket's history (`created`, `handoff_repeated`, `priority_raised`, ...)."""

    __tablename__ = "ticket_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(50))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    ticket: Mapped[Ticket] = relationship(back_populates="events")
