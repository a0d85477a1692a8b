"""The agent sees what the bot learned, in a real browser at desktop and phone sizes: the queue
names the customer and the request; the conversation opens with the verified customer, the
order and what the bot created (the RMA and the ticket the handoff continued)."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser import LiveServer
from tests.console import bot_story
from tests.console.conftest import ann_chose_away
from tests.console.test_console_browser import log_in
from ticketing.db import Database, utcnow

pytestmark = pytest.mark.slow

SIZES = {"desktop": (1280, 800), "phone": (390, 844)}


@pytest.mark.parametrize("size", SIZES)
def test_the_agent_sees_what_the_bot_collected(
    server: LiveServer, page: Page, database: Database, size: str
) -> None:
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    ann_chose_away(database)  # the conversation waits in the queue, where the test reads it
    with httpx.Client(base_url=server.url, timeout=30) as api:
        story = bot_story.play(api, database, utcnow())
        bot_story.ask_for_a_person(api, utcnow())

    log_in(page, server)
    waiting = page.locator(f'#queue li[data-id="{story.conversation_id}"]')
    expect(waiting.locator(".who")).to_have_text("Jonas Becker")
    expect(waiting.locator(".facts")).to_contain_text("Damaged item (order 10410)")
    expect(waiting.locator(".facts")).to_contain_text("Web chat ·")  # the channel in words
    expect(waiting.locator(".wait")).to_contain_text("waiting")
    expect(waiting.locator(".preview")).to_have_count(0)  # the request says it, not "Yes"
    expect(waiting).not_to_contain_text(story.conversation_id)
    waiting.locator(".who").click()

    expect(page).to_have_url(f"{server.url}/console/conversations/{story.conversation_id}")
    expect(page.locator("#title")).to_have_text("Jonas Becker")
    card = page.locator("#collected-card")
    collected = card.locator("#collected")
    expect(collected).to_contain_text("Jonas Becker · j***@example.org · gold")
    expect(collected).to_contain_text(f"{story.order_number} (delivered)")
    expect(collected).to_contain_text("2 × Stoneware mug, 1 × Linen napkins")
    expect(collected).to_contain_text(story.rma_number)
    expect(collected).to_contain_text(story.ticket_number)
    expect(collected).not_to_contain_text("jonas@example.org")
    expect(page.locator("#ticket")).to_contain_text(story.ticket_number)
    history = page.locator("#ticket-history")
    expect(history).to_contain_text("Ticket opened")  # the bot's, continued by the handoff
    expect(history).to_contain_text("Handed to a person (requested)")

    box = card.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, box  # not cut off at the side
    chat_box = page.locator(".chat").bounding_box()
    assert chat_box is not None
    if size == "phone":  # one column: the card comes before the transcript
        assert box["y"] < chat_box["y"], (box, chat_box)
    else:  # side by side, the card at the top of its column, on screen
        assert box["y"] < height / 2, box
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
