"""Starting up is not being down: a message that arrives while Rasa is still loading its model
waits for it and gets the bot's answer; once Rasa has answered, or once the start-up window is
over, a Rasa that does not answer is down and the conversation goes to a person at once."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Clock
from tests.dialogue.servers import free_port
from tests.fake_rasa import FakeRasa
from tests.hub.helpers import conversation, events, rest_id, rest_say
from ticketing.app import create_app
from ticketing.conversations import rasa_client
from ticketing.conversations.rasa_client import RasaClient
from ticketing.db import Database
from ticketing.settings import Settings


class LateRasa:
    """A fake Rasa that starts listening on `port` only `after` seconds, as `rasa run` opens
    its port only once the model is loaded."""

    def __init__(self, port: int, after: float) -> None:
        self.port = port
        self.fake: FakeRasa | None = None
        self.timer = threading.Timer(after, self._start)

    def _start(self) -> None:
        self.fake = FakeRasa(port=self.port)
        self.fake.start()

    def __enter__(self) -> LateRasa:
        self.timer.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.timer.cancel()
        self.timer.join()
        if self.fake is not None:
            self.fake.stop()


@contextmanager
def app_with_rasa_at(
    port: int, database: Database, settings: Settings, clock: Clock, startup_seconds: float
) -> Iterator[TestClient]:
    update = {
        "rasa_url": f"http://127.0.0.1:{port}",
        "rasa_timeout_seconds": 5.0,
        "rasa_startup_seconds": startup_seconds,
    }
    app = create_app(settings.model_copy(update=update), database=database, clock=clock)
    with TestClient(app) as client:
        yield client


def say(client: TestClient, sender: str, text: str) -> list[dict]:
    response = rest_say(client, sender, text)
    assert response.status_code == 200, response.text
    return response.json()


def assert_answered_by_the_bot(database: Database, sender: str, replies: list[dict]) -> None:
    assert replies and replies[0].get("text", "").startswith("You said:"), replies
    assert conversation(database, rest_id(sender)).owner == "bot"
    assert "bot_handoff" not in events(database, rest_id(sender))


def assert_handed_over(database: Database, sender: str, replies: list[dict]) -> None:
    assert "colleague" in replies[0]["text"], replies
    assert conversation(database, rest_id(sender)).owner == "human"


def test_a_message_sent_while_rasa_loads_gets_the_bots_answer(
    database: Database, settings: Settings, clock: Clock
) -> None:
    port = free_port()
    with (
        app_with_rasa_at(port, database, settings, clock, startup_seconds=120) as client,
        LateRasa(port, after=2.0) as rasa,
    ):
        replies = say(client, "early-bird", "hello")
        assert_answered_by_the_bot(database, "early-bird", replies)
        assert rasa.fake is not None and rasa.fake.messages() == ["hello"]
        assert client.app.state.hub.rasa.ready
        # The probe needs no token: Rasa logs "User is not authenticated." as an ERROR on a
        # /status without one, which a newcomer saw in the terminal on the first chat.
        assert rasa.fake.gets and set(rasa.fake.gets) == {"/"}


def test_customers_waiting_together_all_get_the_bot(
    database: Database, settings: Settings, clock: Clock
) -> None:
    port = free_port()
    with (
        app_with_rasa_at(port, database, settings, clock, startup_seconds=120) as client,
        LateRasa(port, after=2.0) as rasa,
    ):
        answers: dict[str, list[dict]] = {}

        def customer(name: str) -> None:
            answers[name] = say(client, name, f"hi from {name}")

        threads = [threading.Thread(target=customer, args=(f"c{n}",)) for n in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        for name in ("c0", "c1", "c2"):
            assert_answered_by_the_bot(database, name, answers[name])
        assert rasa.fake is not None and len(rasa.fake.messages()) == 3


def test_once_rasa_has_answered_a_rasa_that_stops_is_down_at_once(
    database: Database, settings: Settings, clock: Clock
) -> None:
    """Waiting here would hang for the 600 s window and fail on the test's time-out."""
    port = free_port()
    fake = FakeRasa(port=port)
    fake.start()
    with app_with_rasa_at(port, database, settings, clock, startup_seconds=600) as client:
        assert_answered_by_the_bot(database, "before", say(client, "before", "hello"))
        fake.stop()
        assert_handed_over(database, "after", say(client, "after", "hello?"))


def test_after_the_startup_window_a_missing_rasa_is_down_at_once(
    database: Database, settings: Settings, clock: Clock
) -> None:
    with app_with_rasa_at(free_port(), database, settings, clock, startup_seconds=0) as client:
        assert_handed_over(database, "late", say(client, "late", "hello"))


def test_the_wait_tells_the_channel_it_still_waits_and_ends_with_the_window(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(rasa_client, "STARTUP_POLL_SECONDS", 0.05)
    monkeypatch.setattr(rasa_client, "STILL_WAITING_SECONDS", 0.3)
    notices: list[int] = []

    async def waiting() -> None:
        notices.append(1)

    async def wait() -> bool:
        client = RasaClient(f"http://127.0.0.1:{free_port()}", startup_seconds=1.2)
        try:
            return await client.wait_while_starting(waiting)
        finally:
            await client.close()

    assert asyncio.run(wait()) is False, "nothing listens: not ready when the window ends"
    assert 2 <= len(notices) <= 6, notices  # every 0.3 s, not at each of ~24 polls
