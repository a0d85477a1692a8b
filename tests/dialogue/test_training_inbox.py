"""The training inbox with the real Rasa model, action server and backend: what the bot does
not understand through the hub reaches the inbox masked, with Rasa's own guesses, and the
handoff after the third miss is recorded on the message."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.dialogue.conftest import Stack
from tests.dialogue.test_hub_flows import HubChat
from ticketing.training.models import InboxItem

pytestmark = pytest.mark.timeout(900)

MISSES = ("qwrt zxvb plmk", "flurbo glarp mizzle jo.doe@example.org", "vrrp sklorg tung")


def test_misunderstood_messages_reach_the_inbox_masked_with_the_bots_guesses(
    stack: Stack,
) -> None:
    chat = HubChat(stack)
    for text in MISSES:
        chat.text(text)
    with stack.database.session() as s:
        items = list(
            s.scalars(
                select(InboxItem)
                .where(InboxItem.conversation_id == chat.conversation_id)
                .order_by(InboxItem.id)
            )
        )
    texts = [item.text for item in items]
    assert texts == ["qwrt zxvb plmk", "flurbo glarp mizzle {email}", "vrrp sklorg tung"], (
        chat.log()
    )
    for item in items:
        assert set(item.reasons) & {"fallback", "out_of_scope"}, chat.log()
        assert 1 <= len(item.guesses) <= 3
        assert all(0 <= guess["confidence"] <= 1 for guess in item.guesses)
        assert "nlu_fallback" not in [guess["intent"] for guess in item.guesses]
    assert items[1].previous_customer_text == "qwrt zxvb plmk"
    assert items[1].previous_bot_text, chat.log()
    assert "handoff" in items[2].reasons, chat.log()  # the third miss went to a person
    assert "bot_misunderstood" in chat.events()
