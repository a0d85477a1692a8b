"""Swapping the model of a running Rasa: customers talk to it in a loop from a thread while
`activate` loads another model (the trained model copied under another name) and `restore`
puts the first back; no message may fail, and Rasa must report the model it was given. A wrong
token or a model Rasa cannot load changes nothing."""

from __future__ import annotations

import shutil
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from tests.dialogue import servers
from tests.dialogue.conftest import Stack as DialogueStack
from tests.model_rollout.archives import fake_model
from ticketing.model_rollout import paths, rasa_api, state
from ticketing.model_rollout.activate import activate, restore
from ticketing.model_rollout.errors import RolloutError
from ticketing.model_rollout.gate import Rules
from ticketing.verification import conversation_proof

# the package's first test also waits for Rasa to load its model
pytestmark = [pytest.mark.rasa, pytest.mark.slow, pytest.mark.timeout(900)]

MESSAGES = ("hi", "what is your return policy?", "thanks")


@dataclass
class Served:
    """The dialogue package's Rasa (tests/dialogue/conftest.py) and the model it was given:
    the swap loads a copy of that model and puts the original back, so the other dialogue
    tests meet the same assistant before and after."""

    rasa: servers.Server
    model: Path


@pytest.fixture
def served(stack: DialogueStack) -> Served:
    return Served(rasa=stack.rasa, model=servers.trained_model())


@pytest.fixture(autouse=True)
def _own_state_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paths, "STATE_FILE", tmp_path / "active.json")


@dataclass
class Exchange:
    started: float
    finished: float
    failure: str  # empty when Rasa answered with at least one message


class Customers(threading.Thread):
    """Customers writing to Rasa's REST channel one message after another, until stopped."""

    def __init__(self, rasa_url: str) -> None:
        super().__init__(daemon=True)
        self.url = f"{rasa_url}/webhooks/rest/webhook"
        self.exchanges: list[Exchange] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        with httpx.Client(timeout=300) as client:
            turn, sender = 0, ""
            while not self.stopping.is_set():
                if turn % 3 == 0:  # a new customer every three messages
                    sender = f"rollout-{uuid.uuid4().hex[:8]}"
                proof = conversation_proof.issue(
                    secret=servers.BACKEND_SECRET, conversation_id=sender, now=datetime.now(UTC)
                )
                body = {
                    "sender": sender,
                    "message": MESSAGES[turn % 3],
                    "metadata": {"channel": "rest", conversation_proof.METADATA_KEY: proof},
                }
                started, failure = time.monotonic(), ""
                try:
                    response = client.post(self.url, json=body)
                    if response.status_code != 200 or not response.json():
                        failure = f"HTTP {response.status_code}: {response.text[:200]}"
                except httpx.HTTPError as error:
                    failure = repr(error)
                self.exchanges.append(Exchange(started, time.monotonic(), failure))
                turn += 1

    def answered_after(self, moment: float) -> int:
        return sum(1 for e in self.exchanges if e.started >= moment and not e.failure)

    def wait_for_answers_after(self, moment: float, count: int, seconds: float = 180) -> None:
        deadline = time.monotonic() + seconds
        while self.answered_after(moment) < count and time.monotonic() < deadline:
            time.sleep(0.2)
        assert self.answered_after(moment) >= count, self.exchanges[-5:]


def _while_customers_talk(rasa: servers.Server, swap: Callable[[], object]) -> list[Exchange]:
    """Run `swap` while customers talk; every exchange, and at least one was in flight."""
    customers = Customers(rasa.url)
    customers.start()
    try:
        customers.wait_for_answers_after(0.0, 3)
        started = time.monotonic()
        swap()
        finished = time.monotonic()
        customers.wait_for_answers_after(finished, 3)
    finally:
        customers.stopping.set()
        customers.join(timeout=300)
    during = [e for e in customers.exchanges if e.started < finished and e.finished > started]
    assert during, "no message was in flight while Rasa loaded the model: the test proves nothing"
    worst = max(e.finished - e.started for e in customers.exchanges)
    sys.stderr.write(
        f"swap in {finished - started:.1f} s: {len(customers.exchanges)} messages, "
        f"{len(during)} during it, slowest answer {worst:.1f} s\n"
    )
    return customers.exchanges


def test_activate_and_restore_swap_the_model_without_a_failed_message(
    served: Served, tmp_path: Path
) -> None:
    copy = tmp_path / "models" / "candidate-copy.tar.gz"
    copy.parent.mkdir()
    shutil.copyfile(served.model, copy)
    said: list[str] = []
    url, token = served.rasa.url, servers.RASA_TOKEN

    def swap_in() -> None:
        activate(copy, rasa_url=url, token=token, rules=Rules(), force=True, say=said.append)

    exchanges = _while_customers_talk(served.rasa, swap_in)
    assert [e.failure for e in exchanges if e.failure] == []
    assert rasa_api.status(served.rasa.url, servers.RASA_TOKEN).model_file == copy.name
    recorded = state.load()
    assert recorded.active is not None and recorded.active.model == str(copy.resolve())
    assert recorded.previous is not None
    assert Path(recorded.previous.model).resolve() == served.model.resolve()
    served_now = f"Rasa at {url} serves candidate-copy.tar.gz"
    assert any(line.startswith(served_now) for line in said), said

    exchanges = _while_customers_talk(
        served.rasa, lambda: restore(rasa_url=url, token=token, say=said.append)
    )
    assert [e.failure for e in exchanges if e.failure] == []
    assert rasa_api.status(served.rasa.url, servers.RASA_TOKEN).model_file == served.model.name
    recorded = state.load()
    assert recorded.active is not None
    assert Path(recorded.active.model).resolve() == served.model.resolve()
    assert recorded.previous is not None and recorded.previous.model == str(copy.resolve())


def test_a_wrong_token_or_a_model_rasa_cannot_load_changes_nothing(
    served: Served, tmp_path: Path
) -> None:
    before = rasa_api.status(served.rasa.url, servers.RASA_TOKEN)
    copy = tmp_path / "other.tar.gz"
    shutil.copyfile(served.model, copy)
    with pytest.raises(RolloutError) as caught:
        activate(
            copy,
            rasa_url=served.rasa.url,
            token="wrong",
            rules=Rules(),
            force=True,
            say=lambda _: None,
        )
    assert caught.value.code == "rasa_token"
    assert "SUPPORTBOT_RASA_TOKEN" in caught.value.hint

    # Passes the archive checks (metadata with an id) but has no components: Rasa answers 400.
    hollow = fake_model(tmp_path / "hollow.tar.gz", model_id="hollow")
    with pytest.raises(RolloutError) as caught:
        activate(
            hollow,
            rasa_url=served.rasa.url,
            token=servers.RASA_TOKEN,
            rules=Rules(),
            force=True,
            say=lambda _: None,
        )
    assert caught.value.code == "rasa_rejected"
    assert "still serves the model it had" in caught.value.message
    assert rasa_api.status(served.rasa.url, servers.RASA_TOKEN) == before
    assert state.load().active is None  # nothing recorded
    reply = httpx.post(
        f"{served.rasa.url}/webhooks/rest/webhook",
        json={"sender": "after-rejection", "message": "hi"},
        timeout=120,
    )
    assert reply.status_code == 200 and reply.json()
