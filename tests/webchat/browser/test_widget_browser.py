"""The widget in a real (headless) chromium against a real uvicorn: the demo shop page, the
bot and its buttons, reloads, typing, a dropped socket, offline sending and the rating."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from tests.browser import LiveServer
from tests.webchat import fake_rasa
from tests.webchat.browser.widget import conversation_id, open_chat, say, texts
from ticketing.conversations.broker import conversation_topic
from ticketing.conversations.models import Message
from ticketing.feedback.models import CsatRating

pytestmark = pytest.mark.slow


def test_the_shop_page_embeds_the_widget_with_one_script_tag(page: Page):
    expect(page.get_by_role("heading", name="Demo Shop")).to_be_visible()  # policy.yml's name
    assert page.locator("script").count() == 1
    launcher = page.get_by_role("button", name="Open the chat")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    open_chat(page)
    expect(page.get_by_label("Your message")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog", name="Customer service chat")).to_be_hidden()


def test_chatting_with_the_bot_survives_a_reload(page: Page):
    open_chat(page)
    say(page, "Hello <b>there</b> 👋")
    expect(page.locator(".from-bot .text").first).to_have_text(fake_rasa.GREETING)
    expect(page.locator(".from-bot .sender").first).to_have_text("Assistant")
    expect(page.locator(".from-customer .text").first).to_have_text("Hello <b>there</b> 👋")
    assert page.locator(".messages b").count() == 0  # text, never markup
    page.get_by_role("button", name="Track my order").click()
    expect(page.locator(".from-customer .text").nth(1)).to_have_text("Track my order")
    expect(page.locator(".from-bot .text").nth(1)).to_have_text(fake_rasa.ASK_ORDER)
    expect(page.get_by_role("button", name="Start a return")).to_be_disabled()

    say(page, "slow answer please")
    expect(page.get_by_text("The assistant is typing…")).to_be_visible()
    expect(page.locator(".from-bot .text").nth(2)).to_have_text(fake_rasa.SLOW_ANSWER)
    expect(page.get_by_text("The assistant is typing…")).to_be_hidden()
    before = texts(page)
    assert len(before) == 6
    assert page.locator(".pending").count() == 0

    page.reload()
    open_chat(page)
    expect(page.locator(".message .text")).to_have_count(6)
    assert texts(page) == before
    expect(page.get_by_text("You're chatting with our assistant")).to_be_visible()


def test_the_bots_https_addresses_are_links_and_nothing_else_is(page: Page):
    page.set_viewport_size({"width": 390, "height": 844})
    open_chat(page)
    say(page, "tracking https://customer.example/typed")
    answer = page.locator(".from-bot .text").first
    expect(answer).to_have_text(fake_rasa.TRACKED)
    link = answer.get_by_role("link")
    expect(link).to_have_count(1)  # not javascript:, not plain http
    expect(link).to_have_attribute("href", fake_rasa.TRACKING_URL)
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    assert page.locator(".from-customer a").count() == 0  # the customer's words stay as typed
    overflow = page.locator(".messages").evaluate("list => list.scrollWidth - list.clientWidth")
    assert overflow <= 0, "a long address pushes the chat sideways on a phone"


def test_typing_stays_on_while_the_bots_answer_is_on_its_way(browser: Any, server: LiveServer):
    """While Rasa starts, the hub holds a message for up to minutes: the indicator must not
    fade after its 15 s like an unanswered typing event does."""
    context = browser.new_context()
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.clock.install()  # the widget's timers run only when the test says so
    page.goto(f"{server.url}/chat/")
    try:
        open_chat(page)
        typing = page.get_by_text("The assistant is typing…")
        say(page, "slow answer please")
        expect(typing).to_be_visible()
        page.clock.run_for(20_000)  # past the indicator's 15 s, the answer still on its way
        expect(typing).to_be_visible()
        expect(page.locator(".from-bot .text").first).to_have_text(fake_rasa.SLOW_ANSWER)
        expect(typing).to_be_hidden()
    finally:
        context.close()


def test_an_agent_a_dropped_socket_and_the_rating(
    page: Page, server: LiveServer, database, agent_id
):
    open_chat(page)
    say(page, "My parcel arrived damaged")
    expect(page.locator(".from-bot .text").first).to_have_text(fake_rasa.GREETING)
    page.get_by_role("button", name="Talk to a person").click()
    expect(page.get_by_text("Waiting for a colleague to join…")).to_be_visible()
    expect(page.locator(".from-system .text")).to_contain_text("passed this conversation")
    expect(page.get_by_role("button", name="Talk to a person")).to_be_hidden()

    hub, cid = server.app.state.hub, conversation_id(page)
    server.call(hub.agent_reply(cid, agent_id, "Hi, I'm Maria. Sorry about that!"))
    expect(page.locator(".from-agent .text")).to_have_text("Hi, I'm Maria. Sorry about that!")
    expect(page.locator(".from-agent .sender")).to_have_text("Maria")
    expect(page.get_by_text("You're chatting with Maria")).to_be_visible()

    page.evaluate("() => { window.__sockets.hold = true; window.__sockets.all.at(-1).close(); }")
    expect(page.get_by_text("Reconnecting…")).to_be_visible()
    server.call(hub.agent_reply(cid, agent_id, "A new parcel is on its way."))
    page.wait_for_timeout(1500)  # a few refused reconnects
    expect(page.get_by_text("A new parcel is on its way.")).to_have_count(0)
    page.evaluate("() => { window.__sockets.hold = false; }")
    expect(page.get_by_text("A new parcel is on its way.")).to_be_visible(timeout=20_000)
    expect(page.get_by_text("Reconnecting…")).to_be_hidden()
    assert texts(page).count("A new parcel is on its way.") == 1

    server.call(hub.resolve(cid, agent_id))
    rating = page.get_by_role("form", name="Rate this conversation")
    expect(rating).to_be_visible()
    page.get_by_role("button", name="4 of 5 stars").click()
    expect(page.locator(".star.on")).to_have_count(4)
    page.get_by_label("Comment (optional)").fill("Quick and friendly 👍")
    page.get_by_role("button", name="Send rating").click()
    expect(page.get_by_text("Thank you for your feedback!")).to_be_visible()
    with database.session() as db_session:
        stored = db_session.scalars(select(CsatRating).where(CsatRating.conversation_id == cid))
        [rating_row] = stored
        assert (rating_row.score, rating_row.comment, rating_row.agent_id) == (
            4,
            "Quick and friendly 👍",
            agent_id,
        )


def test_live_events_lost_on_the_way_still_reach_the_widget(
    page: Page, server: LiveServer, agent_id, monkeypatch
):
    """Redis pub/sub delivers at most once: the widget's periodic catch-up makes up for it."""
    open_chat(page)
    say(page, "Where is my parcel?")
    expect(page.locator(".from-bot .text").first).to_have_text(fake_rasa.GREETING)
    page.get_by_role("button", name="Talk to a person").click()
    expect(page.get_by_text("Waiting for a colleague to join…")).to_be_visible()

    hub, cid = server.app.state.hub, conversation_id(page)
    publish = hub.broker.publish

    async def losing_this_conversations_events(topic: str, event: dict[str, Any]) -> None:
        if topic != conversation_topic(cid):
            await publish(topic, event)

    monkeypatch.setattr(hub.broker, "publish", losing_this_conversations_events)
    server.call(hub.agent_reply(cid, agent_id, "Maria here: it arrives tomorrow."))
    expect(page.get_by_text("Maria here: it arrives tomorrow.")).to_be_visible(timeout=15_000)
    expect(page.get_by_text("You're chatting with Maria")).to_be_visible()
    assert texts(page).count("Maria here: it arrives tomorrow.") == 1


def test_messages_written_offline_are_sent_once_back_online(page: Page, database):
    open_chat(page)
    say(page, "Hello")
    expect(page.locator(".from-bot .text").first).to_have_text(fake_rasa.GREETING)
    page.context.set_offline(True)
    say(page, "Are you still there?")
    expect(page.get_by_text("Waiting for the connection…")).to_be_visible()
    page.wait_for_timeout(3500)  # at least one retry while offline
    page.context.set_offline(False)
    expect(page.locator(".from-bot .text")).to_have_count(2, timeout=15_000)
    expect(page.locator(".pending")).to_have_count(0)
    cid = conversation_id(page)
    with database.session() as db_session:
        query = select(func.count()).where(
            Message.conversation_id == cid, Message.text == "Are you still there?"
        )
        assert db_session.scalar(query) == 1


def test_the_widget_files_are_served(server: LiveServer):
    with httpx.Client(base_url=server.url) as client:
        script = client.get("/chat/widget.js")
        assert script.headers["content-type"].startswith("text/javascript")
        assert "innerHTML" not in script.text
        assert client.get("/chat/widget.css").headers["content-type"].startswith("text/css")
        shop = client.get("/chat/")
        assert 'data-supportbot-url="/"' in shop.text
        assert "script-src 'self'" in shop.headers["content-security-policy"]


def test_on_a_phone_tapping_send_sends_and_the_chat_stays_open(browser: Any, server: LiveServer):
    """At 390x844 the panel fills the screen: a tap on Send (by coordinates, as a finger would)
    must reach Send, not the launcher that used to float over it and close the chat."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    context.set_default_timeout(10_000)
    phone = context.new_page()
    try:
        phone.goto(f"{server.url}/chat/")
        open_chat(phone)
        dialog = phone.get_by_role("dialog", name="Customer service chat")
        phone.get_by_label("Your message").fill("where is my parcel?")
        send = phone.get_by_role("button", name="Send the message")
        box = send.bounding_box()
        assert box is not None
        assert box["y"] + box["height"] <= 844 and box["x"] + box["width"] <= 390  # on screen
        phone.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        expect(phone.locator(".from-customer .text").first).to_have_text("where is my parcel?")
        expect(dialog).to_be_visible()
        expect(phone.get_by_role("button", name="Close the chat")).to_have_count(1)  # the ×
        phone.get_by_role("button", name="Close the chat").click()
        expect(dialog).to_be_hidden()
        expect(phone.get_by_role("button", name="Open the chat")).to_be_visible()
    finally:
        context.close()
