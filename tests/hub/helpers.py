"""Handing a conversation over to a person through the API, and reading what the hub stored,
straight from the database."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.conftest import new_key
from ticketing.conversations.models import Conversation, ConversationEvent, Message
from ticketing.db import Database
from ticketing.tickets.models import Ticket


def handed_over(client: TestClient, service_headers: dict[str, str], sender: str = "ada") -> str:
    """The customer asks the bot for a person over the REST channel and the bot's escalation
    action calls POST /api/handoffs mid-conversation; returns the conversation's id."""
    said = client.post(
        "/webhooks/rest/webhook", json={"sender": sender, "message": "I want a person"}
    )
    assert said.status_code == 200, said.text
    response = client.post(
        "/api/handoffs",
        json={"conversation_id": f"rest-{sender}", "channel": "rest", "reason": "requested"},
        headers={**service_headers, "Idempotency-Key": new_key()},
    )
    assert response.status_code == 201, response.text
    return f"rest-{sender}"


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
