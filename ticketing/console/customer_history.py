"""A customer's recent history for the console: orders, conversations, tickets and ratings.

One query per list, columns only (no lazy loads), so the cost does not grow with the rows."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ticketing.console.schemas import (
    CustomerHistory,
    HistoryConversation,
    HistoryCustomer,
    HistoryOrder,
    HistoryRating,
    HistoryTicket,
)
from ticketing.conversations.models import Conversation
from ticketing.customers.models import Customer
from ticketing.errors import NotFoundError
from ticketing.feedback.models import CsatRating
from ticketing.orders.models import Order
from ticketing.staff.models import StaffUser
from ticketing.tickets.models import Ticket

HISTORY_LIMIT = 20


def _customer_or_raise(db_session: Session, customer_id: int) -> HistoryCustomer:
    customer = db_session.get(Customer, customer_id)
    if customer is None:
        raise NotFoundError(f"There is no customer {customer_id}.", code="customer_not_found")
    return HistoryCustomer(
        id=customer.id, name=customer.name, email=customer.email, tier=customer.tier.value
    )


def _orders(db_session: Session, customer_id: int, limit: int) -> list[HistoryOrder]:
    rows = db_session.execute(
        select(Order.number, Order.status, Order.placed_at, Order.total, Order.currency)
        .where(Order.customer_id == customer_id)
        .order_by(Order.placed_at.desc(), Order.id.desc())
        .limit(limit)
    )
    return [
        HistoryOrder(
            number=number, status=status.value, placed_at=placed_at, total=total, currency=currency
        )
        for number, status, placed_at, total, currency in rows
    ]


def _conversations(db_session: Session, customer_id: int, limit: int) -> list[HistoryConversation]:
    rows = db_session.execute(
        select(
            Conversation.id,
            Conversation.channel,
            Conversation.owner,
            Conversation.created_at,
            Conversation.resolved_at,
            CsatRating.score,
            CsatRating.comment,
        )
        .outerjoin(CsatRating, CsatRating.conversation_id == Conversation.id)
        .where(Conversation.customer_id == customer_id)
        .order_by(Conversation.created_at.desc(), Conversation.id.desc())
        .limit(limit)
    )
    return [
        HistoryConversation(
            id=id_,
            channel=channel,
            owner=owner,
            created_at=created_at,
            resolved_at=resolved_at,
            rating=score,
            rating_comment=comment,
        )
        for id_, channel, owner, created_at, resolved_at, score, comment in rows
    ]


def _tickets(db_session: Session, customer_id: int, limit: int) -> list[HistoryTicket]:
    rows = db_session.execute(
        select(Ticket.number, Ticket.category, Ticket.priority, Ticket.status, Ticket.created_at)
        .where(Ticket.customer_id == customer_id)
        .order_by(Ticket.created_at.desc(), Ticket.id.desc())
        .limit(limit)
    )
    return [
        HistoryTicket(
            number=number,
            category=category.value,
            priority=priority.value,
            status=status.value,
            created_at=created_at,
        )
        for number, category, priority, status, created_at in rows
    ]


def _ratings(db_session: Session, customer_id: int, limit: int) -> list[HistoryRating]:
    rows = db_session.execute(
        select(CsatRating.score, CsatRating.comment, CsatRating.created_at, StaffUser.display_name)
        .outerjoin(StaffUser, StaffUser.id == CsatRating.agent_id)
        .where(CsatRating.customer_id == customer_id)
        .order_by(CsatRating.created_at.desc(), CsatRating.id.desc())
        .limit(limit)
    )
    return [
        HistoryRating(score=score, comment=comment, created_at=created_at, agent=agent)
        for score, comment, created_at, agent in rows
    ]


def get_or_raise(
    *, db_session: Session, customer_id: int, limit: int = HISTORY_LIMIT
) -> CustomerHistory:
    """The customer and their newest `limit` orders, conversations, tickets and ratings."""
    return CustomerHistory(
        customer=_customer_or_raise(db_session, customer_id),
        orders=_orders(db_session, customer_id, limit),
        conversations=_conversations(db_session, customer_id, limit),
        tickets=_tickets(db_session, customer_id, limit),
        ratings=_ratings(db_session, customer_id, limit),
    )
