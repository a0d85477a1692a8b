"""The report filters (channel, ticket category, agent) as WHERE clauses on a conversation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, select

from ticketing.conversations.models import Conversation
from ticketing.tickets.models import Ticket, TicketCategory


@dataclass(frozen=True)
class ReportFilter:
    """`agent_id` means the conversation's assignee (events: the staff member who acted)."""

    channel: str | None = None
    category: TicketCategory | None = None
    agent_id: int | None = None

    @property
    def empty(self) -> bool:
        return self.channel is None and self.category is None and self.agent_id is None


def _category_of(conversation_id: Any, category: TicketCategory) -> ColumnElement[bool]:
    ticket_ids = select(Ticket.id).where(Ticket.category == category)
    return (
        select(Conversation.id)
        .where(Conversation.id == conversation_id, Conversation.ticket_id.in_(ticket_ids))
        .exists()
    )


def on_conversation(stmt: Select[Any], filters: ReportFilter, *, agent: bool = True) -> Select[Any]:
    """Restrict a statement that selects from `conversations`."""
    if filters.channel is not None:
        stmt = stmt.where(Conversation.channel == filters.channel)
    if filters.category is not None:
        tickets = select(Ticket.id).where(Ticket.category == filters.category)
        stmt = stmt.where(Conversation.ticket_id.in_(tickets))
    if agent and filters.agent_id is not None:
        stmt = stmt.where(Conversation.assignee_id == filters.agent_id)
    return stmt


def on_conversation_id(
    stmt: Select[Any], conversation_id: Any, filters: ReportFilter
) -> Select[Any]:
    """Restrict a statement on another table by the channel and category of its conversation."""
    if filters.channel is not None:
        channel_ids = select(Conversation.id).where(Conversation.channel == filters.channel)
        stmt = stmt.where(conversation_id.in_(channel_ids))
    if filters.category is not None:
        stmt = stmt.where(_category_of(conversation_id, filters.category))
    return stmt
