"""What the fake Rasa (tests/fake_rasa.py) answers in the web chat tests. A message containing
"slow" is answered after a pause (to see typing indicators)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.fake_rasa import FakeRasa, running_fake_rasa

GREETING = "Hi! I'm the shop's assistant. What can I do for you?"
GREETING_BUTTONS = [
    {"title": "Track my order", "payload": "/track_order"},
    {"title": "Start a return", "payload": "/return_item"},
]
ASK_ORDER = "Sure: what is your order number?"
SLOW_ANSWER = "Sorry for the wait: here I am."
SLOW_SECONDS = 1.5
TRACKING_URL = "https://carrier.example/track?id=JD0140001&lang=en"
TRACKED = f"Tracking number JD0140001: {TRACKING_URL}. Or javascript:alert(1) http://plain.example"


def replies_to(message: str) -> list[dict[str, Any]]:
    if message == "/track_order":
        return [{"text": ASK_ORDER}]
    if "tracking" in message:
        return [{"text": TRACKED}]
    if "slow" in message:
        time.sleep(SLOW_SECONDS)
        return [{"text": SLOW_ANSWER}]
    return [{"text": GREETING, "buttons": GREETING_BUTTONS}]


@contextmanager
def running() -> Iterator[FakeRasa]:
    with running_fake_rasa(lambda _sender, message: replies_to(message)) as rasa:
        yield rasa
