"""The report filters (channel, ticket category, agent, team) as WHERE clauses on a
conversation, on the staff member behind an event or rating, or on a ticket."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, select, true

from ticketing.conversations.models import Conversation
from ticketing.staff.models import StaffUser
from ticketing.tickets.models import Ticket, TicketCategory


@dataclass(frozen=True)
class ReportFilter:
    """`agent_id` means the conversation's assignee (events: the staff member who acted;
    ratings: the rated agent); `team` means that person is in the team."""

    channel: str | None = None
    category: TicketCategory | None = None
    agent_id: int | None = None
    team: str | None = None

    @property
    def empty(self) -> bool:
        return (
            self.channel is None
            and self.category is None
            and self.agent_id is None
            and self.team is None
        )

    @property
    def by_staff(self) -> bool:
        return self.agent_id is not None or self.team is not None


def staff_matches(staff_id: Any, filters: ReportFilter) -> ColumnElement[bool]:
    """`staff_id` (a column holding a staff member's id) passes the agent and team filters."""
    conditions: list[ColumnElement[bool]] = []
    if filters.agent_id is not None:
        conditions.append(staff_id == filters.agent_id)
    if filters.team is not None:
        members = select(StaffUser.id).where(StaffUser.team == filters.team)
        conditions.append(staff_id.in_(members))
    return and_(true(), *conditions)


def by_staff(stmt: Select[Any], staff_id: Any, filters: ReportFilter) -> Select[Any]:
    """Restrict a statement by the agent and team of the staff member in `staff_id`."""
    return stmt.where(staff_matches(staff_id, filters)) if filters.by_staff else stmt


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
    if agent:
        stmt = by_staff(stmt, Conversation.assignee_id, filters)
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


def _conversation_or_ticket(
    on_conversation: ColumnElement[bool], on_ticket: ColumnElement[bool]
) -> ColumnElement[bool]:
    """True when one of the ticket's conversations passes `on_conversation`; a ticket without
    a conversation must pass `on_ticket` instead."""
    linked = Conversation.ticket_id == Ticket.id
    has_conversation = select(Conversation.id).where(linked).exists()
    matching = select(Conversation.id).where(linked, on_conversation).exists()
    return matching | (~has_conversation & on_ticket)


def on_ticket(stmt: Select[Any], filters: ReportFilter) -> Select[Any]:
    """Restrict a statement that selects from `tickets`: category is the ticket's own; channel,
    agent and team are those of its conversation (the conversation's assignee, who keeps it
    when an SLA escalation hands the ticket to a team lead), or for a ticket opened outside a
    conversation, the ticket's own channel and assignee."""
    if filters.category is not None:
        stmt = stmt.where(Ticket.category == filters.category)
    if filters.channel is not None:
        stmt = stmt.where(
            _conversation_or_ticket(
                Conversation.channel == filters.channel, Ticket.channel == filters.channel
            )
        )
    if filters.by_staff:
        stmt = stmt.where(
            _conversation_or_ticket(
                staff_matches(Conversation.assignee_id, filters),
                staff_matches(Ticket.assignee_id, filters),
            )
        )
    return stmt
