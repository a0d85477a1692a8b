"""What the fake Rasa (tests/fake_rasa.py) answers in the Telegram tests: a menu with buttons."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.fake_rasa import FakeRasa, running_fake_rasa

LONG_PAYLOAD = '/inform{"order_number": "SHOP-2026-000123", "email": "ada@example.com", "x": 1}'
GREETING = "Hi! I'm the Demo Shop assistant. What can I do for you?"
FILE_RECEIVED = "Thanks, I've received your file."
MENU = [
    {"title": "Where is my order?", "payload": "/order_status"},
    {"title": "Order SHOP-2026-000123", "payload": LONG_PAYLOAD},
]


def reply(_sender: str, message: str) -> list[dict[str, Any]]:
    if message == "hi":
        return [{"text": GREETING, "buttons": MENU}]
    if message == "(sent a file)":
        return [{"text": FILE_RECEIVED}]
    return [{"text": f"You said: {message}"}]


@contextmanager
def fake_rasa() -> Iterator[FakeRasa]:
    with running_fake_rasa(reply) as rasa:
        yield rasa
