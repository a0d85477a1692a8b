"""Real customers' wording with the real model: a greeting and a name in front of a request, an
out-of-scope question, a request the model is unsure of (buttons, then the chosen task), and a
device that won't turn on."""

from __future__ import annotations

import pytest

from tests.dialogue.conftest import Chat, Stack

pytestmark = pytest.mark.timeout(900)


def _buttons(replies: list[dict[str, object]]) -> list[dict[str, str]]:
    return [b for r in replies for b in r.get("buttons") or []]  # type: ignore[attr-defined]


def test_a_greeting_and_a_name_in_front_of_a_request_start_the_request(chat: Chat) -> None:
    reply = chat.text("Hi. My name is Chloe. I'm curious when my package arrives")
    assert "order number" in reply, chat.log()


def test_out_of_scope_is_said_honestly_with_what_the_bot_does_and_a_person(chat: Chat) -> None:
    replies = chat.say("Do you guys provide a 0% EMI plan on the mattress?")
    text = " ".join(str(r.get("text", "")) for r in replies).lower()
    assert "can't help with that here" in text, chat.log()
    assert "/human_agent" in [b["payload"] for b in _buttons(replies)], chat.log()


def test_an_unsure_request_offers_buttons_and_the_chosen_one_runs(chat: Chat, stack: Stack) -> None:
    number, email = stack.showcase("in_transit")
    replies = chat.say("my package")  # a late parcel or where it is? The model can't tell.
    text = " ".join(str(r.get("text", "")) for r in replies).lower()
    assert "do you want to" in text, chat.log()
    payloads = {b["title"]: b["payload"] for b in _buttons(replies)}
    assert payloads["Something else"] == "/deny"
    assert payloads["Track an order"] == "/order_status", chat.log()
    assert "order number" in chat.text(payloads["Track an order"]), chat.log()
    assert number in chat.verify(number, email), chat.log()


def test_a_device_that_wont_turn_on_is_a_damaged_item_not_a_payment(
    chat: Chat, stack: Stack
) -> None:
    number, email = stack.showcase("inside_window")
    chat.text(f"order {number}: the speaker won't turn on")
    reply = chat.text(email)
    assert "payment" not in reply, chat.log()
    assert "damaged" in reply or "photo" in reply or "sorry" in reply, chat.log()
