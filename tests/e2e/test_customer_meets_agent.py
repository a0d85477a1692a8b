"""The whole human handoff in two real browsers against one real server: a customer chats with
the bot in the shop's widget and asks for a person; an agent logs in to the console, claims the
conversation and replies; the customer answers; the agent resolves; the customer rates."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

import ticketing.models
from tests.browser import LiveServer, add_agent_ann, chromium, live_server, new_page
from tests.conftest import SECRET, SERVICE_KEY
from tests.fake_rasa import FakeRasa
from ticketing.app import create_app
from ticketing.conversations.models import Conversation, ConversationEvent
from ticketing.db import Database
from ticketing.feedback.models import CsatRating
from ticketing.settings import Settings

pytestmark = pytest.mark.slow
PASSWORD = "a long enough password 42"
TIMEOUT_MS = 30_000  # a busy CI machine: every step waits for real servers and Chromium


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = Database(f"sqlite:///{tmp_path / 'e2e.db'}")
    ticketing.models.Base.metadata.create_all(db.engine)
    add_agent_ann(db, PASSWORD)
    yield db
    db.dispose()


@pytest.fixture
def server(database: Database, rasa: FakeRasa, redis_url: str | None) -> Iterator[LiveServer]:
    settings = Settings(
        environment="test",
        database_url="sqlite:///unused",
        # When set, consoles and widgets are fed through Redis pub/sub; flushed, so that other
        # tests' new chats from 127.0.0.1 do not count against this one's limit.
        redis_url=redis_url,
        secret_key=SECRET,
        service_api_keys=SERVICE_KEY,
        rasa_url=rasa.url,
    )
    with live_server(create_app(settings, database=database)) as live:
        yield live


@pytest.fixture
def browser() -> Iterator[Any]:
    with chromium(TIMEOUT_MS) as browser:
        yield browser


def customer_asks_for_a_person(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.url}/chat/")
    page.get_by_role("button", name="Open the chat").click()
    box = page.get_by_label("Your message")
    box.fill("my parcel arrived broken 😞")
    box.press("Enter")
    expect(page.locator(".from-bot .text").first).to_have_text(
        "You said: my parcel arrived broken 😞"
    )
    page.get_by_role("button", name="Talk to a person").click()
    expect(page.get_by_text("Waiting for a colleague to join…")).to_be_visible()


def agent_logs_in_and_has_it(page: Page, server: LiveServer) -> None:
    """An agent is online once logged in, so the waiting conversation is hers at once."""
    page.goto(f"{server.url}/console/")
    page.get_by_label("Username").fill("ann")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("body")).to_have_attribute("data-live", "ready")
    expect(page.get_by_role("button", name="Online")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#queue li")).to_have_count(0)
    mine = page.locator("#mine li").first
    expect(mine).to_contain_text("Web chat")
    mine.get_by_role("link").click()
    transcript = page.locator("#transcript")
    expect(transcript.locator(".msg.bot .text").first).to_have_text(
        "You said: my parcel arrived broken 😞"
    )
    expect(page.locator("#owner-badge")).to_have_text("human · Ann Agent")


def test_a_customer_is_helped_by_an_agent_and_rates_the_help(
    browser: Any, server: LiveServer, database: Database, rasa: FakeRasa
) -> None:
    customer, agent = new_page(browser, TIMEOUT_MS), new_page(browser, TIMEOUT_MS)

    customer_asks_for_a_person(customer, server)
    agent_logs_in_and_has_it(agent, server)
    expect(customer.get_by_text("You're chatting with Ann Agent")).to_be_visible()

    agent.locator("#reply-text").fill("Hi, I'm Ann. I'm sorry! A replacement ships today.")
    agent.get_by_role("button", name="Send").click()
    expect(customer.locator(".from-agent .text")).to_have_text(
        "Hi, I'm Ann. I'm sorry! A replacement ships today."
    )
    customer.get_by_label("Your message").fill("thank you!")
    customer.get_by_label("Your message").press("Enter")
    expect(agent.locator("#transcript .msg.customer .text").last).to_have_text("thank you!")

    agent.once("dialog", lambda dialog: dialog.accept())  # "Resolve ... and ask for a rating?"
    agent.get_by_role("button", name="Resolve").click()
    rating = customer.get_by_role("form", name="Rate this conversation")
    expect(rating).to_be_visible()
    customer.get_by_role("button", name="5 of 5 stars").click()
    customer.get_by_label("Comment (optional)").fill("Ann was great")
    customer.get_by_role("button", name="Send rating").click()
    expect(customer.get_by_text("Thank you for your feedback!")).to_be_visible()

    with database.session() as db_session:
        stored = db_session.scalar(select(CsatRating))
        assert stored is not None
        assert (stored.score, stored.comment, stored.channel) == (5, "Ann was great", "web")
        assert stored.agent is not None and stored.agent.username == "ann"
        conversation = db_session.scalar(select(Conversation))
        assert conversation is not None and conversation.owner == "closed"
        kinds = list(
            db_session.scalars(select(ConversationEvent.kind).order_by(ConversationEvent.id))
        )
    assert rasa.messages_from(conversation.id) == ["my parcel arrived broken 😞"]
    for kind in ("bot_handoff", "agent_assigned", "first_human_reply", "resolved"):
        assert kind in kinds, kinds
    assert kinds[-2:] == ["csat_submitted", "nps_requested"]  # policy.yml turns NPS on
