"""Fixtures for the console tests: staff accounts, console logins and handed-off conversations,
and for the browser tests a real server (with the agent Ann) and a chromium page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page

from tests.browser import LiveServer, add_agent_ann, chromium_page, live_server
from tests.conftest import Clock
from ticketing.agents import assignment
from ticketing.app import create_app
from ticketing.conversations.hub import Hub, Inbound
from ticketing.conversations.schemas import Delivery
from ticketing.db import Database
from ticketing.settings import Settings
from ticketing.staff import service as staff_service
from ticketing.staff.models import StaffRole

PASSWORD = "console password 123"  # noqa: S105 - test accounts only


class Console:
    """Drives the console API of one TestClient app as different staff members."""

    def __init__(self, client: TestClient, database: Database, clock: Clock) -> None:
        self.client = client
        self.database = database
        self.clock = clock
        self._tokens: dict[str, str] = {}

    @property
    def hub(self) -> Hub:
        hub: Hub = self.client.app.state.hub  # type: ignore[attr-defined]
        return hub

    def staff(self, username: str, role: StaffRole = StaffRole.AGENT) -> str:
        """Create a staff member; returns the username."""
        with self.database.session(write=True) as db_session:
            staff_service.create(
                db_session=db_session,
                username=username,
                display_name=username.title(),
                password=PASSWORD,
                role=role,
            )
        return username

    def headers(self, username: str) -> dict[str, str]:
        """Bearer headers (no cookies, so no CSRF token needed)."""
        if username not in self._tokens:
            response = self.client.post(
                "/api/auth/login", json={"username": username, "password": PASSWORD}
            )
            assert response.status_code == 200, response.text
            self._tokens[username] = response.json()["access_token"]
        return {"Authorization": f"Bearer {self._tokens[username]}"}

    def get(self, username: str, path: str, **kwargs: object):  # type: ignore[no-untyped-def]
        return self.client.get(f"/api/console{path}", headers=self.headers(username), **kwargs)

    def post(self, username: str, path: str, json: object = None):  # type: ignore[no-untyped-def]
        return self.client.post(f"/api/console{path}", headers=self.headers(username), json=json)

    def put(self, username: str, path: str, json: object):  # type: ignore[no-untyped-def]
        return self.client.put(f"/api/console{path}", headers=self.headers(username), json=json)

    def online(self, username: str, capacity: int = 3) -> None:
        answer = self.put(username, "/me", {"presence": "online", "capacity": capacity})
        assert answer.status_code == 200, answer.text

    def customer_writes(
        self, external_id: str, text: str = "help", channel: str = "web"
    ) -> Delivery:
        """A customer message through the hub; with no Rasa configured it goes to a person."""
        inbound = Inbound(channel=channel, external_id=external_id, text=text)
        delivery: Delivery = self.client.portal.call(self.hub.receive, inbound)  # type: ignore[union-attr]
        return delivery

    def handoff(self, external_id: str, *, minutes_later: float = 1) -> str:
        """A new conversation handed to a person; the clock moves on afterwards."""
        conversation_id = self.customer_writes(external_id).conversation.id
        self.clock.advance(minutes=minutes_later)
        return conversation_id


@pytest.fixture
def console(client: TestClient, database: Database, clock: Clock) -> Console:
    return Console(client, database, clock)


def cookie_login(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Log in through the form like a browser; returns the CSRF cookie's value."""
    page = client.get("/console/login")
    csrf = client.cookies["supportbot_csrf"]
    assert page.status_code == 200
    response = client.post(
        "/console/login",
        data={"username": username, "password": password, "csrf_token": csrf, "next": "/console/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client.cookies["supportbot_csrf"]


@pytest.fixture
def server(database: Database, settings: Settings) -> Iterator[LiveServer]:
    """The app behind a real uvicorn, with the agent Ann (password `PASSWORD`)."""
    add_agent_ann(database, PASSWORD)
    with live_server(create_app(settings, database=database)) as live:
        yield live


def ann_chose_away(database: Database) -> None:
    """Ann chose Away last time: logging in leaves her away, and the queue keeps what waits
    (agents are online after logging in otherwise, and take waiting conversations at once)."""
    with database.session(write=True) as db_session:
        ann = staff_service.get_by_username_or_raise(db_session=db_session, username="ann")
        state = assignment.state_of(db_session, ann.id)
        state.online_on_login = False


@pytest.fixture
def page() -> Iterator[Page]:
    """A chromium page whose console messages are printed."""
    with chromium_page() as page:
        page.on("console", lambda message: print("browser:", message.type, message.text))  # noqa: T201
        yield page
