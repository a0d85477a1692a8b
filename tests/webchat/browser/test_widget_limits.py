"""The widget when the server limits new chats (one per address here): the customer reads why
and how long to wait instead of "Waiting for the connection…", the message waits in the outbox
rather than being lost, and a page asks for one token however fast the customer types."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

import ticketing.models
from tests.browser import LiveServer, live_server, new_page
from tests.conftest import SECRET, SERVICE_KEY
from tests.webchat import fake_rasa
from ticketing.app import create_app
from ticketing.db import Database
from ticketing.settings import Settings

pytestmark = pytest.mark.slow


@pytest.fixture
def server(
    tmp_path: Any, rasa_server: fake_rasa.FakeRasa, redis_url: str | None
) -> Iterator[LiveServer]:
    database = Database(f"sqlite:///{tmp_path / 'limits.db'}")
    ticketing.models.Base.metadata.create_all(database.engine)
    settings = Settings(
        environment="test",
        database_url="sqlite:///unused",
        redis_url=redis_url,  # flushed: the limit counts from zero (Redis or process memory)
        secret_key=SECRET,
        service_api_keys=SERVICE_KEY,
        rasa_url=rasa_server.url,
        chat_session_limit_per_ip=1,
    )
    with live_server(create_app(settings, database=database)) as live:
        yield live
    database.dispose()


def session_requests(page: Page) -> list[int]:
    """The statuses of the page's `POST /chat/api/sessions`, filled in as they answer."""
    statuses: list[int] = []
    page.on(
        "response",
        lambda response: (
            statuses.append(response.status)
            if response.url.endswith("/chat/api/sessions") and response.request.method == "POST"
            else None
        ),
    )
    return statuses


def start_chat(page: Page, server: LiveServer, text: str) -> None:
    page.goto(f"{server.url}/chat/")
    page.get_by_role("button", name="Open the chat").click()
    box = page.get_by_label("Your message")
    box.fill(text)
    box.press("Enter")


def test_a_refused_new_chat_says_why_and_keeps_the_message(browser: Any, server: LiveServer):
    first, second = new_page(browser), new_page(browser)
    first_sessions, second_sessions = session_requests(first), session_requests(second)

    # Opening the chat and sending at once: both need a token, one request answers both.
    start_chat(first, server, "Hello <b>there</b> 👋")
    expect(first.locator(".from-bot .text").first).to_have_text(fake_rasa.GREETING)
    assert first_sessions == [201]

    start_chat(second, server, "where is my parcel?")
    pending = second.locator(".from-customer.pending")
    expect(pending.locator(".text")).to_have_text("where is my parcel?")
    expect(pending.locator(".note")).to_have_text(
        "You've started many chats in a short time; please wait 60 minutes."
    )
    expect(second.get_by_text("You've started many chats in a short time")).to_have_count(2)
    assert second.locator(".from-bot").count() == 0
    assert set(second_sessions) == {429}
    saved = second.evaluate("() => Object.values(localStorage).map(JSON.parse)")
    assert [item["text"] for item in saved[0]["outbox"]] == ["where is my parcel?"]
    assert saved[0]["token"] is None
    assert "Waiting for the connection" not in json.dumps(second.content())
