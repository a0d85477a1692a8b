"""Handing a conversation to a person: one open ticket per conversation, carrying everything
the bot collected. One problem, one ticket: a handoff continues the ticket the bot already
opened in the conversation (its status, history and SLA) instead of opening another.

`hand_off` is the reusable step: the bot's escalation (POST /api/handoffs) and the hub both
call it, and the hub's conversation becomes a person's in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ticketing.conversations import lifecycle
from ticketing.customers.models import Customer
from ticketing.errors import InvalidInputError
from ticketing.orders.models import Order
from ticketing.orders.numbers import normalise_order_number
from ticketing.orders.oms import OrderSystem
from ticketing.policy.schemas import Policy
from ticketing.tickets import service, sla
from ticketing.tickets.locks import lock_conversation
from ticketing.tickets.models import (
    DONE_STATUSES,
    Ticket,
    TicketCategory,
    TicketPriority,
    TicketSource,
    TicketStatus,
)
from ticketing.tickets.priority import Severity
from ticketing.tickets.schemas import HandoffCreate, HandoffRead, HandoffReason, HandoffSummary

CATEGORY_BY_INTENT = {
    "payment_issue": TicketCategory.PAYMENT,
    "late_delivery": TicketCategory.LOGISTICS,
    "order_status": TicketCategory.LOGISTICS,
    "damaged_or_wrong_item": TicketCategory.PRODUCT_QUALITY,
}
SUBJECT_BY_REASON = {
    HandoffReason.REQUESTED: "Customer asked for a person",
    HandoffReason.FALLBACK: "The assistant did not understand the customer",
    HandoffReason.ANGRY: "Upset customer needs a person",
    HandoffReason.BACKEND_DOWN: "The assistant could not reach the shop systems",
    HandoffReason.OTHER: "Handed over by the assistant",
}
MAX_DESCRIPTION = 5000


@dataclass(frozen=True)
class HandoffOutcome:
    ticket: Ticket
    created: bool
    order_linked: bool
    continued: bool = False  # the bot's own ticket, handed to a person for the first time


def category_for(intent: str | None) -> TicketCategory:
    """The ticket category for what the customer was asking about (after-sales by default)."""
    return CATEGORY_BY_INTENT.get(intent or "", TicketCategory.AFTER_SALES)


def severity_for(reason: HandoffReason) -> Severity:
    """An upset customer is high severity, so the ticket is at least high priority."""
    return Severity.HIGH if reason == HandoffReason.ANGRY else Severity.MEDIUM


def find_open(*, db_session: Session, conversation_id: str) -> Ticket | None:
    """The conversation's newest ticket from the bot or a handoff that is not resolved or
    closed (an agent's own tickets are theirs to link)."""
    query = (
        select(Ticket)
        .where(
            Ticket.conversation_id == conversation_id,
            Ticket.source.in_((TicketSource.HANDOFF, TicketSource.BOT)),
            Ticket.status.not_in(DONE_STATUSES),
        )
        .order_by(Ticket.id.desc())
        .limit(1)
    )
    return db_session.scalar(query)


def _verified_order(
    oms: OrderSystem, summary: HandoffSummary, customer_id: int | None
) -> Order | None:
    """The summary's order, only if it belongs to the verified customer; else nothing."""
    if not summary.order_number or customer_id is None:
        return None
    try:
        number = normalise_order_number(summary.order_number)
    except InvalidInputError:
        return None
    order = oms.find_order(number)
    return order if order is not None and order.customer_id == customer_id else None


def _description(request: HandoffCreate, order: Order | None) -> str:
    summary = request.summary
    lines = [f"{SUBJECT_BY_REASON[request.reason]} (reason: {request.reason.value})."]
    if summary.intent:
        lines.append(f"Topic: {summary.intent}.")
    if summary.order_number:
        state = "verified" if order is not None else "not verified"
        lines.append(f"Order: {summary.order_number} ({state}).")
    said = [m.text for m in summary.last_messages if m.sender == "customer" and m.text]
    if said:
        lines.append(f"Last message from the customer: {said[-1]}")
    return "\n".join(lines)[:MAX_DESCRIPTION]


def _first_handoff_of_bot_ticket(ticket: Ticket) -> bool:
    return ticket.source == TicketSource.BOT and not any(
        event.kind == "handed_off" for event in ticket.events
    )


def _repeat(
    *,
    db_session: Session,
    ticket: Ticket,
    request: HandoffCreate,
    customer_id: int | None,
    now: datetime,
    actor: str,
) -> HandoffOutcome:
    """Continue the open ticket: the bot's own (now with the handoff's summary) or a repeated
    handoff's."""
    continued = _first_handoff_of_bot_ticket(ticket)
    summary = request.summary.model_dump(mode="json")
    service.add_event(
        ticket=ticket,
        kind="handed_off" if continued else "handoff_repeated",
        actor=actor,
        now=now,
        data={"reason": request.reason.value, "summary": summary},
    )
    if continued:  # the handoff's summary is newer; what it leaves empty the bot's still says
        ticket.context = {**ticket.context, **{k: v for k, v in summary.items() if v}}
        if ticket.customer_id is None:
            ticket.customer_id = customer_id
    ticket.updated_at = now
    if request.reason == HandoffReason.ANGRY:
        service.raise_priority(
            db_session=db_session, ticket=ticket, floor=TicketPriority.HIGH, now=now, actor=actor
        )
    return HandoffOutcome(
        ticket, created=False, order_linked=ticket.order_id is not None, continued=continued
    )


def hand_off(
    *,
    db_session: Session,
    request: HandoffCreate,
    customer_id: int | None,
    oms: OrderSystem,
    now: datetime,
    actor: str,
) -> HandoffOutcome:
    """Open the conversation's handoff ticket, or continue the one still open (the bot's or
    an earlier handoff's).

    `customer_id` is the verified customer, if any: only their own order is attached.
    """
    lock_conversation(db_session, purpose="handoff", conversation_id=request.conversation_id)
    existing = find_open(db_session=db_session, conversation_id=request.conversation_id)
    if existing is not None:
        outcome = _repeat(
            db_session=db_session,
            ticket=existing,
            request=request,
            customer_id=customer_id,
            now=now,
            actor=actor,
        )
        lifecycle.handed_off(
            db_session, ticket=existing, now=now, actor=actor, reason=request.reason.value
        )
        return outcome
    order = _verified_order(oms, request.summary, customer_id)
    customer = order.customer if order else None
    if customer is None and customer_id is not None:
        customer = db_session.get(Customer, customer_id)
    intent = request.summary.intent
    subject = SUBJECT_BY_REASON[request.reason] + (f" ({intent})" if intent else "")
    ticket = service.open_ticket(
        db_session=db_session,
        source=TicketSource.HANDOFF,
        category=category_for(intent),
        severity=severity_for(request.reason),
        subject=subject,
        description=_description(request, order),
        order=order,
        customer=customer,
        conversation_id=request.conversation_id,
        channel=request.channel,
        context=request.summary.model_dump(mode="json"),
        now=now,
        actor=actor,
        details={"reason": request.reason.value},
    )
    lifecycle.handed_off(
        db_session, ticket=ticket, now=now, actor=actor, reason=request.reason.value
    )
    return HandoffOutcome(ticket, created=True, order_linked=order is not None)


def message(outcome: HandoffOutcome, policy: Policy, now: datetime) -> str:
    """What the customer is told: who has the conversation and how long the wait is."""
    ticket = outcome.ticket
    reply = sla.reply_time_in_words(ticket.priority, policy, now)
    if outcome.created or outcome.continued:
        return (
            f"I've passed this conversation to a colleague (ticket {ticket.number}). "
            f"They will reply {reply}."
        )
    if ticket.status == TicketStatus.NEW:
        return (
            f"A colleague already has this conversation (ticket {ticket.number}). "
            f"They will reply {reply}."
        )
    return f"A colleague is already looking after this conversation (ticket {ticket.number})."


def to_read(
    outcome: HandoffOutcome, reason: HandoffReason, policy: Policy, now: datetime
) -> HandoffRead:
    """The API answer to a handoff."""
    ticket = outcome.ticket
    return HandoffRead(
        number=ticket.number,
        priority=ticket.priority,
        status=ticket.status,
        reason=reason,
        created=outcome.created,
        order_linked=outcome.order_linked,
        expected_wait_minutes=sla.first_response_minutes(ticket.priority, policy),
        message=message(outcome, policy, now),
    )
