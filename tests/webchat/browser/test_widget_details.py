"""The widget's small promises, in a real chromium: a first open says what the chat is for and
offers topics, every message has its time, the unread badge counts only what arrived unseen
(also after a reload), a long text is never cut silently, and the input grows as one types."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser import LiveServer
from tests.webchat import fake_rasa
from tests.webchat.browser.widget import conversation_id, open_chat, say

pytestmark = pytest.mark.slow
MAX_CHARS = 4000  # the widget's and the hub's limit


def test_the_first_open_offers_topics_that_start_the_chat(page: Page):
    open_chat(page)
    topics = page.get_by_role("group", name="Suggested topics")
    expect(page.get_by_text("I answer at once, day and night")).to_be_visible()
    expect(topics.get_by_role("button")).to_have_text(
        ["Track my order", "Start a return", "Where is my refund?", "My parcel is late"]
    )
    topics.get_by_role("button", name="Track my order").click()
    expect(page.locator(".from-customer .text")).to_have_text(["Track my order"])
    expect(page.locator(".from-bot .text").first).to_have_text(fake_rasa.GREETING)
    expect(topics).to_have_count(0)  # gone once the conversation exists

    page.reload()
    open_chat(page)
    expect(page.locator(".from-bot .text").first).to_have_text(fake_rasa.GREETING)
    expect(page.get_by_role("group", name="Suggested topics")).to_have_count(0)


def test_every_message_shows_when_it_was_written(page: Page):
    open_chat(page)
    say(page, "hello")
    expect(page.locator(".from-bot .text").first).to_have_text(fake_rasa.GREETING)
    times = page.locator(".message time")
    expect(times).to_have_count(page.locator(".message").count())
    for stamp in times.all():
        assert stamp.get_attribute("datetime", timeout=1000)  # an ISO instant for machines
        assert any(ch.isdigit() for ch in stamp.inner_text())  # "11:34 AM" for people


def test_the_unread_badge_counts_only_what_arrived_unseen(
    page: Page, server: LiveServer, agent_id: int
):
    badge = page.locator(".badge")
    open_chat(page)
    say(page, "hello")
    expect(page.locator(".from-bot .text").first).to_have_text(fake_rasa.GREETING)
    page.keyboard.press("Escape")

    page.reload()  # history is fetched again with the panel closed: all of it was read
    expect(page.get_by_role("button", name="Open the chat")).to_be_visible()
    page.wait_for_load_state("networkidle")  # the catch-up's answer is in
    expect(badge).to_be_hidden()

    # The panel stays closed while a person takes over and answers.
    hub, cid = server.app.state.hub, conversation_id(page)
    server.call(hub.request_human(cid))
    server.call(hub.agent_reply(cid, agent_id, "Hi, Maria here."))
    expect(badge).to_have_text("2")  # the handoff notice and Maria's reply
    open_chat(page)
    expect(badge).to_be_hidden()
    page.reload()
    page.wait_for_load_state("networkidle")
    expect(badge).to_be_hidden()


def test_a_text_over_the_limit_is_kept_and_explained_not_cut(page: Page):
    open_chat(page)
    box = page.get_by_label("Your message")
    counter = page.locator(".counter")
    box.fill("a" * 100)
    expect(counter).to_be_hidden()
    box.fill("a" * (MAX_CHARS - 10))
    expect(counter).to_have_text("3,990 / 4,000 characters")
    box.fill("b" * (MAX_CHARS + 200))
    assert len(box.input_value()) == MAX_CHARS + 200  # nothing cut
    expect(counter).to_contain_text("4,200 / 4,000 characters: please shorten your message")
    send = page.get_by_role("button", name="Send the message")
    expect(send).to_be_disabled()
    box.press("Enter")
    expect(page.get_by_text("Please keep a message under 4000 characters.")).to_be_visible()
    assert page.locator(".from-customer").count() == 0
    box.fill("short again")
    expect(send).to_be_enabled()
    expect(counter).to_be_hidden()


def test_the_input_grows_with_the_text_up_to_a_few_lines(page: Page):
    open_chat(page)
    box = page.get_by_label("Your message")
    one_line = box.bounding_box()["height"]  # type: ignore[index]
    box.fill("line\n" * 3 + "line")
    four_lines = box.bounding_box()["height"]  # type: ignore[index]
    box.fill("line\n" * 30)
    many_lines = box.bounding_box()["height"]  # type: ignore[index]
    assert one_line < four_lines < many_lines <= 142  # the CSS cap, then it scrolls
    box.press("Enter")  # sent: back to one line
    expect(page.locator(".from-customer .text")).to_have_count(1)
    assert box.bounding_box()["height"] == one_line  # type: ignore[index]
