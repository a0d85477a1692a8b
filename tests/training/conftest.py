"""Fixtures for the training inbox tests: staff logins, conversations made through the hub,
misunderstandings reported as the action server reports them, and a word-overlap stand-in
for MiniLM (the real model is loaded only where a test says so)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.helpers import proof
from tests.assist.fakes import WordEmbedder
from tests.conftest import SERVICE_KEY, Clock
from tests.console.conftest import Console
from ticketing.db import Database
from ticketing.staff.models import StaffRole
from ticketing.training.grouping import Encoder

SERVICE = {"X-Api-Key": SERVICE_KEY}
MANAGER = "maya"
AGENT = "arno"


class Inbox(Console):
    """The console API plus the action server's reports."""

    def conversation(self, external_id: str, text: str = "hello there") -> str:
        """A conversation made by a customer message through the hub."""
        return self.customer_writes(external_id, text).conversation.id

    def report(self, conversation_id: str, text: str, **fields: Any):  # type: ignore[no-untyped-def]
        body = {"conversation_id": conversation_id, "text": text, "reason": "fallback", **fields}
        headers = {**SERVICE, **proof(self.client, conversation_id)}
        return self.client.post("/api/training/misunderstandings", json=body, headers=headers)

    def reported(self, conversation_id: str, text: str, **fields: Any) -> int:
        answer = self.report(conversation_id, text, **fields)
        assert answer.status_code in (200, 201), answer.text
        item_id: int = answer.json()["id"]
        return item_id

    def inbox(self, username: str = MANAGER) -> dict[str, Any]:
        answer = self.get(username, "/training/inbox")
        assert answer.status_code == 200, answer.text
        inbox: dict[str, Any] = answer.json()
        return inbox

    def label(self, item_ids: list[int], decision: str = "intent", intent: str | None = None):  # type: ignore[no-untyped-def]
        body = {"item_ids": item_ids, "decision": decision, "intent": intent}
        return self.post(MANAGER, "/training/labels", body)


def use_word_embedder(client: TestClient) -> None:
    client.app.state.training_encoder = Encoder(load=WordEmbedder)  # type: ignore[attr-defined]


@pytest.fixture
def inbox(client: TestClient, database: Database, clock: Clock) -> Inbox:
    use_word_embedder(client)
    helper = Inbox(client, database, clock)
    helper.staff(MANAGER, StaffRole.MANAGER)
    helper.staff(AGENT, StaffRole.AGENT)
    return helper
