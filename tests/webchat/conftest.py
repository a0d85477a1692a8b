"""Web chat fixtures: a fake Rasa on loopback and the app wired to it, plus a chat helper."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.browser import LiveServer
from tests.conftest import Clock
from tests.factories import make_staff
from tests.webchat import fake_rasa
from ticketing.app import create_app
from ticketing.db import Database
from ticketing.settings import Settings
from ticketing.staff.models import StaffRole


@pytest.fixture(scope="session")
def rasa_server() -> Iterator[fake_rasa.FakeRasa]:
    with fake_rasa.running() as server:
        yield server


@pytest.fixture
def rasa(rasa_server: fake_rasa.FakeRasa) -> fake_rasa.FakeRasa:
    """The fake Rasa with an empty record of what it received."""
    rasa_server.received.clear()
    return rasa_server


@pytest.fixture
def bot_client(
    database: Database, settings: Settings, clock: Clock, rasa: fake_rasa.FakeRasa
) -> Iterator[TestClient]:
    """The app with a (fake) bot answering, unlike `client`, whose bot is down."""
    app = create_app(
        settings.model_copy(update={"rasa_url": rasa.url}), database=database, clock=clock
    )
    with TestClient(app) as test_client:
        yield test_client


class Chat:
    """One browser's chat: a token from `POST /chat/api/sessions` and calls that send it."""

    def __init__(self, client: TestClient | httpx.Client) -> None:
        self.client = client
        response = client.post("/chat/api/sessions")
        assert response.status_code == 201, response.text
        self.token: str = response.json()["token"]
        self.conversation_id: str = response.json()["conversation_id"]
        self.headers = {"X-Chat-Token": self.token}
        self.sent = 0

    def send(self, text: str | None = None, *, client_id: str | None = None, **body: Any) -> Any:
        self.sent += 1
        body = {"text": text, "client_id": client_id or f"c{self.sent}", **body}
        return self.client.post("/chat/api/messages", json=body, headers=self.headers)

    def history(self, after: int = 0) -> Any:
        response = self.client.get(f"/chat/api/messages?after={after}", headers=self.headers)
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
def new_chat() -> type[Chat]:
    return Chat


@pytest.fixture
def agent_id(database: Database) -> int:
    """An agent ("Maria") who can answer and resolve conversations."""
    with database.session() as db_session:
        return make_staff(db_session, "maria", StaffRole.AGENT).id


@pytest.fixture
def live(
    database: Database, settings: Settings, clock: Clock, rasa: fake_rasa.FakeRasa
) -> Iterator[LiveServer]:
    """The app (bot answering) behind a real uvicorn: real WebSockets, unlike TestClient."""
    app = create_app(
        settings.model_copy(update={"rasa_url": rasa.url}), database=database, clock=clock
    )
    server = LiveServer(app).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def http(live: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.url, timeout=30) as client:
        yield client
