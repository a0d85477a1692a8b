"""Past agent replies, read from resolved conversations: each agent message with the customer
message it answered (the customer's latest before it). Names and numbers of that conversation
become placeholders, so a reply written to Jonas about order 10410 suggests itself to the next
customer with their own name and order."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ticketing.conversations.models import Conversation, Message, Sender
from ticketing.customers.models import Customer
from ticketing.orders.models import Order
from ticketing.staff.models import StaffUser
from ticketing.tickets.models import Ticket

CHUNK = 500  # conversations per round of queries


@dataclass(frozen=True)
class PastReply:
    conversation_id: str
    customer_text: str  # what the customer wrote
    reply: str  # the agent's answer, this conversation's names and numbers as placeholders


def resolved_conversations(db_session: Session) -> dict[str, datetime | None]:
    """Every conversation that was ever resolved, with when (one indexed query, ids only)."""
    rows = db_session.execute(
        select(Conversation.id, Conversation.resolved_at).where(
            Conversation.resolved_at.is_not(None)
        )
    )
    return dict(rows.tuples().all())


def _words(value: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(value)}(?![\w-])")


def templated(text: str, values: dict[str, str | None]) -> str:
    """`text` with the values replaced by their placeholders: longest value first, whole words
    only, so "Ann Agent" becomes {agent_name} before "Ann" could become {agent_first_name}."""
    pairs = [(value.strip(), key) for key, value in values.items() if value and value.strip()]
    for value, key in sorted(pairs, key=lambda pair: -len(pair[0])):
        text = _words(value).sub("{" + key + "}", text)
    return text


def _first(name: str | None) -> str | None:
    return name.split()[0] if name and name.split() else None


def _order_from_context(context: dict[str, Any] | None) -> str | None:
    context = context or {}
    found = (context.get("collected") or {}).get("order") or {}
    number = found.get("number") if isinstance(found, dict) else None
    number = number or context.get("order_number")
    return str(number) if number else None


def _chunk(db_session: Session, ids: Sequence[str]) -> Iterable[tuple[str, list[PastReply]]]:
    conversations = db_session.execute(
        select(
            Conversation.id, Conversation.customer_id, Conversation.ticket_id, Conversation.context
        ).where(Conversation.id.in_(ids))
    ).all()
    customer_ids = {c.customer_id for c in conversations if c.customer_id is not None}
    ticket_ids = {c.ticket_id for c in conversations if c.ticket_id is not None}
    names = select(Customer.id, Customer.name).where(Customer.id.in_(customer_ids))
    customers: dict[int, str] = dict(db_session.execute(names).tuples().all())
    tickets = {
        ticket_id: (number, order_number)
        for ticket_id, number, order_number in db_session.execute(
            select(Ticket.id, Ticket.number, Order.number)
            .outerjoin(Order, Order.id == Ticket.order_id)
            .where(Ticket.id.in_(ticket_ids))
        )
    }
    messages = db_session.execute(
        select(Message.conversation_id, Message.sender, Message.staff_id, Message.text)
        .where(
            Message.conversation_id.in_(ids),
            Message.sender.in_((Sender.CUSTOMER, Sender.AGENT)),
        )
        .order_by(Message.conversation_id, Message.id)
    ).all()
    staff_ids = {m.staff_id for m in messages if m.staff_id is not None}
    agents = select(StaffUser.id, StaffUser.display_name).where(StaffUser.id.in_(staff_ids))
    staff: dict[int, str] = dict(db_session.execute(agents).tuples().all())
    by_conversation: dict[str, list[Any]] = {}
    for message in messages:
        by_conversation.setdefault(message.conversation_id, []).append(message)
    for conversation in conversations:
        customer = customers.get(conversation.customer_id) if conversation.customer_id else None
        ticket_number, order_number = tickets.get(conversation.ticket_id, (None, None))
        values: dict[str, str | None] = {
            "customer_name": customer,
            "customer_first_name": _first(customer),
            "order_number": order_number or _order_from_context(conversation.context),
            "ticket_number": ticket_number,
        }
        replies: list[PastReply] = []
        asked: str | None = None
        for message in by_conversation.get(conversation.id, []):
            text = (message.text or "").strip()
            if not text:
                continue
            if message.sender == Sender.CUSTOMER:
                asked = text
            elif asked is not None:
                agent = staff.get(message.staff_id) if message.staff_id else None
                named = {**values, "agent_name": agent, "agent_first_name": _first(agent)}
                replies.append(PastReply(conversation.id, asked, templated(text, named)))
        yield conversation.id, replies


def harvest(db_session: Session, conversation_ids: Iterable[str]) -> dict[str, list[PastReply]]:
    """The agent replies of these conversations, by conversation (an empty list: none)."""
    ids = sorted(set(conversation_ids))
    found: dict[str, list[PastReply]] = {}
    for start in range(0, len(ids), CHUNK):
        found.update(_chunk(db_session, ids[start : start + CHUNK]))
    return found
