"""Every conversation through the hub gets a contact reason: the first task the bot recognised
(read from Rasa's tracker store, which the fake Rasa here writes as Rasa does), else the
handoff ticket's category. Measured like the reports count it: under 5% unrecorded."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from tests.api.helpers import proof
from tests.conftest import new_key
from tests.fake_rasa import FakeRasa
from tests.hub.helpers import conversation, rest_id, rest_say
from ticketing.conversations.recognised_task import RecognisedTasks
from ticketing.db import Database
from ticketing.reports.filters import ReportFilter
from ticketing.reports.periods import make_bucket
from ticketing.reports.reasons import UNRECORDED, reason_counts
from ticketing.reports.rollup.refresh import refresh
from ticketing.settings import Settings

# What the fake NLU recognises (anything else: nlu_fallback), and the `task` slot the bot's
# action_start_task sets for it.
INTENTS = {
    "hi": "greet",
    "yes": "affirm",
    "thanks": "thank",
    "where is my parcel?": "order_status",
    "I want to send the shoes back": "return_item",
    "the mug arrived broken": "damaged_or_wrong_item",
    "10001": "inform",  # an order number alone: the bot takes it as an order-status request
    "I want a person": "human_agent",
}
TASK_SLOT = {
    "order_status": "order_status",
    "return_item": "return_item",
    "damaged_or_wrong_item": "damaged_or_wrong_item",
    "inform": "order_status",
}

SCHEMA = (
    "CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, sender_id VARCHAR(255) NOT NULL,"
    " type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255),"
    " action_name VARCHAR(255), data TEXT)"
)


class TrackerStore:
    """Rasa's SQL tracker store as `rasa run` writes it: a `user` event per message with the
    recognised intent, a `slot` event when action_start_task sets `task`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with sqlite3.connect(path) as db:
            db.execute(SCHEMA)

    def user_says(self, sender: str, text: str) -> None:
        intent = INTENTS.get(text, "nlu_fallback")
        rows: list[tuple[Any, ...]] = [
            (sender, "user", intent, None, json.dumps({"event": "user", "text": text}))
        ]
        if intent in TASK_SLOT:
            slot = {"event": "slot", "name": "task", "value": TASK_SLOT[intent]}
            rows.append((sender, "slot", None, None, json.dumps(slot)))
        with sqlite3.connect(self.path) as db:
            db.executemany(
                "INSERT INTO events (sender_id, type_name, intent_name, action_name, data)"
                " VALUES (?, ?, ?, ?, ?)",
                rows,
            )


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Forty customers write from the test client's one address within a minute."""
    return settings.model_copy(update={"message_limit_per_ip": 0})


@pytest.fixture
def tracker(tmp_path: Path, rasa: FakeRasa, hub_client: TestClient) -> TrackerStore:
    store = TrackerStore(tmp_path / "rasa_tracker.db")

    def script(sender: str, message: str) -> list[dict[str, Any]]:
        store.user_says(sender, message)
        return [{"text": "Let me help."}]

    rasa.script = script
    hub_client.app.state.hub.recognised_tasks = RecognisedTasks(str(store.path))  # type: ignore[attr-defined]
    return store


Say = Callable[[str, str], None]


def _say(client: TestClient) -> Say:
    def say(sender: str, text: str) -> None:
        answer = rest_say(client, sender, text)
        assert answer.status_code == 200, answer.text

    return say


def _reason(database: Database, sender: str) -> tuple[str | None, str | None]:
    found = conversation(database, rest_id(sender))
    return found.contact_reason, found.contact_reason_source


def _hand_over(client: TestClient, headers: dict[str, str], sender: str, **summary: Any) -> None:
    """The bot's escalation action calls POST /api/handoffs mid-conversation."""
    response = client.post(
        "/api/handoffs",
        json={
            "conversation_id": rest_id(sender),
            "channel": "rest",
            "reason": "requested",
            "summary": summary,
        },
        headers={**headers, **proof(client, rest_id(sender)), "Idempotency-Key": new_key()},
    )
    assert response.status_code == 201, response.text


def test_the_first_task_recognised_is_the_reason(hub_client, tracker, database):  # noqa: ARG001
    say = _say(hub_client)
    say("ada", "hi")
    assert _reason(database, "ada") == (None, None)  # a greeting is no reason
    say("ada", "where is my parcel?")
    assert _reason(database, "ada") == ("order_status", "bot")
    say("ada", "I want to send the shoes back")
    assert _reason(database, "ada") == ("order_status", "bot")  # the first task stays


def test_an_order_number_alone_is_an_order_status_request(hub_client, tracker, database):  # noqa: ARG001
    _say(hub_client)("bob", "10001")
    assert _reason(database, "bob") == ("order_status", "bot")


def test_without_a_task_the_handoff_tickets_category_then_the_bots_task(
    hub_client,
    tracker,
    database,
    service_headers,  # noqa: ARG001
):
    say = _say(hub_client)
    say("cy", "I want a person")
    _hand_over(hub_client, service_headers, "cy")
    assert _reason(database, "cy") == ("after_sales", "ticket")
    # the handoff's summary names a task the tracker store does not have: the bot's word wins
    say("dee", "hi")
    _hand_over(hub_client, service_headers, "dee", intent="damaged_or_wrong_item")
    assert _reason(database, "dee") == ("damaged_or_wrong_item", "bot")


def test_without_a_tracker_store_the_handoff_summary_names_the_task(
    hub_client, rasa, database, service_headers
):
    rasa.script = lambda _sender, _message: [{"text": "Let me help."}]
    hub_client.app.state.hub.recognised_tasks = RecognisedTasks("")
    _say(hub_client)("eve", "where is my parcel?")
    assert _reason(database, "eve") == (None, None)
    _hand_over(hub_client, service_headers, "eve", intent="late_delivery")
    assert _reason(database, "eve") == ("late_delivery", "bot")


def test_under_five_percent_unrecorded_as_the_reports_count(
    hub_client,
    tracker,
    database,
    service_headers,
    clock,  # noqa: ARG001
):
    """60 conversations as customers write them: openings with a request, greetings first,
    an order number alone, small talk that ends with a person, and two who only say hi."""
    say = _say(hub_client)
    scripts = [  # (what the customer says, the reason it should get)
        (["where is my parcel?", "thanks"], "order_status"),
        (["hi", "I want to send the shoes back", "yes"], "return_item"),
        (["the mug arrived broken"], "damaged_or_wrong_item"),
        (["hi", "10001"], "order_status"),
        (["hi", "blah", "I want a person"], "after_sales"),  # ends with a handoff
    ]
    expected: Counter[str] = Counter({UNRECORDED: 2})
    first = clock()
    for n in range(58):
        sender = f"customer{n}"
        texts, reason = scripts[n % len(scripts)]
        for text in texts:
            say(sender, text)
        if texts[-1] == "I want a person":
            _hand_over(hub_client, service_headers, sender)
        expected[reason] += 1
    say("quiet1", "hi")
    say("quiet2", "thanks")
    refresh(database, "UTC")
    last = clock()
    with database.session() as s:
        bucket = make_bucket(first.date(), last.date(), ZoneInfo("UTC"))
        counts = reason_counts(s, bucket, ReportFilter(), limit=None)
    assert counts == dict(expected)  # the two who only said hi or thanks are unrecorded
    assert counts[UNRECORDED] / sum(counts.values()) < 0.05
