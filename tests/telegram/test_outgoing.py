"""Hub messages as Bot API calls, callback data within 64 bytes, and no token in the logs."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from integrations.telegram import callback_data
from integrations.telegram.client import BotTokenFilter
from integrations.telegram.incoming import command_text
from integrations.telegram.outgoing import CHOOSE, MAX_TEXT, split_text, to_telegram
from ticketing.conversations.hub import csat_request_payload
from ticketing.conversations.schemas import Button, MessageView


def message(**fields) -> MessageView:
    base = {
        "id": 1,
        "conversation_id": "telegram-1",
        "direction": "out",
        "sender": "bot",
        "sender_name": None,
        "text": "Hello",
        "created_at": datetime(2026, 6, 15, tzinfo=UTC),
    }
    return MessageView(**{**base, **fields})


def test_text_with_buttons_is_one_message_with_one_button_per_row():
    [call] = to_telegram(message(buttons=[Button(title="Yes", payload="/affirm")]))
    assert call.text == "Hello" and call.photo is None
    assert call.keyboard is not None
    assert [[b.callback_data for b in row] for row in call.keyboard.inline_keyboard] == [
        ["/affirm"]
    ]


def test_the_rating_scale_is_one_row():
    [call] = to_telegram(message(**csat_request_payload()))
    assert call.keyboard is not None
    [row] = call.keyboard.inline_keyboard
    assert [b.text for b in row] == ["★", "★★", "★★★", "★★★★", "★★★★★"]


def test_an_image_carries_the_text_as_caption_and_the_buttons():
    [call] = to_telegram(
        message(image="https://shop.example/p.png", buttons=[Button(title="OK", payload="/ok")])
    )
    assert (call.photo, call.text) == ("https://shop.example/p.png", "Hello")
    assert call.keyboard is not None


def test_a_long_text_after_an_image_is_sent_separately():
    photo, text = to_telegram(message(image="https://shop.example/p.png", text="x " * 600))
    assert photo.photo and photo.text is None
    assert text.text and text.photo is None


def test_buttons_without_text_get_a_prompt_and_custom_only_sends_nothing():
    [call] = to_telegram(message(text=None, buttons=[Button(title="OK", payload="/ok")]))
    assert call.text == CHOOSE
    assert to_telegram(message(text=None, custom={"type": "card"})) == []


def test_an_agent_message_names_the_agent():
    [call] = to_telegram(message(sender="agent", sender_name="Ann", text="Done"))
    assert call.text == "Ann: Done"


def test_long_texts_are_split_at_word_boundaries_within_the_limit():
    text = ("word " * 2000).strip()
    pieces = split_text(text)
    assert all(len(p) <= MAX_TEXT for p in pieces)
    assert " ".join(pieces) == text
    assert split_text("y" * (MAX_TEXT + 10)) == ["y" * MAX_TEXT, "y" * 10]


def test_callback_data_fits_telegram_and_maps_back():
    long_payload = '/inform{"order_number": "ÄÖÜ-' + "9" * 60 + '"}'
    data = callback_data.encode(long_payload)
    assert len(data.encode()) <= callback_data.MAX_CALLBACK_BYTES
    assert callback_data.encode("/csat 5") == "/csat 5"
    sent = [message(buttons=[Button(title="Order", payload=long_payload)])]
    assert callback_data.decode(data, sent) == long_payload
    assert callback_data.decode(data, []) is None
    assert callback_data.decode("/csat 5", []) == "/csat 5"


def test_a_payload_that_looks_hashed_is_hashed_too():
    fake = "#" + "a" * 40
    assert callback_data.encode(fake) != fake


def test_commands_lose_their_slash_and_bot_name():
    assert command_text("/start") == "start"
    assert command_text("/help@shop_bot  returns ") == "help returns"
    assert command_text("hello") is None and command_text("/") is None


def test_the_bot_token_is_masked_in_http_logs():
    record = logging.LogRecord(
        "httpx",
        logging.INFO,
        __file__,
        1,
        'HTTP Request: POST %s "HTTP/1.1 200 OK"',
        ("https://api.telegram.org/bot123456:AAH-secret_part/sendMessage",),
        None,
    )
    BotTokenFilter().filter(record)
    assert record.getMessage() == (
        'HTTP Request: POST https://api.telegram.org/bot***/sendMessage "HTTP/1.1 200 OK"'
    )
