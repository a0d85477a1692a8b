"""The Training page in a real browser at desktop and phone sizes: a manager labels a cluster
with one click, undoes it, labels it again, and `supportbot training export` writes those
examples to learned.yml."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.assist.fakes import WordEmbedder
from tests.browser import LiveServer, chromium_page, live_server
from tests.console.conftest import PASSWORD
from ticketing.app import create_app
from ticketing.cli import main
from ticketing.conversations import store
from ticketing.conversations.models import Direction, Message, Sender
from ticketing.db import Database, utcnow
from ticketing.settings import Settings, get_settings
from ticketing.staff import service as staff_service
from ticketing.staff.models import StaffRole
from ticketing.training import inbox
from ticketing.training.grouping import Encoder
from ticketing.training.schemas import MisunderstandingIn

pytestmark = pytest.mark.slow

SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
SHOTS = os.environ.get("SUPPORTBOT_SCREENSHOTS")  # a folder: screenshots for a person to look at
PARCEL = [
    "where is my parcel 10234",
    "where is my parcel now",
    "my parcel where is it",
]
OTHER = "do you sell gift cards"


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def seed(database: Database) -> None:
    """A manager and four misunderstood messages (three about a parcel), in four chats."""
    start = utcnow() - timedelta(hours=1)
    with database.session(write=True) as s:
        staff_service.create(
            db_session=s,
            username="maya",
            display_name="Maya Manager",
            password=PASSWORD,
            role=StaffRole.MANAGER,
        )
        for n, text in enumerate([*PARCEL, OTHER]):
            now = start + timedelta(minutes=n)
            conversation, _ = store.get_or_create(s, channel="web", external_id=f"b{n}", now=now)
            for said in ("hello", text):  # 8 customer messages, 4 not understood: 50%
                s.add(
                    Message(
                        conversation_id=conversation.id,
                        direction=Direction.IN,
                        sender=Sender.CUSTOMER,
                        text=said,
                        created_at=now,
                    )
                )
            report = MisunderstandingIn(
                conversation_id=conversation.id,
                text=text,
                reason="fallback",
                guesses=[
                    {"intent": "order_status", "confidence": 0.38},
                    {"intent": "late_delivery", "confidence": 0.31},
                ],
                previous_bot_text="Hi! How can I help?",
            )
            inbox.record(s, report=report, now=now)


@pytest.fixture
def server(database: Database, settings: Settings) -> Iterator[LiveServer]:
    seed(database)
    app = create_app(settings, database=database)
    app.state.training_encoder = Encoder(load=WordEmbedder)
    with live_server(app) as live:
        yield live


@pytest.fixture
def page() -> Iterator[Page]:
    with chromium_page() as page:
        yield page


WIDER_THAN_THE_WINDOW = """() => document.documentElement.scrollWidth - window.innerWidth"""


@pytest.mark.parametrize("size", SIZES)
def test_label_a_cluster_undo_it_and_export_it(
    server, page, size, database, tmp_path, monkeypatch, capsys
):
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{server.url}/console/login?next=/console/training")
    page.get_by_label("Username").fill("maya")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{server.url}/console/training")

    clusters = page.locator(".cluster")
    expect(clusters).to_have_count(2)
    first = clusters.first
    expect(first.locator("h3")).to_have_text("3 similar messages")
    expect(first.locator(".inbox-item q")).to_have_text(
        ["where is my parcel {order_number}", "where is my parcel now", "my parcel where is it"]
    )
    expect(first.locator(".context").first).to_have_text("Bot asked: Hi! How can I help?")
    expect(first.locator(".guesses").first).to_have_text(
        "Bot guessed: order_status 38% · late_delivery 31%"
    )
    expect(first.get_by_label("Intent")).to_have_value("order_status")  # the bot's best guess
    expect(page.locator("#pending-count")).to_have_text("4")
    assert page.evaluate(WIDER_THAN_THE_WINDOW) <= 0, "the page scrolls sideways"
    shot(page, f"training-inbox-{size}")

    first.get_by_label("Intent").select_option("late_delivery")
    first.get_by_role("button", name="Label all 3").click()
    expect(page.locator("#live-status")).to_contain_text("Labelled 3 messages as late_delivery.")
    expect(page.locator("#pending-count")).to_have_text("1")
    expect(page.locator("#labelled li").first).to_contain_text("late_delivery")

    page.locator("#live-status").get_by_role("button", name="Undo").click()
    expect(page.locator("#live-status")).to_contain_text("3 messages are back in the inbox")
    expect(page.locator("#pending-count")).to_have_text("4")

    first = page.locator(".cluster").first
    first.get_by_label("Include this message").nth(1).uncheck()  # that one alone, later
    first.get_by_role("button", name="Label 2").click()
    expect(page.locator("#pending-count")).to_have_text("2")
    page.locator(".cluster", has_text=OTHER).get_by_role("button", name="Out of scope").click()
    expect(page.locator("#pending-count")).to_have_text("1")
    shot(page, f"training-labelled-{size}")

    page.goto(f"{server.url}/reports/?group=week")
    card = page.locator("#training-card")
    expect(card.locator("#inbox-size")).to_have_text("1")
    expect(card.locator("#labelled-per-week tbody tr").last).to_contain_text("3")
    expect(card.locator("[data-chart=fallback_rate] .point-value").last).to_have_text("50.0%")
    card.scroll_into_view_if_needed()
    assert page.evaluate(WIDER_THAN_THE_WINDOW) <= 0, "the reports page scrolls sideways"
    if SHOTS:
        card.screenshot(path=str(Path(SHOTS) / f"training-report-{size}.png"))

    monkeypatch.setenv("SUPPORTBOT_ENVIRONMENT", "test")
    monkeypatch.setenv("SUPPORTBOT_DATABASE_URL", database.url)
    get_settings.cache_clear()
    out = tmp_path / "learned.yml"
    try:
        assert main(["training", "export", "--output", str(out)]) == 0
    finally:
        get_settings.cache_clear()
    assert "3 examples of 2 intents" in capsys.readouterr().out
    text = out.read_text(encoding="utf-8")
    assert text.endswith(
        "- intent: order_status\n"
        "  examples: |\n"
        "    - my parcel where is it\n"
        "    - where is my parcel 10234\n"
        "- intent: out_of_scope\n"
        "  examples: |\n"
        "    - do you sell gift cards\n"
    )
