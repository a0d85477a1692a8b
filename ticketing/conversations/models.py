"""Conversations, every message in and out, and the events reports are computed from."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ticketing.customers.models import Customer
from ticketing.db import Base, utcnow
from ticketing.staff.models import StaffUser
from ticketing.tickets.models import Ticket
from ticketing.types import enum_column


class Owner(enum.StrEnum):
    """Who answers the customer: the bot, a person, or nobody until the customer writes again."""

    BOT = "bot"
    HUMAN = "human"
    RESOLVED = "resolved"
    CLOSED = "closed"


class Direction(enum.StrEnum):
    IN = "in"
    OUT = "out"


class Sender(enum.StrEnum):
    CUSTOMER = "customer"
    BOT = "bot"
    AGENT = "agent"
    SYSTEM = "system"


class CsatState(enum.StrEnum):
    """Where the satisfaction question stands for the current resolution."""

    NONE = "none"
    ASKED = "asked"
    COMMENT = "comment"
    DONE = "done"


class Conversation(Base):
    __tablename__ = "conversations"
    __table_args__ = (
        UniqueConstraint("channel", "external_id"),
        # the at-risk customers' complaints: a few reasons in a period, by customer (covering)
        Index(
            "ix_conversations_contact_reason_created_at",
            "contact_reason",
            "created_at",
            "customer_id",
        ),
    )

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    channel: Mapped[str] = mapped_column(String(50), index=True)
    external_id: Mapped[str] = mapped_column(String(200))
    owner: Mapped[Owner] = mapped_column(enum_column(Owner), index=True)
    csat_state: Mapped[CsatState] = mapped_column(enum_column(CsatState), default=CsatState.NONE)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    context: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    handed_off_at: Mapped[datetime | None]
    first_human_reply_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None] = mapped_column(index=True)
    last_message_at: Mapped[datetime | None]
    # set while the NPS question waits for its answer (the asking's time names the answer)
    nps_asked_at: Mapped[datetime | None]
    # why the customer got in touch (`contact_reason.py`): the first task the bot recognised,
    # else the handoff ticket's category; an agent can correct it. `source` says which.
    contact_reason: Mapped[str | None] = mapped_column(String(100))
    contact_reason_source: Mapped[str | None] = mapped_column(String(20))
    # the address a customer left in the web chat for a reply by email while the team was
    # away (`followup_email.py`); nothing sends mail: an agent writes from their own mailbox
    followup_email: Mapped[str | None] = mapped_column(String(320))
    followup_email_at: Mapped[datetime | None]

    customer: Mapped[Customer | None] = relationship()
    ticket: Mapped[Ticket | None] = relationship()
    assignee: Mapped[StaffUser | None] = relationship()


class Message(Base):
    """One message. `client_message_id` makes a channel's retry a no-op instead of a duplicate."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("conversation_id", "client_message_id"),
        # the reports' customer messages per day (report_message_days)
        Index("ix_messages_created_at_sender", "created_at", "sender"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    direction: Mapped[Direction] = mapped_column(enum_column(Direction))
    sender: Mapped[Sender] = mapped_column(enum_column(Sender))
    sender_name: Mapped[str | None] = mapped_column(String(200))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    text: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    client_message_id: Mapped[str | None] = mapped_column(String(200))
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ConversationEvent(Base):
    """`created`, `bot_handoff`, `agent_assigned`, `first_human_reply`, `resolved`,
    `bot_resolved`, `reopened`, `handed_back`, `csat_requested`, `csat_submitted`,
    `nps_requested`, `nps_submitted`, `note`..."""

    __tablename__ = "conversation_events"
    # The reports' queries: events of a kind in a period, per conversation, per agent.
    __table_args__ = (
        Index("ix_conversation_events_kind_at", "kind", "at"),
        Index("ix_conversation_events_conversation_kind_at", "conversation_id", "kind", "at"),
        Index("ix_conversation_events_staff_kind_at", "staff_id", "kind", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(50), index=True)
    actor: Mapped[str] = mapped_column(String(100))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
