"""The whole assistant on loopback: a seeded backend (PostgreSQL when configured, else SQLite),
the action server and the Rasa server with the trained model, shared by the dialogue tests."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy.engine import make_url

from bot.model_cache import latest_model_path
from tests.conftest import POSTGRES_URL, REDIS_URL
from tests.dialogue import servers
from ticketing.cli.db import upgrade_head
from ticketing.db import Database
from ticketing.seed.demo import DemoSummary, seed_demo

SERVICE_KEY = "dialogue-service-key-0123456789"
DIALOGUE_DB = "supportbot_dialogue"

pytestmark = pytest.mark.rasa


def _database_url(tmp: Path) -> str:
    """A fresh database of its own: other tests truncate the shared PostgreSQL one."""
    if not POSTGRES_URL:
        return f"sqlite:///{tmp / 'dialogue.db'}"
    url = make_url(POSTGRES_URL)
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DIALOGUE_DB} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DIALOGUE_DB}")
    return url.set(database=DIALOGUE_DB).render_as_string(hide_password=False)


@dataclass
class Stack:
    rasa: servers.Server
    backend: servers.Server
    database: Database
    demo: DemoSummary

    def showcase(self, key: str) -> tuple[str, str]:
        """(order number, email) of a ready-to-try demo order."""
        order = next(s for s in self.demo.showcase if s.key == key)
        return order.number, order.email


@pytest.fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    override = os.environ.get("SUPPORTBOT_TEST_RASA_MODEL")  # to try a model by hand
    model = Path(override) if override else latest_model_path(servers.ROOT)
    if model is None:
        pytest.fail("No trained Rasa model for the current training data: run `make model`.")
    logs = tmp_path_factory.mktemp("dialogue")
    url = _database_url(logs)
    upgrade_head(url)
    database = Database(url)
    with database.session(write=True) as session:
        demo = seed_demo(db_session=session)
    with (
        servers.backend(url, REDIS_URL, SERVICE_KEY, logs) as backend,
        servers.action_server(backend.url, SERVICE_KEY, logs) as actions,
        servers.rasa_server(model, actions.url, logs) as rasa,
    ):
        yield Stack(rasa=rasa, backend=backend, database=database, demo=demo)
    database.dispose()


class Chat:
    """One customer talking to Rasa's REST channel."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.sender = f"dialogue-{uuid.uuid4().hex[:12]}"
        self.transcript: list[str] = []

    def say(self, text: str) -> list[dict[str, Any]]:
        response = httpx.post(
            f"{self.stack.rasa.url}/webhooks/rest/webhook",
            json={"sender": self.sender, "message": text},
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
