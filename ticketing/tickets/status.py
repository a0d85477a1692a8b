"""Changing a ticket's status with a `status_changed` step in its history (the SLA clock's
pauses are read back from these steps): by an agent, and back to open when the customer
writes while the ticket waits on them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ticketing.errors import InvalidInputError, NotAllowedError
from ticketing.tickets.models import DONE_STATUSES, Ticket, TicketStatus
from ticketing.tickets.service import add_event

STATUS_CHANGED = "status_changed"
CUSTOMER_ACTOR = "customer"
# What an agent sets by hand; resolving goes through the conversation (which asks for a rating).
AGENT_STATUSES = (TicketStatus.OPEN, TicketStatus.PENDING_CUSTOMER, TicketStatus.PENDING_INTERNAL)


def set_status(*, ticket: Ticket, status: TicketStatus, now: datetime, actor: str) -> bool:
    """Move the ticket to `status`, recorded; whether anything changed."""
    if ticket.status == status:
        return False
    previous = ticket.status
    ticket.status = status
    ticket.updated_at = now
    add_event(
        ticket=ticket,
        kind=STATUS_CHANGED,
        actor=actor,
        now=now,
        data={"from": previous.value, "to": status.value},
    )
    return True


def agent_status(value: str) -> TicketStatus:
    """The status an agent asked for, if an agent may set it."""
    allowed = ", ".join(status.value for status in AGENT_STATUSES)
    try:
        status = TicketStatus(value.strip().lower())
    except ValueError:
        status = None
    if status is None or status not in AGENT_STATUSES:
        raise InvalidInputError(
            f"{value!r} is not a status an agent can set; choose one of {allowed} "
            "(resolve the conversation to resolve its ticket).",
            code="bad_ticket_status",
        )
    return status


def lock_ticket(db_session: Session, ticket_id: int) -> Ticket | None:
    """The ticket, re-read and row-locked until commit (PostgreSQL; SQLite writers already run
    one at a time), so an agent's change and a customer's message apply one after the other."""
    query = select(Ticket).where(Ticket.id == ticket_id).with_for_update()
    return db_session.scalar(query.execution_options(populate_existing=True))


def set_by_agent(
    db_session: Session, *, ticket_id: int, status: TicketStatus, now: datetime, actor: str
) -> Ticket:
    """An agent sets a running ticket to open, pending_customer (pauses its SLA clock) or
    pending_internal."""
    ticket = lock_ticket(db_session, ticket_id)
    if ticket is None:
        raise NotAllowedError("This conversation has no ticket.", code="no_ticket")
    if ticket.status in DONE_STATUSES:
        raise NotAllowedError(
            f"Ticket {ticket.number} is {ticket.status.value}; its status can't change any more "
            "(a new message from the customer opens the conversation again).",
            code="ticket_done",
        )
    set_status(ticket=ticket, status=status, now=now, actor=actor)
    return ticket


def resume_on_customer_message(
    db_session: Session, *, ticket_id: int | None, now: datetime
) -> bool:
    """The customer wrote: a ticket waiting on them goes back to open (actor `customer`), so
    its SLA clock runs again. Whether it did."""
    if ticket_id is None:
        return False
    ticket = db_session.get(Ticket, ticket_id)
    if ticket is None or ticket.status != TicketStatus.PENDING_CUSTOMER:
        return False  # the usual case, without a lock
    ticket = lock_ticket(db_session, ticket_id)
    if ticket is None or ticket.status != TicketStatus.PENDING_CUSTOMER:
        return False
    return set_status(ticket=ticket, status=TicketStatus.OPEN, now=now, actor=CUSTOMER_ACTOR)
