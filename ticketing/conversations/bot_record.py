"""What the bot did in a conversation, recorded by the backend where each write happens: the
customer a verification proved, their order, the request, and what the bot created (RMA,
refund, ticket). Kept under `Conversation.context["collected"]` for the agent who takes over;
a privacy erasure drops it with the rest of the context (`ticketing.privacy.erasure`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ticketing.conversations import store
from ticketing.conversations.models import Conversation
from ticketing.customers.models import Customer
from ticketing.orders.models import Order
from ticketing.refunds.models import Refund
from ticketing.returns.models import Return

COLLECTED = "collected"  # the key in Conversation.context
MAX_ITEMS = 20  # order lines shown; a bigger order says "and N more" in the console


def masked_email(email: str) -> str:
    """`jonas@example.org` -> `j***@example.org`: enough to recognise, not to contact."""
    name, _, domain = email.strip().partition("@")
    return f"{name[:1]}***@{domain}" if domain else "***"


def collected(conversation: Conversation) -> dict[str, Any]:
    """The conversation's record (empty when the bot did nothing worth keeping)."""
    found = (conversation.context or {}).get(COLLECTED)
    return dict(found) if isinstance(found, dict) else {}


def _save(conversation: Conversation, record: dict[str, Any]) -> None:
    # A new dict: the JSON column notices reassignment, not mutation.
    conversation.context = {**(conversation.context or {}), COLLECTED: record}


def customer_facts(customer: Customer) -> dict[str, Any]:
    return {
        "name": customer.name,
        "email": masked_email(customer.email),
        "tier": customer.tier.value,
    }


def order_facts(order: Order) -> dict[str, Any]:
    return {
        "number": order.number,
        "status": order.status.value,
        "items": [{"name": i.name, "quantity": i.quantity} for i in order.items[:MAX_ITEMS]],
        "item_count": len(order.items),
    }


def link_customer(db_session: Session, *, conversation_id: str, order: Order) -> bool:
    """A verification proved `order` is the customer's: the conversation is theirs (privacy
    export and erasure find it) and the agent sees who and which order. False when the hub has
    no such conversation."""
    conversation = store.get(db_session, conversation_id)
    if conversation is None:
        return False
    conversation.customer_id = order.customer_id
    record = collected(conversation)
    record["customer"] = customer_facts(order.customer)
    record["order"] = order_facts(order)
    _save(conversation, record)
    return True


def record_created(
    db_session: Session,
    *,
    conversation_id: str,
    kind: str,
    number: str,
    request: str | None = None,
    details: dict[str, Any] | None = None,
    order: Order | None = None,
) -> bool:
    """The bot created `kind` (return, refund, ticket) `number` for the conversation; `request`
    names what the customer wanted, `details` what the bot collected for it."""
    conversation = store.get(db_session, conversation_id)
    if conversation is None:
        return False
    record = collected(conversation)
    created = [c for c in record.get("created", []) if c.get("number") != number]
    record["created"] = [*created, {"kind": kind, "number": number}]
    if request:
        record["request"] = request
    if details:
        record["details"] = {**record.get("details", {}), **details}
    if order is not None:
        record["order"] = order_facts(order)
    _save(conversation, record)
    return True


def record_return(
    db_session: Session, *, conversation_id: str | None, created: Return, order: Order
) -> None:
    """The bot opened return `created` for the conversation the write proved."""
    if conversation_id:
        record_created(
            db_session,
            conversation_id=conversation_id,
            kind="return",
            number=created.rma_number,
            request=f"return ({created.resolution.value})",
            details={"return_reason": created.reason.value, "condition": created.condition.value},
            order=order,
        )


def record_refund(
    db_session: Session, *, conversation_id: str | None, created: Refund, order: Order
) -> None:
    """The bot requested refund `created` for the conversation the write proved."""
    if conversation_id:
        record_created(
            db_session,
            conversation_id=conversation_id,
            kind="refund",
            number=f"refund {created.id}: {created.amount} {created.currency}",
            request="refund",
            order=order,
        )
