"""Posting updates to the webhook and reading what the hub stored."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select

from tests.telegram.conftest import SECRET_HEADER, WEBHOOK_SECRET
from tests.telegram.updates import CHAT_ID
from ticketing.conversations.models import Message
from ticketing.db import Database


def post_update(
    client: TestClient, update: dict[str, Any], secret: str = WEBHOOK_SECRET
) -> Response:
    return client.post("/telegram/webhook", json=update, headers={SECRET_HEADER: secret})


def deliver(client: TestClient, update: dict[str, Any]) -> None:
    response = post_update(client, update)
    assert response.status_code == 200, response.text
    assert response.json() == {"ok": True}


def stored_messages(database: Database, chat_id: int = CHAT_ID) -> list[Message]:
    with database.session() as session:
        query = select(Message).where(Message.conversation_id == f"telegram-{chat_id}")
        return list(session.scalars(query.order_by(Message.id)))


def keyboard(call: Any) -> list[list[dict[str, Any]]]:
    markup = call.json("reply_markup")
    assert markup is not None, f"no keyboard on {call}"
    rows: list[list[dict[str, Any]]] = markup["inline_keyboard"]
    return rows
