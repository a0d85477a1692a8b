"""Reading what the hub stored, straight from the database."""

from __future__ import annotations

from sqlalchemy import select

from ticketing.conversations.models import Conversation, ConversationEvent, Message
from ticketing.db import Database
from ticketing.tickets.models import Ticket


def messages(database: Database, conversation_id: str) -> list[tuple[str, str | None]]:
    with database.session() as s:
        rows = s.scalars(
            select(Message).where(Message.conversation_id == conversation_id).order_by(Message.id)
        )
        return [(m.sender.value, m.text) for m in rows]


def events(database: Database, conversation_id: str) -> list[str]:
    with database.session() as s:
        rows = s.scalars(
            select(ConversationEvent)
            .where(ConversationEvent.conversation_id == conversation_id)
            .order_by(ConversationEvent.id)
        )
        return [e.kind for e in rows]


def conversation(database: Database, conversation_id: str) -> Conversation:
    with database.session() as s:
        found = s.get(Conversation, conversation_id)
        assert found is not None
        return found


def tickets(database: Database) -> list[Ticket]:
    with database.session() as s:
        return list(s.scalars(select(Ticket).order_by(Ticket.id)))
