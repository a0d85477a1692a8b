"""Opening tickets, their history, and reading them back for the bot or an agent."""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ticketing.audit import service as audit_service
from ticketing.conversations import bot_record
from ticketing.conversations.models import Conversation
from ticketing.customers.models import Customer, CustomerTier
from ticketing.errors import NotFoundError
from ticketing.orders import service as orders_service
from ticketing.orders.models import Order
from ticketing.orders.numbers import normalise_order_number
from ticketing.orders.oms import OrderSystem
from ticketing.policy.schemas import Policy
from ticketing.tickets import masking, sla
from ticketing.tickets.access import Caller
from ticketing.tickets.models import (
    Ticket,
    TicketCategory,
    TicketEvent,
    TicketPriority,
    TicketSource,
    TicketStatus,
)
from ticketing.tickets.priority import PRIORITY_ORDER, Severity, ticket_priority
from ticketing.tickets.schemas import TicketCreate, TicketEventRead, TicketRead

_DIGITS_ONLY = re.compile(r"\d{6}")


def normalise_ticket_number(raw: str) -> str:
    """'t-123456', ' T-123456 ' and '123456' all mean T-123456."""
    cleaned = raw.strip().upper()[:32]
    return f"T-{cleaned}" if _DIGITS_ONLY.fullmatch(cleaned) else cleaned


def _not_found(number: str) -> NotFoundError:
    return NotFoundError(f"We couldn't find ticket {number}.", code="ticket_not_found")


def get_by_number_or_raise(*, db_session: Session, number: str) -> Ticket:
    """The ticket with this number, with its history."""
    wanted = normalise_ticket_number(number)
    query = select(Ticket).where(Ticket.number == wanted).options(selectinload(Ticket.events))
    ticket = db_session.scalar(query)
    if ticket is None:
        raise _not_found(number)
    return ticket


def get_visible_or_raise(
    *, db_session: Session, number: str, caller: Caller, conversation_id: str | None
) -> Ticket:
    """The ticket if the caller may read it: staff; the verified customer it belongs to; or
    the conversation it came from. Anyone else gets the answer of an unknown number."""
    ticket = get_by_number_or_raise(db_session=db_session, number=number)
    own_customer = caller.customer_id is not None and caller.customer_id == ticket.customer_id
    own_conversation = conversation_id is not None and conversation_id == ticket.conversation_id
    if caller.is_staff or own_customer or own_conversation:
        return ticket
    raise _not_found(number)


def _new_ticket_number(db_session: Session) -> str:
    while True:
        candidate = f"T-{secrets.randbelow(900_000) + 100_000}"
        if db_session.scalar(select(Ticket.id).where(Ticket.number == candidate)) is None:
            return candidate


def add_event(
    *, ticket: Ticket, kind: str, actor: str, now: datetime, data: dict[str, Any] | None = None
) -> TicketEvent:
    """Append one step to the ticket's history (saved with the ticket)."""
    event = TicketEvent(at=now, actor=actor, kind=kind, data=data or {})
    ticket.events.append(event)
    return event


def open_ticket(
    *,
    db_session: Session,
    source: TicketSource,
    category: TicketCategory,
    severity: Severity,
    subject: str,
    description: str,
    order: Order | None,
    customer: Customer | None,
    conversation_id: str | None,
    channel: str | None,
    context: dict[str, Any],
    now: datetime,
    actor: str,
    details: dict[str, Any] | None = None,
) -> Ticket:
    """A new ticket, prioritised from category, severity and the customer's tier; audited.

    `details` go into the `created` event next to the facts every ticket records."""
    tier = customer.tier if customer is not None else CustomerTier.STANDARD
    ticket = Ticket(
        number=_new_ticket_number(db_session),
        category=category,
        priority=ticket_priority(category, severity, tier),
        status=TicketStatus.NEW,
        source=source,
        subject=subject,
        description=description,
        order_id=order.id if order else None,
        customer_id=customer.id if customer else None,
        conversation_id=conversation_id,
        channel=channel,
        context=context,
        created_at=now,
        updated_at=now,
        events=[],
    )
    facts = {
        "source": source.value,
        "category": category.value,
        "severity": severity.value,
        "priority": ticket.priority.value,
        "tier": tier.value,
        "order": order.number if order else None,
        **(details or {}),
    }
    add_event(ticket=ticket, kind="created", actor=actor, now=now, data=facts)
    db_session.add(ticket)
    db_session.flush()
    audit_service.record(
        db_session=db_session,
        actor=actor,
        action="ticket.created",
        entity_type="ticket",
        entity_id=ticket.number,
        changes={**facts, "conversation_id": conversation_id},
    )
    return ticket


def create(
    *, db_session: Session, request: TicketCreate, caller: Caller, oms: OrderSystem, now: datetime
) -> Ticket:
    """Open a ticket from the API. An order is attached for staff, or for the customer whose
    verification token proves it is theirs: the bot can't file against someone else's order."""
    order = None
    if request.order_number:
        number = normalise_order_number(request.order_number)
        owner = None if caller.is_staff else caller.verified_customer_or_raise()
        order = orders_service.get_for_customer_or_raise(oms=oms, number=number, customer_id=owner)
    customer = order.customer if order else None
    if customer is None and caller.customer_id is not None:
        customer = db_session.get(Customer, caller.customer_id)
    if customer is None and request.conversation_id:
        # A verification earlier in the conversation linked it to the customer (the view
        # checked the hub's proof for the conversation).
        customer = _conversation_customer(db_session, request.conversation_id)
    source = TicketSource.AGENT if caller.is_staff else TicketSource.BOT
    ticket = open_ticket(
        db_session=db_session,
        source=source,
        category=request.category,
        severity=request.severity,
        subject=request.subject,
        description=request.description,
        order=order,
        customer=customer,
        conversation_id=request.conversation_id,
        channel=request.channel,
        context=request.context,
        now=now,
        actor=caller.actor,
        details={"told_customer": [request.told_customer]} if request.told_customer else None,
    )
    if source == TicketSource.BOT and request.conversation_id:
        bot_record.record_created(
            db_session,
            conversation_id=request.conversation_id,
            kind="ticket",
            number=ticket.number,
            request=request.subject,
            order=order,
        )
    return ticket


def _conversation_customer(db_session: Session, conversation_id: str) -> Customer | None:
    conversation = db_session.get(Conversation, conversation_id)
    return conversation.customer if conversation is not None else None


def record_told(ticket: Ticket, reply: str) -> None:
    """Add the reply the customer gets about the new ticket ("an agent will reply within 4
    hours") to what its `created` step says the customer was told."""
    created = next((e for e in ticket.events if e.kind == "created"), None)
    if created is None:
        return
    told = [*(created.data or {}).get("told_customer", []), reply]
    created.data = {**(created.data or {}), "told_customer": told}  # a new dict: JSON is saved


def raise_priority(
    *, db_session: Session, ticket: Ticket, floor: TicketPriority, now: datetime, actor: str
) -> bool:
    """Bring the ticket up to at least `floor`; whether anything changed."""
    if PRIORITY_ORDER.index(ticket.priority) >= PRIORITY_ORDER.index(floor):
        return False
    change = [ticket.priority.value, floor.value]
    ticket.priority = floor
    ticket.updated_at = now
    add_event(
        ticket=ticket, kind="priority_raised", actor=actor, now=now, data={"priority": change}
    )
    audit_service.record(
        db_session=db_session,
        actor=actor,
        action="ticket.priority_raised",
        entity_type="ticket",
        entity_id=ticket.number,
        changes={"priority": change},
    )
    return True


def describe(ticket: Ticket, policy: Policy, now: datetime) -> str:
    """Where the ticket stands, in one sentence for the customer."""
    number, priority = ticket.number, ticket.priority.value
    if ticket.status == TicketStatus.NEW:
        reply = sla.reply_time_in_words(ticket.priority, policy, now)
        return f"Ticket {number} is open with {priority} priority; an agent will reply {reply}."
    if ticket.status == TicketStatus.OPEN:
        return f"Ticket {number} is open with {priority} priority and an agent is working on it."
    if ticket.status == TicketStatus.PENDING_CUSTOMER:
        return f"Ticket {number} is waiting for your reply."
    if ticket.status == TicketStatus.PENDING_INTERNAL:
        return f"Ticket {number} is with our team, who are checking the details."
    return f"Ticket {number} is {ticket.status.value}."


def to_read(ticket: Ticket, policy: Policy, now: datetime, *, masked: bool = False) -> TicketRead:
    """The API view of a ticket, with its history and SLA target. `masked`: shown outside the
    customer's own record (to staff): emails and phones in its free text are masked."""
    text = masking.masked_text if masked else str
    return TicketRead(
        number=ticket.number,
        category=ticket.category,
        priority=ticket.priority,
        status=ticket.status,
        source=ticket.source,
        subject=text(ticket.subject),
        description=text(ticket.description),
        order_number=ticket.order.number if ticket.order else None,
        conversation_id=ticket.conversation_id,
        channel=ticket.channel,
        context=masking.masked_json(ticket.context) if masked else ticket.context,
        assignee=ticket.assignee.username if ticket.assignee else None,
        created_at=ticket.created_at,
        updated_at=ticket.updated_at,
        first_response_minutes=sla.first_response_minutes(ticket.priority, policy),
        message=describe(ticket, policy, now),
        events=[_event_read(event, masked) for event in ticket.events],
    )


def _event_read(event: TicketEvent, masked: bool) -> TicketEventRead:
    read = TicketEventRead.model_validate(event)
    return read.model_copy(update={"data": masking.masked_json(read.data)}) if masked else read
