"""Handing a conversation over to a person through the API, and reading what the hub stored,
straight from the database."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.api.helpers import proof
from tests.conftest import new_key
from ticketing.conversations import rest_channel
from ticketing.conversations.models import Conversation, ConversationEvent, Message
from ticketing.db import Database
from ticketing.settings import DEVELOPMENT_REST_CHANNEL_KEY
from ticketing.tickets.models import Ticket

CHANNEL_KEY = {rest_channel.CHANNEL_KEY_HEADER: DEVELOPMENT_REST_CHANNEL_KEY}


def rest_id(sender: str) -> str:
    """The conversation id of an integration's `sender` on the REST channel."""
    return rest_channel.conversation_id(rest_channel.integration_external_id(sender))


def rest_say(
    client: TestClient | httpx.Client, sender: str, text: str, **body: Any
) -> httpx.Response:
    """POST /webhooks/rest/webhook as a server-side integration (the development channel key),
    which names its customers itself."""
    return client.post(
        "/webhooks/rest/webhook",
        json={"sender": sender, "message": text, **body},
        headers=CHANNEL_KEY,
    )


def handed_over(client: TestClient, service_headers: dict[str, str], sender: str = "ada") -> str:
    """The customer asks the bot for a person over the REST channel and the bot's escalation
    action calls POST /api/handoffs mid-conversation; returns the conversation's id."""
    said = rest_say(client, sender, "I want a person")
    assert said.status_code == 200, said.text
    response = client.post(
        "/api/handoffs",
        json={"conversation_id": rest_id(sender), "channel": "rest", "reason": "requested"},
        headers={**service_headers, **proof(client, rest_id(sender)), "Idempotency-Key": new_key()},
    )
    assert response.status_code == 201, response.text
    return rest_id(sender)


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
