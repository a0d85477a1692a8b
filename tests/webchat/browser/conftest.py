"""The widget's browser tests share, per test module, one SQLite file, one real uvicorn with a
flushed Redis (when configured), one headless chromium, and a fresh browser profile per test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, sync_playwright

import ticketing.models
from tests.browser import LiveServer, launch
from tests.conftest import SECRET, SERVICE_KEY
from tests.factories import make_staff
from tests.webchat import fake_rasa
from tests.webchat.browser.widget import SOCKET_SPY
from ticketing.app import create_app
from ticketing.db import Database
from ticketing.settings import Settings
from ticketing.staff.models import StaffRole


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """One SQLite file for the module (the API tests cover PostgreSQL)."""
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('widget') / 'chat.db'}")
    ticketing.models.Base.metadata.create_all(db.engine)
    yield db
    db.dispose()


@pytest.fixture(scope="module")
def server(
    database: Database, rasa_server: fake_rasa.FakeRasa, module_redis_url: str | None
) -> Iterator[LiveServer]:
    settings = Settings(
        environment="test",
        database_url="sqlite:///unused",
        # Flushed first: other tests' new chats from 127.0.0.1 count against the same limit.
        redis_url=module_redis_url,
        secret_key=SECRET,
        service_api_keys=SERVICE_KEY,
        rasa_url=rasa_server.url,
    )
    live = LiveServer(create_app(settings, database=database)).start()
    yield live
    live.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, server: LiveServer) -> Iterator[Page]:
    """A fresh browser profile (no token yet) on the demo shop, with the socket spy."""
    context = browser.new_context()
    context.set_default_timeout(10_000)
    opened = context.new_page()
    opened.add_init_script(SOCKET_SPY)
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.goto(f"{server.url}/chat/")
    yield opened
    context.close()
    assert errors == [], errors


@pytest.fixture(scope="module")
def agent_id(database: Database) -> int:
    with database.session() as db_session:
        return make_staff(db_session, "maria", StaffRole.AGENT).id
