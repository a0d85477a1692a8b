"""Customer messages from Telegram reach the hub (and Rasa); the replies go back as Bot API
calls with inline keyboards."""

from __future__ import annotations

from fastapi.testclient import TestClient

from integrations.telegram import callback_data
from integrations.telegram.incoming import GREETING as CHANNEL_GREETING
from integrations.telegram.incoming import UNSUPPORTED
from tests.telegram import updates
from tests.telegram.conftest import telegram_settings
from tests.telegram.fake_rasa import GREETING, LONG_PAYLOAD
from tests.telegram.helpers import deliver, keyboard, stored_messages
from tests.telegram.updates import CHAT_ID
from ticketing.app import create_app


def test_a_text_reaches_rasa_and_the_replies_come_back_with_buttons(tg_client, rasa, bot_api):
    deliver(tg_client, updates.text(1, "hi"))

    assert rasa.received[0]["sender"] == f"telegram-{CHAT_ID}"
    metadata = rasa.received[0]["metadata"]
    assert (metadata["channel"], metadata["client_ip"]) == ("telegram", None)  # no address
    assert metadata["conversation_proof"]  # what lets the actions write for this chat
    [sent] = bot_api.of("sendMessage")
    assert sent.params["chat_id"] == str(CHAT_ID)
    assert sent.params["text"] == GREETING
    rows = keyboard(sent)
    assert [[b["text"] for b in row] for row in rows] == [
        ["Where is my order?"],
        ["Order SHOP-2026-000123"],
    ]
    assert rows[0][0]["callback_data"] == "/order_status"
    long_data = rows[1][0]["callback_data"]
    assert len(long_data.encode()) <= 64 and long_data == callback_data.encode(LONG_PAYLOAD)
    assert bot_api.of("sendChatAction")[0].params["action"] == "typing"


def test_start_greets_through_the_bot(tg_client, rasa, bot_api):
    deliver(tg_client, updates.text(1, "/start"))
    assert rasa.messages() == ["hi"]
    assert bot_api.texts_to(CHAT_ID) == [GREETING]


def test_other_commands_reach_the_bot_without_their_slash(tg_client, rasa):
    deliver(tg_client, updates.text(1, "/help@shop_test_bot returns"))
    assert rasa.messages() == ["help returns"]


def test_start_while_a_person_has_the_chat_greets_from_the_channel(
    database, settings, clock, bot_api
):
    no_bot = telegram_settings(settings, bot_api, rasa_url=None)
    with TestClient(create_app(no_bot, database=database, clock=clock)) as client:
        deliver(client, updates.text(1, "hello"))  # no bot: a person takes over
        deliver(client, updates.text(2, "/start"))
    assert bot_api.texts_to(CHAT_ID)[-1] == CHANNEL_GREETING


def test_a_button_press_sends_its_payload(tg_client, rasa, bot_api):
    deliver(tg_client, updates.text(1, "hi"))
    deliver(tg_client, updates.button(2, "/order_status", message_id=1000))

    assert rasa.messages() == ["hi", "/order_status"]
    [answered] = bot_api.of("answerCallbackQuery")
    assert answered.params["callback_query_id"] == "cq-2"
    assert "text" not in answered.params
    [edited] = bot_api.of("editMessageReplyMarkup")
    assert (edited.params["chat_id"], edited.params["message_id"]) == (str(CHAT_ID), "1000")
    assert "reply_markup" not in edited.params  # the keyboard is gone
    assert bot_api.texts_to(CHAT_ID)[-1] == "You said: /order_status"
    pressed = stored_messages(tg_client.app.state.database)[-2]
    assert pressed.payload == {"payload": "/order_status"}


def test_a_long_payload_is_sent_by_hash_and_mapped_back(tg_client, rasa, bot_api):
    deliver(tg_client, updates.text(1, "hi"))
    data = keyboard(bot_api.of("sendMessage")[0])[1][0]["callback_data"]
    deliver(tg_client, updates.button(2, data))
    assert rasa.messages() == ["hi", LONG_PAYLOAD]


def test_an_unknown_hashed_button_is_answered_as_expired(tg_client, rasa, bot_api):
    deliver(tg_client, updates.text(1, "hi"))
    deliver(tg_client, updates.button(2, callback_data.encode("/x" + "y" * 80)))
    assert rasa.messages() == ["hi"]
    [answered] = bot_api.of("answerCallbackQuery")
    assert "expired" in answered.params["text"]


def test_a_retried_update_is_handled_once(tg_client, rasa, bot_api):
    deliver(tg_client, updates.text(7, "where is my parcel?"))
    deliver(tg_client, updates.text(7, "where is my parcel?"))
    assert rasa.messages() == ["where is my parcel?"]
    assert len(bot_api.of("sendMessage")) == 1
    assert len(stored_messages(tg_client.app.state.database)) == 2  # question and answer


def test_a_photo_is_stored_as_an_attachment_and_acknowledged(tg_client, rasa, bot_api, database):
    deliver(tg_client, updates.photo(3))

    [incoming, *_replies] = stored_messages(database)
    [attachment] = incoming.payload["attachments"]
    assert attachment["kind"] == "photo"
    assert attachment["file_id"] == "big-id"  # the largest size
    assert attachment["size"] == 84_000
    assert any("received" in text for text in bot_api.texts_to(CHAT_ID))


def test_a_photo_caption_is_the_message_text(tg_client, rasa, database):
    deliver(tg_client, updates.photo(3, caption="the box arrived broken"))
    assert stored_messages(database)[0].text == "the box arrived broken"
    assert rasa.messages() == ["the box arrived broken"]


def test_a_document_is_stored_with_its_name_and_type(tg_client, database, bot_api):
    deliver(tg_client, updates.document(4))
    [attachment] = stored_messages(database)[0].payload["attachments"]
    assert attachment == {
        "kind": "document",
        "file_id": "doc-id",
        "file_unique_id": "d1",
        "file_name": "receipt.pdf",
        "mime_type": "application/pdf",
        "size": 12_345,
    }
    assert any("received" in text for text in bot_api.texts_to(CHAT_ID))


def test_a_sticker_gets_a_polite_answer_and_is_not_stored(tg_client, rasa, bot_api, database):
    deliver(tg_client, updates.sticker(5))
    assert bot_api.texts_to(CHAT_ID) == [UNSUPPORTED]
    assert rasa.messages() == [] and stored_messages(database) == []


def test_group_chats_are_ignored(tg_client, rasa, bot_api, database):
    deliver(tg_client, updates.text(6, "hello all", chat_id=-100200, chat_type="group"))
    assert rasa.messages() == [] and bot_api.calls == []


def test_a_message_the_hub_refuses_is_explained_to_the_customer(tg_client, rasa, bot_api):
    deliver(tg_client, updates.text(8, "x" * 4050))
    assert rasa.messages() == []
    [answer] = bot_api.texts_to(CHAT_ID)
    assert "at most 4,000" in answer


def test_a_telegram_failure_is_logged_and_the_messages_stay_stored(
    tg_client, bot_api, database, caplog
):
    bot_api.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
    deliver(tg_client, updates.text(9, "hello?"))
    assert [m.text for m in stored_messages(database)] == ["hello?", "You said: hello?"]
    assert "blocked the bot" in caplog.text
