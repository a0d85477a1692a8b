"""Everything stored about one person, gathered once for both export and erasure.

What belongs to a customer: their orders (and the orders' returns and refunds), every
conversation linked to them or to their tickets and ratings or where their email was left for a
reply by email, every ticket of theirs, of those conversations or of their orders (follow-ups
of their ratings included), their ratings and NPS answers, CRM events naming them, their
conversations or tickets, the audit entries about all of these, and the stored API answers
(idempotency records) of requests about them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlalchemy.orm import Session

from integrations.crm.models import CrmEvent
from ticketing.audit.models import AuditEntry
from ticketing.conversations.models import Conversation
from ticketing.customers.models import Customer
from ticketing.db import Base
from ticketing.feedback.models import CsatRating
from ticketing.feedback.nps_models import NpsAnswer
from ticketing.idempotency.models import IdempotencyRecord
from ticketing.orders.models import Order
from ticketing.privacy.lookup import Subject
from ticketing.refunds.models import Refund
from ticketing.returns.models import Return
from ticketing.tickets.models import Ticket


@dataclass(frozen=True)
class FeedbackKind:
    """A table of answers customers give (a score, maybe a comment). Scores stay for the
    reports; `comment` (when the table has one) is erased; `external_id` is pseudonymised."""

    model: type[Base]
    audit_entity_type: str


# A new kind of customer feedback is one line here: it needs `conversation_id` and/or
# `customer_id` columns; `comment` and `external_id` are handled when present.
FEEDBACK_KINDS: tuple[FeedbackKind, ...] = (
    FeedbackKind(CsatRating, "csat_rating"),
    FeedbackKind(NpsAnswer, "nps_answer"),
)

# Stored API answers, by the scope the API stored them under (see the views' `scope=`).
ORDER_SCOPES = ("cancel", "address", "refund", "return")
TICKET_SCOPES = ("ticket", "handoff")
CONVERSATION_SCOPES = ("rating",)


@dataclass
class Scope:
    subject: Subject
    customer: Customer | None
    conversations: list[Conversation]
    orders: list[Order]
    returns: list[Return]
    refunds: list[Refund]
    tickets: list[Ticket]
    feedback: dict[str, list[Any]]  # table name -> rows, one entry per FEEDBACK_KINDS
    crm_events: list[CrmEvent]
    audit_entries: list[AuditEntry]
    stored_answers: list[IdempotencyRecord]
    conversation_ids: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """How many records of each kind (for progress and the audit entry)."""
        return {
            "customer": int(self.customer is not None),
            "orders": len(self.orders),
            "returns": len(self.returns),
            "refunds": len(self.refunds),
            "conversations": len(self.conversations),
            "tickets": len(self.tickets),
            **{name: len(rows) for name, rows in self.feedback.items()},
            "crm_events": len(self.crm_events),
            "audit_entries": len(self.audit_entries),
            "stored_api_answers": len(self.stored_answers),
        }


def _in(column: Any, values: list[Any]) -> ColumnElement[bool]:
    return column.in_(values) if values else false()


def _conversations(db_session: Session, subject: Subject) -> list[Conversation]:
    if subject.customer is None:
        assert subject.conversation is not None  # noqa: S101 - a Subject has one of the two
        return [subject.conversation]
    customer_id = subject.customer.id
    ids: set[str] = set(
        db_session.scalars(select(Conversation.id).where(Conversation.customer_id == customer_id))
    )
    ids |= {
        cid
        for cid in db_session.scalars(
            select(Ticket.conversation_id).where(Ticket.customer_id == customer_id)
        )
        if cid
    }
    for kind in FEEDBACK_KINDS:
        model: Any = kind.model
        if hasattr(model, "customer_id") and hasattr(model, "conversation_id"):
            ids |= set(
                db_session.scalars(
                    select(model.conversation_id).where(model.customer_id == customer_id)
                )
            )
    email = subject.customer.email.strip().casefold()
    ids |= set(
        db_session.scalars(
            select(Conversation.id).where(func.lower(Conversation.followup_email) == email)
        )
    )
    query = select(Conversation).where(_in(Conversation.id, sorted(ids)))
    return list(db_session.scalars(query.order_by(Conversation.created_at, Conversation.id)))


def _feedback(db_session: Session, customer_id: int | None, conversation_ids: list[str]) -> Any:
    found: dict[str, list[Any]] = {}
    for kind in FEEDBACK_KINDS:
        model: Any = kind.model
        conditions = []
        if hasattr(model, "customer_id") and customer_id is not None:
            conditions.append(model.customer_id == customer_id)
        if hasattr(model, "conversation_id"):
            conditions.append(_in(model.conversation_id, conversation_ids))
        rows = db_session.scalars(select(model).where(or_(false(), *conditions)).order_by(model.id))
        found[model.__tablename__] = list(rows)
    return found


def _tickets(
    db_session: Session, customer_id: int | None, conversations: list[Conversation], orders: Any
) -> list[Ticket]:
    conversation_ids = [c.id for c in conversations]
    linked = [c.ticket_id for c in conversations if c.ticket_id is not None]
    conditions = [
        _in(Ticket.conversation_id, conversation_ids),
        _in(Ticket.context["follow_up_of"].as_string(), conversation_ids),
        _in(Ticket.order_id, [o.id for o in orders]),
        _in(Ticket.id, linked),
    ]
    if customer_id is not None:
        conditions.append(Ticket.customer_id == customer_id)
    return list(db_session.scalars(select(Ticket).where(or_(*conditions)).order_by(Ticket.id)))


def _crm_events(
    db_session: Session, customer_id: int | None, conversation_ids: list[str], tickets: Any
) -> list[CrmEvent]:
    conditions = [
        _in(CrmEvent.payload["conversation_id"].as_string(), conversation_ids),
        _in(CrmEvent.payload["ticket_number"].as_string(), [t.number for t in tickets]),
    ]
    if customer_id is not None:
        conditions.append(CrmEvent.payload["customer_id"].as_integer() == customer_id)
    query = select(CrmEvent).where(or_(*conditions))
    return list(db_session.scalars(query.order_by(CrmEvent.created_at, CrmEvent.kind)))


def _audit_entries(db_session: Session, entities: dict[str, list[str]]) -> list[AuditEntry]:
    conditions = [
        and_(AuditEntry.entity_type == kind, _in(AuditEntry.entity_id, ids))
        for kind, ids in entities.items()
    ]
    query = select(AuditEntry).where(or_(false(), *conditions)).order_by(AuditEntry.id)
    return list(db_session.scalars(query))


def _stored_answers(
    db_session: Session, orders: Any, tickets: Any, conversation_ids: list[str]
) -> list[IdempotencyRecord]:
    record = IdempotencyRecord
    scopes = [f"{kind}:{order.number}" for order in orders for kind in ORDER_SCOPES]
    conditions = [
        _in(record.scope, scopes),
        and_(
            record.scope.in_(TICKET_SCOPES),
            _in(record.response_body["number"].as_string(), [t.number for t in tickets]),
        ),
        and_(
            record.scope.in_(CONVERSATION_SCOPES),
            _in(record.response_body["conversation_id"].as_string(), conversation_ids),
        ),
    ]
    query = select(record).where(or_(*conditions)).order_by(record.created_at, record.key)
    return list(db_session.scalars(query))


def gather(db_session: Session, subject: Subject) -> Scope:
    """Every record about `subject`, loaded in `db_session`."""
    customer = subject.customer
    customer_id = customer.id if customer is not None else None
    conversations = _conversations(db_session, subject)
    conversation_ids = [c.id for c in conversations]
    orders: list[Order] = []
    if customer_id is not None:
        query = select(Order).where(Order.customer_id == customer_id)
        orders = list(db_session.scalars(query.order_by(Order.placed_at, Order.id)))
    order_ids = [o.id for o in orders]
    returns = list(
        db_session.scalars(
            select(Return).where(_in(Return.order_id, order_ids)).order_by(Return.id)
        )
    )
    refunds = list(
        db_session.scalars(
            select(Refund).where(_in(Refund.order_id, order_ids)).order_by(Refund.id)
        )
    )
    tickets = _tickets(db_session, customer_id, conversations, orders)
    feedback = _feedback(db_session, customer_id, conversation_ids)
    entities: dict[str, list[str]] = {
        "order": [o.number for o in orders],
        "return": [r.rma_number for r in returns],
        "refund": [str(r.id) for r in refunds],
        "ticket": [t.number for t in tickets],
        "conversation": conversation_ids,
        "customer": [str(customer_id)] if customer_id is not None else [],
    }
    for kind in FEEDBACK_KINDS:
        rows = feedback[kind.model.__tablename__]
        entities.setdefault(kind.audit_entity_type, []).extend(str(row.id) for row in rows)
    return Scope(
        subject=subject,
        customer=customer,
        conversations=conversations,
        orders=orders,
        returns=returns,
        refunds=refunds,
        tickets=tickets,
        feedback=feedback,
        crm_events=_crm_events(db_session, customer_id, conversation_ids, tickets),
        audit_entries=_audit_entries(db_session, entities),
        stored_answers=_stored_answers(db_session, orders, tickets, conversation_ids),
        conversation_ids=conversation_ids,
    )
