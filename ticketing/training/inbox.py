"""Filling the inbox: a misunderstood message, masked, stored once per message."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ticketing.conversations import store
from ticketing.conversations.models import Conversation, Message, Sender
from ticketing.training.masking import KnownValues, mask_for_training
from ticketing.training.models import InboxItem, Reason
from ticketing.training.schemas import MAX_TEXT, MisunderstandingIn

MAX_GUESSES = 3
NOT_GUESSES = frozenset({"nlu_fallback"})
# Reasons that count as the bot failing a message (the reports' fallback rate).
MISSES = frozenset({Reason.FALLBACK, Reason.OUT_OF_SCOPE})
MISS_EVENT = "bot_misunderstood"
MIN_WORDS = 3


def known_values(conversation: Conversation, report: MisunderstandingIn) -> KnownValues:
    """What the message and the conversation are known to hold (see `KnownValues`): the
    entities and slots the action sent (order_number, email, phone, name) and the linked
    customer's name and contact."""
    found: dict[str, list[str]] = {"email": [], "phone": [], "order_number": []}
    for entity in report.entities:
        if entity.entity in found:
            found[entity.entity].append(entity.value)
    names = [entity.value for entity in report.entities if entity.entity == "name"]
    customer = conversation.customer
    if customer is not None:
        names.append(customer.name)
        found["email"].append(customer.email)
        if customer.phone:
            found["phone"].append(customer.phone)
    return KnownValues(
        emails=tuple(found["email"]),
        phones=tuple(found["phone"]),
        order_numbers=tuple(found["order_number"]),
        names=tuple(names),
    )


def _guesses(report: MisunderstandingIn) -> list[dict[str, object]]:
    best: list[dict[str, object]] = []
    for guess in sorted(report.guesses, key=lambda g: -g.confidence):
        if guess.intent not in NOT_GUESSES and all(g["intent"] != guess.intent for g in best):
            best.append({"intent": guess.intent, "confidence": round(guess.confidence, 4)})
    return best[:MAX_GUESSES]


def text_digest(masked: str) -> str:
    """One item per wording in a conversation: the fallback, the rejected clarification, the
    handoff and an agent's correction of the same message all land on it."""
    normalised = " ".join(masked.lower().split())
    return hashlib.sha256(normalised.encode()).hexdigest()[:40]


def record(
    db_session: Session, *, report: MisunderstandingIn, now: datetime
) -> tuple[InboxItem, bool]:
    """Store the reported message (masked) or add the new reason to its item; whether it is
    new. A miss (fallback, out of scope) is also a `bot_misunderstood` conversation event, so
    the reports' fallback rate outlives the inbox's retention."""
    conversation = store.get_or_raise(db_session, report.conversation_id)
    known = known_values(conversation, report)

    def masked(text: str | None) -> str | None:
        return mask_for_training(text, known) if text else None

    text = mask_for_training(report.text, known)
    key = text_digest(text)
    item = db_session.scalars(
        select(InboxItem).where(
            InboxItem.conversation_id == conversation.id, InboxItem.text_digest == key
        )
    ).first()
    created = item is None
    if item is None:
        item = InboxItem(
            conversation_id=conversation.id,
            text_digest=key,
            text=text,
            previous_bot_text=masked(report.previous_bot_text),
            previous_customer_text=masked(report.previous_customer_text),
            guesses=_guesses(report),
            reasons=[],
            created_at=now,
        )
        db_session.add(item)
    elif not item.guesses:
        item.guesses = _guesses(report)
    if report.reason.value not in item.reasons:
        item.reasons = [*item.reasons, report.reason.value]
        if report.reason in MISSES and not any(r in MISSES for r in item.reasons[:-1]):
            store.record(
                db_session,
                conversation,
                MISS_EVENT,
                actor="bot",
                now=now,
                data={"reason": report.reason.value},
            )
    db_session.flush()
    return item, created


def _is_request(text: str | None) -> bool:
    """A typed request: not a button payload, not "hi" or "yes" (fewer than 3 words)."""
    return bool(text) and not str(text).startswith("/") and len(str(text).split()) >= MIN_WORDS


def record_reason_correction(
    db_session: Session, *, conversation: Conversation, now: datetime
) -> InboxItem | None:
    """An agent corrected the contact reason: the bot read the customer's request wrong, so
    their first typed request (the message the bot's reason came from) goes to the inbox, or
    its item gets the reason."""
    messages = db_session.scalars(
        select(Message.text)
        .where(Message.conversation_id == conversation.id, Message.sender == Sender.CUSTOMER)
        .order_by(Message.id)
    )
    first = next((text for text in messages if _is_request(text)), None)
    if first is None:
        return None
    report = MisunderstandingIn(
        conversation_id=conversation.id,
        text=first[:MAX_TEXT],
        reason=Reason.REASON_CORRECTED,
    )
    item, _created = record(db_session, report=report, now=now)
    return item
