"""The real assistant on loopback for fault tests: a seeded backend whose hub knows Rasa's URL
and talks to a private Redis, the action server and the Rasa server. Rasa starts once for the
package (it takes over a minute); the pieces a test breaks can be restarted on their ports."""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from sqlalchemy import select

from tests.dialogue import servers
from tests.hub.helpers import CHANNEL_KEY, rest_id
from ticketing.conversations.models import Conversation, Message
from ticketing.db import Database
from ticketing.seed.demo import DemoSummary
from ticketing.tickets.models import Ticket

SERVICE_KEY = "faults-service-key-0123456789"
FAULTS_DB = "supportbot_faults"
TURN_SECONDS = 90  # one hub turn; the hub's own Rasa timeout is 30 s


def wait_until(condition: Any, what: str, seconds: float = 30) -> None:
    """Poll `condition()` until it is true; fail with `what` when it never is."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds:.0f} s waiting for {what}")
        time.sleep(0.1)


class RedisServer:
    """A private, throw-away redis-server on its own port (never the shared one on 6379)."""

    def __init__(self, logs: Path) -> None:
        self.port = servers.free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = logs / "redis.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not on PATH"
        argv = [binary, "--port", str(self.port), "--bind", "127.0.0.1"]
        argv += ["--save", "", "--appendonly", "no", "--logfile", str(self.log)]
        self.process = subprocess.Popen(argv)  # noqa: S603 - fixed argv
        wait_until(self.answers, f"redis-server on port {self.port}", 15)

    def answers(self) -> bool:
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@dataclass
class Stack:
    backend: servers.Server
    actions: servers.Server
    rasa: servers.Server
    redis: RedisServer
    database: Database
    demo: DemoSummary
    logs: Path
    model: Path
    exits: ExitStack = field(default_factory=ExitStack)

    def showcase(self, key: str) -> tuple[str, str]:
        """(order number, email) of a ready-to-try demo order."""
        order = next(s for s in self.demo.showcase if s.key == key)
        return order.number, order.email

    def restart_actions(self) -> None:
        """A new action server on the old port, so Rasa's action URL still points at it."""
        self.actions.stop()
        port = int(self.actions.url.rsplit(":", 1)[1])
        self.actions = self.exits.enter_context(
            servers.action_server(self.backend.url, SERVICE_KEY, self.logs, port=port)
        )

    def ensure_rasa(self) -> None:
        """Start Rasa again (same port) if a test stopped it: only needed out of file order."""
        if self.rasa.process.poll() is None:
            return
        port = int(self.rasa.url.rsplit(":", 1)[1])
        self.rasa = self.exits.enter_context(
            servers.rasa_server(self.model, self.actions.url, self.logs, port=port)
        )

    def tails(self) -> str:
        return "\n".join(s.tail(25) for s in (self.backend, self.actions, self.rasa))


@pytest.fixture(scope="package")  # one Rasa (a minute to start) for every fault test
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    model = servers.trained_model()
    logs = tmp_path_factory.mktemp("faults")
    url, database, demo = servers.seeded_database(logs, FAULTS_DB)
    private_redis = RedisServer(logs)
    private_redis.start()
    rasa_port = servers.free_port()  # the backend must know Rasa's URL before Rasa is up
    with ExitStack() as exits:
        exits.callback(database.dispose)  # also when a server fails to start
        exits.callback(private_redis.kill)
        backend = exits.enter_context(
            servers.backend(
                url,
                private_redis.url,
                SERVICE_KEY,
                logs,
                rasa_url=f"http://127.0.0.1:{rasa_port}",
                extra_env={
                    "SUPPORTBOT_RASA_TIMEOUT_SECONDS": "30",
                    # Every test customer writes from 127.0.0.1: the chaos test's 50 customers
                    # would hit the per-address limit, which tests/security covers.
                    "SUPPORTBOT_MESSAGE_LIMIT_PER_IP": "0",
                    "SUPPORTBOT_MESSAGE_LIMIT_PER_CONVERSATION": "0",
                    # ... and 40 of them fail verification on purpose, all from 127.0.0.1.
                    "SUPPORTBOT_VERIFICATION_FAILURES_PER_IP": "0",
                    "SUPPORTBOT_VERIFICATION_FAILURES_PER_MINUTE": "0",
                },
            )
        )
        actions = exits.enter_context(servers.action_server(backend.url, SERVICE_KEY, logs))
        rasa = exits.enter_context(servers.rasa_server(model, actions.url, logs, port=rasa_port))
        yield Stack(backend, actions, rasa, private_redis, database, demo, logs, model, exits)


@pytest.fixture
def live(stack: Stack) -> Stack:
    """The stack with every process up (a test before may have broken one)."""
    if stack.actions.process.poll() is not None:
        stack.restart_actions()
    if not stack.redis.answers():
        stack.redis.start()
    stack.ensure_rasa()
    return stack


class Customer:
    """One customer writing to the hub's REST channel (`POST /webhooks/rest/webhook`) through
    an integration holding the development channel key."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.sender = f"faults-{uuid.uuid4().hex[:12]}"
        self.conversation_id = rest_id(self.sender)
        self.sent: list[str] = []
        self.transcript: list[str] = []

    def say(self, text: str) -> list[dict[str, Any]]:
        """Send one message; the hub must answer 200 with a list (maybe empty)."""
        self.sent.append(text)
        response = httpx.post(
            f"{self.stack.backend.url}/webhooks/rest/webhook",
            json={"sender": self.sender, "message": text},
            headers=CHANNEL_KEY,
            timeout=TURN_SECONDS,
        )
        assert response.status_code == 200, f"{text!r}: {response.text}\n{self.log()}"
        replies: list[dict[str, Any]] = response.json()
        self.transcript.append(f"> {text}")
        self.transcript += [f"< {r.get('text', r)}" for r in replies]
        return replies

    def text(self, message: str) -> str:
        """The replies to `message`, joined and lower-cased; silence fails the test."""
        replies = self.say(message)
        assert replies, f"the customer got no reply at all to {message!r}\n{self.log()}"
        return " ".join(str(r.get("text", "")) for r in replies).lower()

    def stored(self) -> list[tuple[str, str | None]]:
        """(sender, text) of every stored message, oldest first, read from the database."""
        with self.stack.database.session() as session:
            query = (
                select(Message)
                .where(Message.conversation_id == self.conversation_id)
                .order_by(Message.id)
            )
            return [(m.sender.value, m.text) for m in session.scalars(query)]

    def owner(self) -> str:
        with self.stack.database.session() as session:
            conversation = session.get(Conversation, self.conversation_id)
            assert conversation is not None, f"{self.conversation_id} was never stored"
            return conversation.owner.value

    def tickets(self) -> list[Ticket]:
        with self.stack.database.session() as session:
            query = select(Ticket).where(Ticket.conversation_id == self.conversation_id)
            found = list(session.scalars(query))
            session.expunge_all()
            return found

    def api_messages(self) -> list[dict[str, Any]]:
        """The transcript as services read it: GET /api/conversations/{id}/messages."""
        response = httpx.get(
            f"{self.stack.backend.url}/api/conversations/{self.conversation_id}/messages",
            headers={"X-Api-Key": SERVICE_KEY},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        messages: list[dict[str, Any]] = response.json()
        return messages

    def assert_every_message_stored_once(self) -> None:
        customer_texts = [text for sender, text in self.stored() if sender == "customer"]
        assert customer_texts == self.sent, (
            f"stored customer messages {customer_texts} differ from what was sent {self.sent}"
        )
        api_texts = [m["text"] for m in self.api_messages() if m["sender"] == "customer"]
        assert api_texts == self.sent, f"the messages API shows {api_texts}, sent {self.sent}"

    def log(self) -> str:
        return "\n".join(self.transcript) + "\n" + self.stack.tails()


@pytest.fixture
def customer(live: Stack) -> Customer:
    return Customer(live)
