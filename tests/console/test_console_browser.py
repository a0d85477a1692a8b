"""The console in a real browser against a real server: log in, go online, see a conversation
arrive live, claim it, read the transcript, reply, add a note and resolve."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser import LiveServer
from tests.conftest import SERVICE_KEY
from tests.console.conftest import PASSWORD, ann_chose_away
from tests.factories import make_customer, make_order
from tests.hub.helpers import CHANNEL_KEY, rest_id
from ticketing.conversations.broker import CONSOLE_TOPIC
from ticketing.conversations.models import Conversation
from ticketing.db import Database, utcnow

pytestmark = pytest.mark.slow


def customer_says(server: LiveServer, sender: str, text: str) -> list[dict[str, Any]]:
    """`sender` writes through an integration with the development channel key; its
    conversation is `rest_id(sender)`."""
    response = httpx.post(
        f"{server.url}/webhooks/rest/webhook",
        json={"sender": sender, "message": text},
        headers=CHANNEL_KEY,
        timeout=30,
    )
    assert response.status_code == 200, response.text
    answer: list[dict[str, Any]] = response.json()
    return answer


def stored_messages(server: LiveServer, conversation_id: str) -> list[dict[str, Any]]:
    response = httpx.get(
        f"{server.url}/api/conversations/{conversation_id}/messages",
        headers={"X-Api-Key": SERVICE_KEY},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    messages: list[dict[str, Any]] = response.json()
    return messages


def log_in(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.url}/console/")
    expect(page).to_have_url(f"{server.url}/console/login?next=/console/")
    page.get_by_label("Username").fill("ann")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{server.url}/console/")
    expect(page.locator("body")).to_have_attribute("data-live", "ready")


def go_away_and_back_online_with_room_for_one(page: Page) -> None:
    """Online since logging in (agents are, unless they chose Away): away, room for one, back."""
    expect(page.locator("body")).to_have_attribute("data-presence", "online")
    page.get_by_role("button", name="Away").click()
    expect(page.locator("body")).to_have_attribute("data-presence", "away")
    page.locator("#capacity").fill("1")
    with page.expect_response(lambda r: r.url.endswith("/api/console/me")) as saved:
        page.locator("#capacity").dispatch_event("change")
    assert saved.value.json()["capacity"] == 1
    page.get_by_role("button", name="Online").click()
    expect(page.locator("#go-online")).to_have_attribute("aria-pressed", "true")


def link_customer(database: Database, conversation_id: str, name: str) -> None:
    """The conversation's customer is known: the console shows their history."""
    with database.session(write=True) as db_session:
        customer = make_customer(db_session, name=name)
        make_order(db_session, customer, now=utcnow(), number="HIST-1")
        conversation = db_session.get(Conversation, conversation_id)
        assert conversation is not None
        conversation.customer_id = customer.id


def test_an_agent_works_a_conversation_in_the_console(
    server: LiveServer, page: Page, database: Database
) -> None:
    log_in(page, server)
    go_away_and_back_online_with_room_for_one(page)
    customer_says(server, "busy", "first customer")  # goes to Ann: she is online
    expect(page.locator(f'#mine li[data-id="{rest_id("busy")}"]')).to_be_visible()
    expect(page.locator("#queue-empty")).to_be_visible()

    customer_says(server, "x", "help <b>now</b>")  # Ann is full: it waits in the queue
    waiting = page.locator(f'#queue li[data-id="{rest_id("x")}"]')
    expect(waiting).to_be_visible()
    expect(waiting.locator(".wait")).to_contain_text("waiting")
    expect(waiting.locator(".preview")).to_have_text("“help <b>now</b>”")
    link_customer(database, rest_id("x"), "Vera <b>Vip</b>")
    waiting.get_by_role("button", name="Claim").click()

    expect(page).to_have_url(f"{server.url}/console/conversations/{rest_id('x')}")
    transcript = page.locator("#transcript")
    expect(transcript.locator(".msg.customer .text").first).to_have_text("help <b>now</b>")
    expect(transcript.locator("b")).to_have_count(0)  # shown as text, never as HTML
    expect(transcript.locator(".msg.system").first).to_contain_text("passing you to a colleague")
    expect(page.locator("#owner-badge")).to_have_text("human · Ann Agent")
    expect(page.locator("#ticket")).to_contain_text("T-")
    history = page.locator("#customer-history")
    expect(history).to_be_visible()
    expect(history.locator("#history-customer")).to_contain_text("Vera <b>Vip</b>")
    expect(history.locator("#history-orders")).to_contain_text("HIST-1")
    expect(history.locator("#history-conversations")).to_contain_text(f"{rest_id('x')} (this one)")
    expect(history.locator("b")).to_have_count(0)

    page.locator("#reply-text").fill("Hello, I'm Ann. Let me check.")
    page.get_by_role("button", name="Send").click()
    expect(transcript.locator(".msg.agent .text")).to_have_text("Hello, I'm Ann. Let me check.")
    texts = [m["text"] for m in stored_messages(server, rest_id("x"))]
    assert texts[-1] == "Hello, I'm Ann. Let me check."

    page.locator("#note-text").fill("Customer seems in a hurry")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator("#notes .text")).to_have_text("Customer seems in a hurry")

    customer_says(server, "x", "thanks!")
    expect(transcript.locator(".msg.customer .text").last).to_have_text("thanks!")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Resolve").click()
    expect(page.locator("#owner-badge")).to_have_text("resolved · Ann Agent")
    expect(transcript.locator(".msg.system").last).to_contain_text("How did we do?")
    assert all("hurry" not in (m["text"] or "") for m in stored_messages(server, rest_id("x")))


def test_a_message_whose_live_event_was_lost_still_reaches_the_console(
    server: LiveServer, page: Page, monkeypatch: pytest.MonkeyPatch, database: Database
) -> None:
    """Redis pub/sub delivers at most once: the console's periodic reload makes up for it."""
    ann_chose_away(database)  # the conversation waits in the queue for her to claim it
    customer_says(server, "quiet", "hello?")
    log_in(page, server)
    page.locator(f'#queue li[data-id="{rest_id("quiet")}"]').get_by_role(
        "button", name="Claim"
    ).click()
    transcript = page.locator("#transcript")
    expect(transcript.locator(".msg.customer .text").first).to_have_text("hello?")

    hub = server.app.state.hub
    publish = hub.broker.publish

    async def losing_console_events(topic: str, event: dict[str, Any]) -> None:
        if topic != CONSOLE_TOPIC:
            await publish(topic, event)

    monkeypatch.setattr(hub.broker, "publish", losing_console_events)
    customer_says(server, "quiet", "are you there?")
    last = transcript.locator(".msg.customer .text").last
    expect(last).to_have_text("are you there?", timeout=25_000)
