"""Reading and writing conversations and messages (synchronous; the hub calls these in a thread)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ticketing.conversations.models import (
    Conversation,
    ConversationEvent,
    CsatState,
    Direction,
    Message,
    Owner,
    Sender,
)
from ticketing.errors import NotFoundError


def conversation_id_for(channel: str, external_id: str) -> str:
    return f"{channel}-{external_id}"


def get(db_session: Session, conversation_id: str) -> Conversation | None:
    return db_session.get(Conversation, conversation_id)


def get_or_raise(db_session: Session, conversation_id: str) -> Conversation:
    conversation = get(db_session, conversation_id)
    if conversation is None:
        raise NotFoundError(
            f"There is no conversation {conversation_id}.", code="conversation_not_found"
        )
    return conversation


def get_or_create(
    db_session: Session, *, channel: str, external_id: str, now: datetime
) -> tuple[Conversation, bool]:
    """The channel user's conversation, created (owned by the bot) on their first message."""
    conversation_id = conversation_id_for(channel, external_id)
    conversation = get(db_session, conversation_id)
    if conversation is not None:
        return conversation, False
    conversation = Conversation(
        id=conversation_id,
        channel=channel,
        external_id=external_id,
        owner=Owner.BOT,
        csat_state=CsatState.NONE,
        context={},
        created_at=now,
        updated_at=now,
    )
    try:
        with db_session.begin_nested():
            db_session.add(conversation)
    except IntegrityError:  # another process created it first
        return get_or_raise(db_session, conversation_id), False
    record(db_session, conversation, "created", actor=channel, now=now)
    return conversation, True


def record(
    db_session: Session,
    conversation: Conversation,
    kind: str,
    *,
    actor: str,
    now: datetime,
    data: dict[str, Any] | None = None,
    staff_id: int | None = None,
) -> ConversationEvent:
    event = ConversationEvent(
        conversation_id=conversation.id,
        kind=kind,
        actor=actor,
        staff_id=staff_id,
        data=data or {},
        at=now,
    )
    db_session.add(event)
    return event


def find_by_client_id(
    db_session: Session, conversation_id: str, client_message_id: str
) -> Message | None:
    return db_session.scalar(
        select(Message).where(
            Message.conversation_id == conversation_id,
            Message.client_message_id == client_message_id,
        )
    )


def replies_to(db_session: Session, message_id: int) -> list[Message]:
    return list(
        db_session.scalars(
            select(Message).where(Message.reply_to_id == message_id).order_by(Message.id)
        )
    )


def add_message(
    db_session: Session,
    conversation: Conversation,
    *,
    direction: Direction,
    sender: Sender,
    now: datetime,
    text: str | None = None,
    payload: dict[str, Any] | None = None,
    sender_name: str | None = None,
    staff_id: int | None = None,
    client_message_id: str | None = None,
    reply_to_id: int | None = None,
) -> Message:
    message = Message(
        conversation_id=conversation.id,
        direction=direction,
        sender=sender,
        sender_name=sender_name,
        staff_id=staff_id,
        text=text,
        payload=payload or {},
        client_message_id=client_message_id,
        reply_to_id=reply_to_id,
        created_at=now,
    )
    db_session.add(message)
    conversation.last_message_at = now
    conversation.updated_at = now
    db_session.flush()
    return message


def messages(db_session: Session, conversation_id: str, *, after_id: int = 0) -> list[Message]:
    return list(
        db_session.scalars(
            select(Message)
            .where(Message.conversation_id == conversation_id, Message.id > after_id)
            .order_by(Message.id)
        )
    )


def events(db_session: Session, conversation_id: str) -> list[ConversationEvent]:
    return list(
        db_session.scalars(
            select(ConversationEvent)
            .where(ConversationEvent.conversation_id == conversation_id)
            .order_by(ConversationEvent.id)
        )
    )


def offered_payloads(db_session: Session, conversation_id: str, last: int) -> set[str]:
    """The button payloads of the conversation's `last` outgoing messages."""
    recent = db_session.scalars(
        select(Message)
        .where(Message.conversation_id == conversation_id, Message.direction == Direction.OUT)
        .order_by(Message.id.desc())
        .limit(last)
    )
    return {
        str(button.get("payload"))
        for message in recent
        for button in (message.payload or {}).get("buttons", [])
    }
