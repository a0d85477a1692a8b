"""The whole assistant on loopback: a seeded backend (PostgreSQL when configured, else SQLite),
the action server and the Rasa server with the trained model, shared by the dialogue tests."""

from __future__ import annotations

import socket
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from tests.conftest import REDIS_URL
from tests.dialogue import servers
from tests.hub.helpers import CHANNEL_KEY
from ticketing.db import Database
from ticketing.seed.demo import DemoSummary
from ticketing.verification import conversation_proof

SERVICE_KEY = "dialogue-service-key-0123456789"
DIALOGUE_DB = "supportbot_dialogue"

pytestmark = pytest.mark.rasa


class EarlyMessage:
    """A customer who writes through the hub while Rasa is still loading its model."""

    def __init__(self, backend_url: str, rasa_port: int) -> None:
        self.backend_url = backend_url
        self.rasa_listening = _listening(rasa_port)  # must be False for the check to mean much
        self.replies: list[dict[str, Any]] = []
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._send, daemon=True)
        self.thread.start()

    def _send(self) -> None:
        try:
            response = httpx.post(
                f"{self.backend_url}/webhooks/rest/webhook",
                json={"sender": "early-bird", "message": "hi"},
                headers=CHANNEL_KEY,
                timeout=900,
            )
            response.raise_for_status()
            self.replies = response.json()
        except BaseException as error:  # noqa: BLE001 - reported by the test that reads it
            self.error = error


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Stack:
    rasa: servers.Server
    backend: servers.Server
    database: Database
    demo: DemoSummary
    early: EarlyMessage

    def showcase(self, key: str) -> tuple[str, str]:
        """(order number, email) of a ready-to-try demo order."""
        order = next(s for s in self.demo.showcase if s.key == key)
        return order.number, order.email


@pytest.fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    model = servers.trained_model()
    logs = tmp_path_factory.mktemp("dialogue")
    url, database, demo = servers.seeded_database(logs, DIALOGUE_DB)
    rasa_port = servers.free_port()  # the backend's hub forwards to Rasa: it needs the URL first
    rasa_url = f"http://127.0.0.1:{rasa_port}"
    # While Rasa loads its model, the hub holds messages instead of handing them to a person.
    waits = {"SUPPORTBOT_RASA_STARTUP_SECONDS": "900"}
    try:
        with (
            servers.backend(
                url, REDIS_URL, SERVICE_KEY, logs, rasa_url=rasa_url, extra_env=waits
            ) as backend,
            servers.action_server(backend.url, SERVICE_KEY, logs) as actions,
        ):
            early = EarlyMessage(backend.url, rasa_port)
            with servers.rasa_server(model, actions.url, logs, port=rasa_port) as rasa:
                early.thread.join(timeout=300)
                yield Stack(rasa=rasa, backend=backend, database=database, demo=demo, early=early)
    finally:
        database.dispose()  # also when a server fails to start


class Chat:
    """One customer talking to Rasa's REST channel."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.sender = f"dialogue-{uuid.uuid4().hex[:12]}"
        self.transcript: list[str] = []

    def say(self, text: str) -> list[dict[str, Any]]:
        """Straight to Rasa, with the metadata the hub would add: the actions need its proof
        for the conversation to rate it, open a ticket or hand it over."""
        proof = conversation_proof.issue(
            secret=servers.BACKEND_SECRET, conversation_id=self.sender, now=datetime.now(UTC)
        )
        metadata = {"channel": "rest", conversation_proof.METADATA_KEY: proof}
        response = httpx.post(
            f"{self.stack.rasa.url}/webhooks/rest/webhook",
            json={"sender": self.sender, "message": text, "metadata": metadata},
            timeout=60,
        )
        response.raise_for_status()
        replies: list[dict[str, Any]] = response.json()
        self.transcript.append(f"> {text}")
        self.transcript += [f"< {r.get('text', r)}" for r in replies]
        assert replies, f"the bot said nothing to {text!r}\n{self.log()}"
        return replies

    def text(self, message: str) -> str:
        """The bot's replies to `message`, joined, lower-cased."""
        return " ".join(str(r.get("text", "")) for r in self.say(message)).lower()

    def log(self) -> str:
        return (
            "\n".join(self.transcript)
            + "\n"
            + self.stack.rasa.tail(30)
            + "\n"
            + self.stack.backend.tail(10)
        )

    def verify(self, number: str, email: str) -> str:
        """Answer the identity questions; returns the reply to the email."""
        self.text(number)
        reply = self.text(email)
        assert "verified" in reply, self.log()
        return reply


@pytest.fixture
def chat(stack: Stack) -> Chat:
    return Chat(stack)


def take_order(stack: Stack, *conditions: Any, used: set[str] = set()) -> tuple[str, str]:  # noqa: B006 - shared on purpose: an order serves one test
    """(number, email) of a seeded order matching `conditions` that no other test used."""
    from sqlalchemy import select

    from ticketing.customers.models import Customer
    from ticketing.orders.models import Order

    with stack.database.session() as session:
        query = select(Order.number, Customer.email).join(Customer).where(*conditions)
        for number, email in session.execute(query.order_by(Order.number)):
            if number not in used:
                used.add(number)
                return number, email
    raise AssertionError(f"no unused seeded order matches {conditions}")
