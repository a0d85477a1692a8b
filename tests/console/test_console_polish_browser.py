"""The console's polish in a real browser at desktop and phone sizes: the Online/Away toggle,
the transcript opening at its newest message, the customer's rating, canned replies searched
and inserted with the conversation's values, suggested replies inserted with one click, and
the canned replies page with its validation."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.assist.fakes import WordEmbedder
from tests.assist.history import add_conversation
from tests.browser import LiveServer
from tests.console import bot_story
from tests.console.conftest import PASSWORD
from tests.console.test_customer_history import add_rating
from tests.factories import make_staff
from ticketing.agents import service as agents_service
from ticketing.assist.assistant import Assistant
from ticketing.console.schemas import CannedReplyCreate
from ticketing.conversations.models import Conversation, Direction, Message, Sender
from ticketing.db import Database, utcnow
from ticketing.staff import service as staff_service
from ticketing.staff.models import StaffRole

pytestmark = pytest.mark.slow

SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
SHOTS = os.environ.get("SUPPORTBOT_SCREENSHOTS")  # a folder: screenshots for a person to look at


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def log_in(page: Page, server: LiveServer, username: str = "ann") -> None:
    page.goto(f"{server.url}/console/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{server.url}/console/")


def sized(page: Page, size: str) -> tuple[int, int]:
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    return width, height


WIDER_THAN_THE_WINDOW = """() => [...document.querySelectorAll("body *")]
  .filter((node) => node.getBoundingClientRect().right > window.innerWidth + 1)
  .map((node) => `${node.tagName.toLowerCase()}#${node.id}.${node.className}`)
  .slice(0, 8)"""


def no_sideways_scroll(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    wide = page.evaluate(WIDER_THAN_THE_WINDOW) if overflow > 0 else []
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px: {wide}"


def jonas_asks_for_a_person(server: LiveServer, database: Database) -> bot_story.Story:
    """Jonas Becker, verified on order 10410, in the queue (see `bot_story`)."""
    with httpx.Client(base_url=server.url, timeout=30) as api:
        story = bot_story.play(api, database, utcnow())
        bot_story.ask_for_a_person(api, utcnow())
    return story


def add_messages(database: Database, conversation_id: str, count: int) -> None:
    """A long talk, so the transcript has to scroll; the customer has the last word."""
    with database.session(write=True) as db_session:
        start = utcnow()
        for n in range(count):
            customer = n % 2 == (count - 1) % 2
            db_session.add(
                Message(
                    conversation_id=conversation_id,
                    direction=Direction.IN if customer else Direction.OUT,
                    sender=Sender.CUSTOMER if customer else Sender.SYSTEM,
                    text=f"message number {n}" if n < count - 1 else "where is my refund please",
                    payload={},
                    created_at=start + timedelta(seconds=n),
                )
            )


@pytest.mark.parametrize("size", SIZES)
def test_presence_is_a_clear_toggle_and_online_after_login(
    server: LiveServer, page: Page, size: str
) -> None:
    sized(page, size)
    log_in(page, server)
    online, away = page.locator("#go-online"), page.locator("#go-away")
    expect(online).to_be_visible()
    expect(page.locator("body")).to_have_attribute("data-presence", "online")
    expect(online).to_have_attribute("aria-pressed", "true")
    expect(away).to_have_attribute("aria-pressed", "false")
    shot(page, f"queue-{size}")

    away.click()
    expect(page.locator("body")).to_have_attribute("data-presence", "away")
    expect(away).to_have_attribute("aria-pressed", "true")
    page.reload()  # the server holds it
    expect(away).to_have_attribute("aria-pressed", "true")
    online.click()
    expect(online).to_have_attribute("aria-pressed", "true")
    no_sideways_scroll(page)


@pytest.mark.parametrize("size", SIZES)
def test_the_conversation_opens_at_the_newest_message_with_the_rating(
    server: LiveServer, page: Page, database: Database, size: str
) -> None:
    sized(page, size)
    server.app.state.assistant = Assistant(database, load_embedder=WordEmbedder)
    story = jonas_asks_for_a_person(server, database)
    add_messages(database, story.conversation_id, 40)
    with database.session(write=True) as db_session:
        conversation = db_session.get(Conversation, story.conversation_id)
        assert conversation is not None and conversation.customer is not None
        add_rating(
            db_session,
            conversation.customer,
            story.conversation_id,
            2,
            at=utcnow(),
            comment="Took too long",
        )

    log_in(page, server)
    page.goto(f"{server.url}/console/conversations/{story.conversation_id}")
    transcript = page.locator("#transcript")
    last = transcript.locator(".msg").last
    expect(last).to_contain_text("where is my refund please")
    rating = page.locator("#rating")
    expect(rating).to_be_visible()
    expect(page.locator("#suggestions")).to_have_attribute("data-status", "ready")
    if size == "phone":  # what the bot collected comes first; the transcript follows
        transcript.scroll_into_view_if_needed()
    expect(last).to_be_in_viewport()
    gap = transcript.evaluate("t => t.scrollHeight - t.scrollTop - t.clientHeight")
    assert gap <= 2, f"the transcript is {gap}px above its newest message"
    assert transcript.evaluate("t => t.scrollHeight > t.clientHeight")  # it did have to scroll

    expect(rating).to_contain_text("2/5")
    expect(rating).to_contain_text("Took too long")
    history = page.locator("#history-conversations")
    expect(history).to_contain_text("rated ★★☆☆☆ 2/5 “Took too long”")
    shot(page, f"conversation-{size}")
    no_sideways_scroll(page)


@pytest.mark.parametrize("size", SIZES)
def test_a_canned_reply_is_found_as_you_type_and_inserted_filled_in(
    server: LiveServer, page: Page, database: Database, size: str
) -> None:
    sized(page, size)
    with database.session(write=True) as db_session:
        for title, text in (
            (
                "Order on its way",
                "Hi {customer_name}, order {order_number} ships today. {agent_name}",
            ),
            ("Voucher", "Here is your voucher: {voucher_code}"),
            ("Goodbye", "Thanks for writing to us!"),
        ):
            agents_service.create_canned_reply(
                db_session=db_session,
                request=CannedReplyCreate(title=title, text=text),
                now=utcnow(),
            )
    story = jonas_asks_for_a_person(server, database)
    log_in(page, server)
    page.goto(f"{server.url}/console/conversations/{story.conversation_id}")

    search = page.locator("#canned-search")
    search.fill("SHIPS")
    options = page.locator("#canned-results [role=option]")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text("Order on its way")
    shot(page, f"canned-search-{size}")
    options.first.click()
    reply = page.locator("#reply-text")
    expect(reply).to_have_value(
        f"Hi Jonas Becker, order {story.order_number} ships today. Ann Agent"
    )
    expect(page.locator("#canned-results")).to_be_hidden()

    search.fill("vouch")
    expect(options).to_have_count(1)
    expect(options.first).to_be_visible()
    expect(options.first).to_contain_text("to fill: {voucher_code}")
    search.press("Enter")  # the highlighted one; the reply form is not sent
    expect(reply).to_have_value(
        f"Hi Jonas Becker, order {story.order_number} ships today. Ann Agent\n"
        "Here is your voucher: {voucher_code}"
    )
    selected = reply.evaluate("r => r.value.slice(r.selectionStart, r.selectionEnd)")
    assert selected == "{voucher_code}"  # selected for the agent to type over
    expect(page.locator("#transcript .msg.agent")).to_have_count(0)
    no_sideways_scroll(page)


@pytest.mark.parametrize("size", SIZES)
def test_a_suggested_reply_goes_into_the_reply_box_with_one_click(
    server: LiveServer, page: Page, database: Database, size: str
) -> None:
    sized(page, size)
    with database.session(write=True) as db_session:
        bob = make_staff(db_session, "bob", StaffRole.AGENT)
        add_conversation(
            db_session,
            "past-refund",
            [("customer", "where is my refund please"), ("agent", "I've sent it again, Bob.")],
            agent=bob,
        )
    server.app.state.assistant = Assistant(database, load_embedder=WordEmbedder)
    story = jonas_asks_for_a_person(server, database)
    add_messages(database, story.conversation_id, 3)  # ends with "where is my refund please"

    log_in(page, server)
    page.goto(f"{server.url}/console/conversations/{story.conversation_id}")
    panel = page.locator("#suggestions")
    expect(panel).to_have_attribute("data-status", "ready")
    expect(page.locator("#suggestions-status")).to_contain_text("where is my refund please")
    suggestion = panel.locator("button.suggestion", has_text="I've sent it again")
    expect(suggestion).to_contain_text("Past reply (once)")
    expect(suggestion).to_contain_text("I've sent it again, Ann Agent.")  # Bob's name, Ann's now
    shot(page, f"suggestions-{size}")
    suggestion.click()
    expect(page.locator("#reply-text")).to_have_value("I've sent it again, Ann Agent.")
    expect(page.locator("#reply-text")).to_be_focused()
    no_sideways_scroll(page)


@pytest.mark.parametrize("size", SIZES)
def test_managers_add_edit_and_delete_canned_replies_on_their_page(
    server: LiveServer, page: Page, database: Database, size: str
) -> None:
    sized(page, size)
    with database.session(write=True) as db_session:
        staff_service.create(
            db_session=db_session,
            username="max",
            display_name="Max Manager",
            password=PASSWORD,
            role=StaffRole.MANAGER,
        )
    log_in(page, server, "max")
    page.get_by_role("link", name="Canned replies").click()
    expect(page).to_have_url(f"{server.url}/console/canned-replies")

    page.get_by_role("button", name="Add reply").click()  # nothing filled in
    expect(page.locator("#canned-title-error")).to_have_text("Give the reply a title.")
    expect(page.locator("#canned-text-error")).to_have_text("Write the reply's text.")
    page.locator("#canned-title").fill("Greeting")
    page.locator("#canned-text").fill("Hello {customer_name}, {agent_name} here.")
    page.get_by_role("button", name="Add reply").click()
    items = page.locator("#canned-list li")
    expect(items).to_have_count(1)
    expect(page.locator("#canned-title-error")).to_be_hidden()

    page.locator("#canned-title").fill("greeting")  # taken, whatever the case
    page.locator("#canned-text").fill("Another")
    page.get_by_role("button", name="Add reply").click()
    expect(page.locator("#canned-title-error")).to_contain_text("already a canned reply")
    page.locator("#canned-title").fill("x" * 120)
    page.get_by_role("button", name="Add reply").click()
    expect(page.locator("#canned-title-error")).to_have_text(
        "The title is 120 characters long; at most 100 fit."
    )
    shot(page, f"canned-page-{size}")

    items.first.get_by_role("button", name="Edit").click()
    expect(page.locator("#canned-title")).to_have_value("Greeting")
    page.locator("#canned-title").fill("Welcome")
    with page.expect_response(
        lambda r: "/canned-replies/" in r.url and r.request.method == "PUT"
    ) as saved:
        page.get_by_role("button", name="Save changes").click()
    assert saved.value.status == 200, saved.value.text()
    expect(items.first).to_contain_text("Welcome")
    page.locator("#canned-filter").fill("nothing like it")
    expect(page.locator("#canned-empty")).to_be_visible()
    page.locator("#canned-filter").fill("")

    page.once("dialog", lambda dialog: dialog.dismiss())  # changed their mind
    items.first.get_by_role("button", name="Delete").click()
    expect(items).to_have_count(1)
    page.once("dialog", lambda dialog: dialog.accept())
    items.first.get_by_role("button", name="Delete").click()
    expect(items).to_have_count(0)
    no_sideways_scroll(page)


def test_agents_search_the_canned_replies_page_but_cannot_edit(
    server: LiveServer, page: Page, database: Database
) -> None:
    with database.session(write=True) as db_session:
        agents_service.create_canned_reply(
            db_session=db_session,
            request=CannedReplyCreate(title="Greeting", text="Hello!"),
            now=utcnow(),
        )
    log_in(page, server)
    page.goto(f"{server.url}/console/canned-replies")
    expect(page.locator("#canned-list li")).to_have_count(1)
    expect(page.locator("#canned-form")).to_have_count(0)
    expect(page.get_by_role("button", name="Delete")).to_have_count(0)
