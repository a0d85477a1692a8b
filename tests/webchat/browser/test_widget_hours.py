"""The greeting says when a person replies (on the shop's calendar, and in the customer's own
time when their clock differs), never waits for that line, and out of hours a handed-over
customer may leave an email for the reply, which the agent sees in the console. Each at a
desktop (1280x800) and a phone (390x844) viewport, with screenshots under the test's tmp dir
(`SUPPORTBOT_SCREENSHOTS=dir` keeps them somewhere else)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser import LiveServer, add_agent_ann
from tests.conftest import SECRET, SERVICE_KEY, Clock
from tests.console.conftest import PASSWORD
from tests.webchat import fake_rasa
from tests.webchat.browser.widget import SOCKET_SPY, conversation_id, open_chat, say
from ticketing.app import create_app
from ticketing.conversations.models import Conversation
from ticketing.db import Database
from ticketing.settings import Settings

pytestmark = pytest.mark.slow

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
IN_HOURS = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)  # Monday 14:00 in Berlin
FRIDAY_NIGHT = datetime(2026, 6, 19, 17, 30, tzinfo=UTC)  # Friday 19:30 in Berlin
CHRISTMAS_EVE = datetime(2026, 12, 24, 18, 0, tzinfo=UTC)  # then two holidays and a weekend
IN_HOURS_LINE = "Need a person? A colleague replies within 8 hours (business hours)."
CLOSED_LINE = (
    "Our team is away right now: a person will reply within 8 hours after we open on Monday "
    "at 09:00 (Berlin time)."
)


@pytest.fixture(scope="module")
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="module")
def server(
    database: Database,
    rasa_server: fake_rasa.FakeRasa,
    module_redis_url: str | None,
    clock: Clock,
) -> Iterator[LiveServer]:
    """The widget's server (as in conftest) on a clock the tests set, with the agent Ann."""
    settings = Settings(
        environment="test",
        database_url="sqlite:///unused",
        redis_url=module_redis_url,
        secret_key=SECRET,
        service_api_keys=SERVICE_KEY,
        rasa_url=rasa_server.url,
    )
    add_agent_ann(database, PASSWORD)
    live = LiveServer(create_app(settings, database=database, clock=clock)).start()
    yield live
    live.stop()


@pytest.fixture(params=sorted(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("SUPPORTBOT_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def shop_page(
    browser: Any, server: LiveServer, viewport: str, timezone: str = "Europe/Berlin"
) -> tuple[Page, list[str]]:
    context = browser.new_context(viewport=VIEWPORTS[viewport], timezone_id=timezone)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.add_init_script(SOCKET_SPY)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server.url}/chat/")
    return page, errors


@pytest.fixture
def widget(browser: Any, server: LiveServer, viewport: str) -> Iterator[Page]:
    page, errors = shop_page(browser, server, viewport)
    yield page
    page.context.close()
    assert errors == [], errors


def hours_line(page: Page) -> Any:
    return page.locator(".intro-hours")


def test_in_business_hours_the_greeting_says_when_a_person_replies(
    widget: Page, clock: Clock, viewport: str, shots: Path
):
    clock.now = IN_HOURS
    open_chat(widget)
    expect(hours_line(widget)).to_have_text(IN_HOURS_LINE)
    expect(widget.get_by_role("group", name="Suggested topics")).to_be_visible()
    widget.screenshot(path=shots / f"greeting-in-hours-{viewport}.png")


def test_out_of_hours_the_greeting_says_when_the_team_is_back(
    widget: Page, clock: Clock, viewport: str, shots: Path
):
    clock.now = CHRISTMAS_EVE  # Thursday evening; Friday and Saturday are holidays
    open_chat(widget)
    expect(hours_line(widget)).to_have_text(CLOSED_LINE)  # the browser is in Berlin too
    line = hours_line(widget).bounding_box()
    assert line is not None and line["width"] <= VIEWPORTS[viewport]["width"]
    widget.screenshot(path=shots / f"greeting-closed-{viewport}.png")


def test_a_customer_elsewhere_also_reads_the_opening_in_their_own_time(
    browser: Any, server: LiveServer, clock: Clock, shots: Path
):
    clock.now = FRIDAY_NIGHT
    page, errors = shop_page(browser, server, "phone", timezone="America/New_York")
    open_chat(page)
    # Monday 09:00 in Berlin (summer time, UTC+2) is Monday 03:00 in New York (UTC-4).
    expect(hours_line(page)).to_have_text(f"{CLOSED_LINE} That's Monday 03:00 AM your time.")
    page.screenshot(path=shots / "greeting-closed-new-york-phone.png")
    page.context.close()
    assert errors == []


@pytest.mark.parametrize("failure", ["error", "hang"])
def test_the_greeting_never_waits_for_the_hours(
    browser: Any, server: LiveServer, clock: Clock, failure: str
):
    clock.now = IN_HOURS
    page, errors = shop_page(browser, server, "desktop")
    held: list[Route] = []

    def answer(route: Route) -> None:
        if failure == "error":
            route.fulfill(status=503, body="down")
        else:
            held.append(route)  # never answered: the widget gives up after 4 s

    page.route("**/chat/api/availability", answer)
    open_chat(page)
    expect(page.get_by_text("I answer at once, day and night")).to_be_visible(timeout=1000)
    expect(page.get_by_role("group", name="Suggested topics")).to_be_visible(timeout=1000)
    page.wait_for_timeout(4500)
    expect(hours_line(page)).to_be_hidden()
    page.get_by_role("button", name="Track my order").click()  # the chat works as ever
    expect(page.locator(".from-bot .text").first).to_have_text(fake_rasa.GREETING)
    page.context.close()
    assert errors == []


def hand_over(page: Page) -> None:
    say(page, "hello")
    expect(page.locator(".from-bot .text").first).to_have_text(fake_rasa.GREETING)
    page.get_by_role("button", name="Talk to a person").click()
    expect(page.locator(".from-system .text").last).to_contain_text("passed this conversation")


def stored_email(database: Database, conversation: str) -> str | None:
    with database.session() as db_session:
        found = db_session.get(Conversation, conversation)
        return found.followup_email if found else None


def test_out_of_hours_a_handed_over_customer_may_leave_an_email(
    widget: Page, clock: Clock, viewport: str, shots: Path, database: Database
):
    clock.now = FRIDAY_NIGHT
    open_chat(widget)
    hand_over(widget)
    offer = widget.get_by_role("form", name="Reply by email")
    expect(offer).to_contain_text("Leave your email and we'll reply by email when we're back")
    field = widget.get_by_label("Your email (optional)")
    expect(field).to_be_visible()
    box = offer.bounding_box()
    assert box is not None and box["x"] >= 0
    assert box["x"] + box["width"] <= VIEWPORTS[viewport]["width"]
    widget.screenshot(path=shots / f"followup-offer-{viewport}.png")

    field.fill("ada@example")
    offer.get_by_role("button", name="Save").click()
    expect(offer.get_by_role("alert")).to_contain_text("doesn't look like an email address")
    assert stored_email(database, conversation_id(widget)) is None

    field.fill("ada.lovelace@example.com")
    field.press("Enter")
    expect(offer).to_contain_text(
        "Thanks! We'll reply to a***@example.com by email when we're back."
    )
    expect(field).to_be_hidden()
    assert stored_email(database, conversation_id(widget)) == "ada.lovelace@example.com"
    widget.screenshot(path=shots / f"followup-left-{viewport}.png")

    widget.reload()  # what was left is remembered, masked
    open_chat(widget)
    expect(offer).to_contain_text("We'll reply to a***@example.com")
    offer.get_by_role("button", name="Change").click()
    field.fill("ada@example.org")
    offer.get_by_role("button", name="Save").click()
    expect(offer).to_contain_text("We'll reply to a***@example.org")
    assert stored_email(database, conversation_id(widget)) == "ada@example.org"


def test_a_handoff_the_widget_did_not_ask_for_offers_it_too(
    widget: Page, server: LiveServer, clock: Clock
):
    """The bot's or the hub's handoff (a customer asking in words, Rasa down) reaches the
    widget as a live state event, not as the answer to its own request."""
    clock.now = FRIDAY_NIGHT
    open_chat(widget)
    say(widget, "hello")
    expect(widget.locator(".from-bot .text").first).to_have_text(fake_rasa.GREETING)
    offer = widget.get_by_role("form", name="Reply by email")
    expect(offer).to_be_hidden()  # the bot has it: nobody to wait for
    server.call(server.app.state.hub.request_human(conversation_id(widget)))
    expect(offer).to_be_visible()
    expect(widget.get_by_label("Your email (optional)")).to_be_visible()


def test_the_offer_can_be_declined_for_good(widget: Page, clock: Clock, database: Database):
    clock.now = FRIDAY_NIGHT
    open_chat(widget)
    hand_over(widget)
    offer = widget.get_by_role("form", name="Reply by email")
    expect(offer).to_be_visible()
    offer.get_by_role("button", name="No thanks").click()
    expect(offer).to_be_hidden()
    expect(widget.get_by_label("Your message")).to_be_focused()
    widget.reload()
    open_chat(widget)
    expect(widget.locator(".from-system .text").last).to_contain_text("passed this conversation")
    widget.wait_for_load_state("networkidle")
    expect(offer).to_be_hidden()
    assert stored_email(database, conversation_id(widget)) is None


def test_in_business_hours_no_email_is_offered(widget: Page, clock: Clock):
    clock.now = IN_HOURS
    open_chat(widget)
    hand_over(widget)
    widget.wait_for_load_state("networkidle")
    expect(widget.get_by_role("form", name="Reply by email")).to_be_hidden()


def test_the_agent_sees_the_address_with_a_mailto_link(
    browser: Any,
    server: LiveServer,
    clock: Clock,
    viewport: str,
    shots: Path,
    database: Database,
):
    clock.now = FRIDAY_NIGHT
    customer, errors = shop_page(browser, server, "phone")
    open_chat(customer)
    hand_over(customer)
    customer.get_by_label("Your email (optional)").fill("ada.lovelace@example.com")
    customer.get_by_role("button", name="Save").click()
    expect(customer.get_by_text("We'll reply to a***@example.com")).to_be_visible()
    conversation = conversation_id(customer)

    context = browser.new_context(viewport=VIEWPORTS[viewport])
    agent = context.new_page()
    agent.goto(f"{server.url}/console/")
    agent.get_by_label("Username").fill("ann")
    agent.get_by_label("Password").fill(PASSWORD)
    agent.get_by_role("button", name="Log in").click()
    expect(agent).to_have_url(f"{server.url}/console/")
    agent.goto(f"{server.url}/console/conversations/{conversation}")
    card = agent.locator("#followup-card")
    expect(card).to_be_visible()
    expect(card).to_contain_text("Wants a reply by email")
    link = card.get_by_role("link", name="ada.lovelace@example.com")
    expect(link).to_have_attribute(
        "href",
        "mailto:ada.lovelace@example.com?subject=Your%20request%20(ticket%20"
        + ticket_number(database, conversation)
        + ")",
    )
    expect(card).to_contain_text("No email is sent automatically")
    agent.screenshot(path=shots / f"console-followup-{viewport}.png", full_page=True)
    context.close()
    customer.context.close()
    assert errors == []


def ticket_number(database: Database, conversation: str) -> str:
    with database.session() as db_session:
        found = db_session.get(Conversation, conversation)
        assert found is not None and found.ticket is not None
        return found.ticket.number
