"""The export: one JSON document with everything stored about a person (right of access).

It holds what staff wrote about the person too (internal notes, agents' names): read it
before sending it on.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ticketing.conversations.models import ConversationEvent, Message
from ticketing.privacy.rows import as_dict
from ticketing.privacy.scope import Scope
from ticketing.tickets.models import TicketEvent
from ticketing.training import privacy as training_privacy

FORMAT = "supportbot.privacy-export/1"


def _orders(scope: Scope) -> list[dict[str, Any]]:
    returns_of: dict[int, list[dict[str, Any]]] = {}
    for return_ in scope.returns:
        items = [as_dict(item) for item in return_.items]
        returns_of.setdefault(return_.order_id, []).append(as_dict(return_, items=items))
    refunds_of: dict[int, list[dict[str, Any]]] = {}
    for refund in scope.refunds:
        refunds_of.setdefault(refund.order_id, []).append(as_dict(refund))
    return [
        as_dict(
            order,
            items=[as_dict(item) for item in order.items],
            shipments=[
                as_dict(shipment, events=[as_dict(event) for event in shipment.events])
                for shipment in order.shipments
            ],
            returns=returns_of.get(order.id, []),
            refunds=refunds_of.get(order.id, []),
        )
        for order in scope.orders
    ]


def _conversations(db_session: Session, scope: Scope) -> list[dict[str, Any]]:
    ids = scope.conversation_ids
    messages: dict[str, list[dict[str, Any]]] = {}
    for message in db_session.scalars(
        select(Message).where(Message.conversation_id.in_(ids)).order_by(Message.id)
    ):
        messages.setdefault(message.conversation_id, []).append(as_dict(message))
    events: dict[str, list[dict[str, Any]]] = {}
    for event in db_session.scalars(
        select(ConversationEvent)
        .where(ConversationEvent.conversation_id.in_(ids))
        .order_by(ConversationEvent.id)
    ):
        events.setdefault(event.conversation_id, []).append(as_dict(event))
    return [
        as_dict(c, messages=messages.get(c.id, []), events=events.get(c.id, []))
        for c in scope.conversations
    ]


def _tickets(db_session: Session, scope: Scope) -> list[dict[str, Any]]:
    ids = [ticket.id for ticket in scope.tickets]
    history: dict[int, list[dict[str, Any]]] = {}
    for event in db_session.scalars(
        select(TicketEvent).where(TicketEvent.ticket_id.in_(ids)).order_by(TicketEvent.id)
    ):
        history.setdefault(event.ticket_id, []).append(as_dict(event))
    return [as_dict(ticket, history=history.get(ticket.id, [])) for ticket in scope.tickets]


def document(
    db_session: Session,
    scope: Scope,
    *,
    now: datetime,
    verification: dict[str, Any],
    assistant: dict[str, Any],
) -> dict[str, Any]:
    """The export of `scope`. `verification` holds the live failed-attempt counts;
    `assistant` what Rasa's tracker store holds (or why it wasn't read)."""
    subject = scope.subject
    return {
        "format": FORMAT,
        "exported_at": now.isoformat(),
        "subject": {
            "found_by": subject.found_by,
            "customer_id": scope.customer.id if scope.customer else None,
            "conversation_id": None if scope.customer else scope.conversation_ids[0],
        },
        "customer": as_dict(scope.customer) if scope.customer else None,
        "orders": _orders(scope),
        "conversations": _conversations(db_session, scope),
        "tickets": _tickets(db_session, scope),
        "feedback": {
            table: [as_dict(row) for row in rows] for table, rows in scope.feedback.items()
        },
        "crm_events": [as_dict(event) for event in scope.crm_events],
        "audit_log": [as_dict(entry) for entry in scope.audit_entries],
        "stored_api_answers": [as_dict(record) for record in scope.stored_answers],
        "training_inbox": training_privacy.exported(db_session, scope.conversation_ids),
        "verification": {
            "stored": "Verification attempts are not stored; failed ones are counted for 15 "
            "minutes per order number and per conversation to stop guessing.",
            **verification,
        },
        "assistant": assistant,
    }
