"""Several Rasa servers behind the hub (`supportbot run --rasa-workers N`): each conversation
keeps to one server, the servers share the conversations, a server that is down passes its
conversations to the others, and a turn that reached a server is never sent twice."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi.testclient import TestClient

from tests.conftest import Clock
from tests.dialogue.servers import free_port
from tests.fake_rasa import FakeRasa
from tests.hub.helpers import conversation, events, rest_id, rest_say
from ticketing.app import create_app
from ticketing.conversations.rasa_client import server_index
from ticketing.db import Database
from ticketing.settings import Settings

CUSTOMERS = [f"customer-{n}" for n in range(12)]


@contextmanager
def two_rasas() -> Iterator[tuple[FakeRasa, FakeRasa]]:
    first, second = FakeRasa(), FakeRasa()
    first.start()
    second.start()
    try:
        yield first, second
    finally:
        for fake in (first, second):
            try:
                fake.stop()
            except OSError:
                pass  # stopped by the test


@contextmanager
def hub_with(
    urls: list[str], database: Database, settings: Settings, clock: Clock, startup: float = 0.0
) -> Iterator[TestClient]:
    update = {
        "rasa_url": ", ".join(urls) + ",",  # spaces and a trailing comma are tolerated
        "rasa_timeout_seconds": 5.0,
        "rasa_startup_seconds": startup,
    }
    with TestClient(
        create_app(settings.model_copy(update=update), database=database, clock=clock)
    ) as client:
        yield client


def say(client: TestClient, sender: str, text: str) -> list[dict]:
    response = rest_say(client, sender, text)
    assert response.status_code == 200, response.text
    return response.json()


def senders(fake: FakeRasa) -> set[str]:
    return {str(body["sender"]) for body in fake.received}


def test_each_conversation_keeps_to_one_server_and_both_get_work(
    database: Database, settings: Settings, clock: Clock
) -> None:
    with (
        two_rasas() as (first, second),
        hub_with([first.url, second.url], database, settings, clock) as client,
    ):
        for turn in ("hello", "where is my order?", "thanks"):
            for customer in CUSTOMERS:
                replies = say(client, customer, f"{turn} ({customer})")
                assert replies[0]["text"] == f"You said: {turn} ({customer})"
    ids = {rest_id(c) for c in CUSTOMERS}
    assert senders(first) | senders(second) == ids
    assert senders(first) and senders(second), "one server took every conversation"
    assert not senders(first) & senders(second), "a conversation moved between servers"
    for fake in (first, second):
        for sender in senders(fake):
            assert len(fake.messages_from(sender)) == 3


def test_a_server_that_is_down_passes_its_conversations_to_the_other(
    database: Database, settings: Settings, clock: Clock
) -> None:
    with (
        two_rasas() as (first, second),
        hub_with([first.url, second.url], database, settings, clock) as client,
    ):
        for customer in CUSTOMERS:
            say(client, customer, "hello")
        had_first = senders(first)
        first.stop()
        for customer in CUSTOMERS:
            replies = say(client, customer, "still there?")
            assert replies[0]["text"] == "You said: still there?", replies
        for sender in had_first:
            assert second.messages_from(sender) == ["still there?"]
            assert conversation(database, sender).owner == "bot"
            assert "bot_handoff" not in events(database, sender)
        # and /api/ready says so, without naming internal addresses
        ready = client.get("/api/ready").json()["checks"]["rasa"]
        assert ready == {"status": "degraded", "servers": 2, "answering": 1}
        assert first.url not in client.get("/api/ready").text


def test_a_turn_that_reached_a_failing_server_is_not_sent_to_the_other(
    database: Database, settings: Settings, clock: Clock
) -> None:
    """Rasa answered HTTP 500: it may have run the turn's actions (a refund, a ticket), so the
    other server must not run them again; the conversation goes to a person, as with one."""
    with (
        two_rasas() as (first, second),
        hub_with([first.url, second.url], database, settings, clock) as client,
    ):
        for customer in CUSTOMERS:
            say(client, customer, "hello")
        first.mode = "error"
        by_id = {rest_id(c): c for c in CUSTOMERS}
        victim = sorted(senders(first))[0]
        replies = say(client, by_id[victim], "refund me")
        assert "colleague" in replies[0]["text"], replies
        assert first.messages_from(victim) == ["hello", "refund me"]
        assert second.messages_from(victim) == []
        assert conversation(database, victim).owner == "human"


def test_all_servers_answering_is_ok(database: Database, settings: Settings, clock: Clock) -> None:
    with (
        two_rasas() as (first, second),
        hub_with([first.url, second.url], database, settings, clock) as client,
    ):
        assert client.get("/api/ready").json()["checks"]["rasa"] == {
            "status": "ok",
            "servers": 2,
            "answering": 2,
        }


def test_a_server_that_never_started_does_not_keep_its_conversations_waiting(
    database: Database, settings: Settings, clock: Clock
) -> None:
    """Within the start-up window a message waits for a Rasa that is still loading, but not
    once another server answers: then it goes there at once."""
    alive = FakeRasa()
    alive.start()
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens
    on_dead = next(c for c in CUSTOMERS if server_index(rest_id(c), 2) == 0)
    on_alive = next(c for c in CUSTOMERS if server_index(rest_id(c), 2) == 1)
    try:
        with hub_with([dead, alive.url], database, settings, clock, startup=120.0) as client:
            assert say(client, on_alive, "hello")[0]["text"] == "You said: hello"
            started = time.monotonic()
            assert say(client, on_dead, "hi there")[0]["text"] == "You said: hi there"
            assert time.monotonic() - started < 10, "it waited for the server that never started"
    finally:
        alive.stop()
    assert conversation(database, rest_id(on_dead)).owner == "bot"
