"""Button payloads as Telegram callback data, which may be at most 64 bytes.

A short payload is sent as it is. A longer one (Rasa payloads with entities can be long) is sent
as `#` + a hash; the press is mapped back by hashing the buttons the hub sent to the chat, so no
mapping has to be stored and it survives restarts.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from ticketing.conversations.schemas import MessageView

MAX_CALLBACK_BYTES = 64
_HASHED = re.compile(r"^#[0-9a-f]{40}$")


def encode(payload: str) -> str:
    """The callback data for a button payload (the payload itself when it fits)."""
    if len(payload.encode()) <= MAX_CALLBACK_BYTES and not _HASHED.match(payload):
        return payload
    return "#" + hashlib.sha256(payload.encode()).hexdigest()[:40]


def is_hashed(data: str) -> bool:
    return bool(_HASHED.match(data))


def decode(data: str, sent: Iterable[MessageView]) -> str | None:
    """The payload behind callback data; None when a hashed one matches no button we sent."""
    if not is_hashed(data):
        return data
    for message in sent:
        for button in message.buttons:
            if encode(button.payload) == data:
                return button.payload
    return None
