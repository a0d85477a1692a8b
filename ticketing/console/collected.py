"""What the bot collected and did in a conversation, for the card at the top of it and the
queue: who the customer is, their order, the request, and what the bot created."""

from __future__ import annotations

from typing import Any

from ticketing.console.schemas import CollectedRead, CreatedRead, CustomerRead, OrderLineRead
from ticketing.conversations import bot_record
from ticketing.conversations.models import Conversation

CHANNEL_NAMES = {"web": "Web visitor", "telegram": "Telegram user"}
IDENTITY_CHARS = 8


def _text(value: Any) -> str | None:
    return str(value) if value else None


def _context(conversation: Conversation) -> dict[str, Any]:
    return conversation.context or {}


def who(conversation: Conversation) -> str:
    """The verified customer's name, else who the channel says wrote (a short id)."""
    if conversation.customer is not None:
        return conversation.customer.name
    channel = CHANNEL_NAMES.get(conversation.channel, conversation.channel)
    return f"{channel} {conversation.external_id[:IDENTITY_CHARS]}"


def request(conversation: Conversation) -> str | None:
    """What the customer asked for: the bot's task when it did one, else the intent."""
    record = bot_record.collected(conversation)
    intent = _context(conversation).get("intent")
    found = record.get("request") or (str(intent).replace("_", " ") if intent else None)
    return _text(found)


def order_number(conversation: Conversation) -> str | None:
    ticket = conversation.ticket
    if ticket is not None and ticket.order is not None:
        return ticket.order.number
    order = bot_record.collected(conversation).get("order") or {}
    return _text(order.get("number") or _context(conversation).get("order_number"))


def _customer(conversation: Conversation) -> CustomerRead | None:
    customer = conversation.customer
    if customer is None:
        return None
    return CustomerRead(
        id=customer.id,
        name=customer.name,
        email=bot_record.masked_email(customer.email),
        tier=customer.tier.value,
    )


def _order_status(conversation: Conversation, number: str | None) -> str | None:
    ticket = conversation.ticket
    if ticket is not None and ticket.order is not None and ticket.order.number == number:
        return ticket.order.status.value
    order = bot_record.collected(conversation).get("order") or {}
    return _text(order.get("status")) if order.get("number") == number else None


def _items(record: dict[str, Any], number: str | None) -> list[OrderLineRead]:
    order = record.get("order") or {}
    if order.get("number") != number:
        return []
    return [OrderLineRead.model_validate(line) for line in order.get("items", [])]


def collected(conversation: Conversation) -> CollectedRead:
    """The card "What the bot collected"."""
    context = _context(conversation)
    record = bot_record.collected(conversation)
    number = order_number(conversation)
    slots = context.get("slots")
    details = record.get("details")
    return CollectedRead(
        intent=_text(context.get("intent")),
        request=request(conversation),
        reason=_text(context.get("reason")),
        order_number=number,
        order_status=_order_status(conversation, number),
        order_items=_items(record, number),
        customer=_customer(conversation),
        details=details if isinstance(details, dict) else {},
        created=[CreatedRead.model_validate(c) for c in record.get("created", [])],
        slots=slots if isinstance(slots, dict) else {},
    )
