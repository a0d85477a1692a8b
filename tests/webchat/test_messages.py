"""Sending and reading messages through the widget's API, with the bot up and down."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.api.helpers import codes
from tests.webchat import fake_rasa
from ticketing.conversations.models import Message


def stored_messages(database, chat) -> int:
    """Messages stored for this chat (the test database may be shared with other runs)."""
    with database.session() as db_session:
        query = select(func.count()).where(Message.conversation_id == chat.conversation_id)
        return db_session.scalar(query) or 0


def test_a_message_gets_the_bots_reply_with_its_buttons(bot_client, new_chat, rasa):
    chat = new_chat(bot_client)
    response = chat.send("Hello there")
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["conversation"]["owner"] == "bot"
    echo, reply = answer["messages"]
    assert (echo["sender"], echo["text"]) == ("customer", "Hello there")
    assert (reply["sender"], reply["text"]) == ("bot", fake_rasa.GREETING)
    assert reply["buttons"] == fake_rasa.GREETING_BUTTONS
    [sent] = rasa.received
    assert (sent["sender"], sent["message"]) == (chat.conversation_id, "Hello there")
    assert sent["metadata"]["channel"] == "web"
    assert sent["metadata"]["client_ip"] == "testclient"  # Starlette's TestClient address
    assert sent["metadata"]["conversation_proof"]  # what lets the actions rate (see security)
    assert [m["id"] for m in chat.history()["messages"]] == [echo["id"], reply["id"]]


def test_a_button_sends_its_payload_and_shows_its_title(bot_client, new_chat, rasa):
    chat = new_chat(bot_client)
    chat.send("Hello")
    answer = chat.send("Track my order", payload="/track_order").json()
    assert [m["text"] for m in answer["messages"]] == ["Track my order", fake_rasa.ASK_ORDER]
    assert rasa.received[-1]["message"] == "/track_order"


def test_a_retry_with_the_same_client_id_is_stored_once(bot_client, new_chat, rasa, database):
    chat = new_chat(bot_client)
    first = chat.send("Where is my parcel?", client_id="retry-1").json()
    again = chat.send("Where is my parcel?", client_id="retry-1").json()
    assert again["messages"] == first["messages"]
    assert len(rasa.received) == 1
    assert stored_messages(database, chat) == 2
    assert len(chat.history()["messages"]) == 2


def test_later_messages_only_after_an_id(bot_client, new_chat):
    chat = new_chat(bot_client)
    first = chat.send("one").json()["messages"]
    second = chat.send("two").json()["messages"]
    assert chat.history(after=first[-1]["id"])["messages"] == second
    assert chat.history(after=second[-1]["id"])["messages"] == []


def test_emoji_and_accents_come_back_unchanged(client, new_chat):
    chat = new_chat(client)
    text = "Hallo 👋 — ça va? Größe L statt M 🇩🇪 (日本語もOK)"
    assert chat.send(text).status_code == 200
    assert chat.history()["messages"][0]["text"] == text


def test_a_too_long_message_is_refused_and_nothing_stored(client, new_chat, database):
    chat = new_chat(client)
    response = chat.send("x" * 10_000)
    assert response.status_code == 422
    assert codes(response) == ["message_too_long"]
    assert "4,000" in response.json()["detail"][0]["msg"]
    assert stored_messages(database, chat) == 0
    assert chat.history() == {"conversation": None, "messages": []}


def test_bad_bodies_get_clear_errors(client, new_chat, database):
    chat = new_chat(client)
    post = client.post
    json_headers = {**chat.headers, "Content-Type": "application/json"}
    malformed = post("/chat/api/messages", content=b'{"text": "hi",', headers=json_headers)
    assert (malformed.status_code, codes(malformed)) == (422, ["bad_json"])
    not_utf8 = post("/chat/api/messages", content=b'{"text": "\xff"}', headers=json_headers)
    assert (not_utf8.status_code, codes(not_utf8)) == (422, ["bad_json"])
    form = post("/chat/api/messages", data={"text": "hi", "client_id": "c"}, headers=chat.headers)
    assert (form.status_code, codes(form)) == (415, ["bad_type"])
    huge = post("/chat/api/messages", content=b" " * (65 * 1024), headers=json_headers)
    assert (huge.status_code, codes(huge)) == (413, ["too_large"])
    empty = chat.send("   ")
    assert (empty.status_code, codes(empty)) == (422, ["empty_message"])
    no_client_id = post("/chat/api/messages", json={"text": "hi"}, headers=chat.headers)
    assert (no_client_id.status_code, codes(no_client_id)) == (422, ["invalid_input"])
    assert no_client_id.json()["detail"][0]["loc"] == ["client_id"]
    unknown_field = chat.send("hi", sender="someone-else")
    assert (unknown_field.status_code, codes(unknown_field)) == (422, ["invalid_input"])
    assert stored_messages(database, chat) == 0


def test_when_the_bot_is_down_a_person_takes_over(client, new_chat):
    chat = new_chat(client)
    answer = chat.send("Where is my parcel?").json()
    assert answer["conversation"]["owner"] == "human"
    assert answer["conversation"]["ticket_number"]
    assert answer["messages"][-1]["sender"] == "system"
    assert "passing you to a colleague" in answer["messages"][-1]["text"]


def test_talk_to_a_person(bot_client, new_chat):
    chat = new_chat(bot_client)
    early = bot_client.post("/chat/api/human", headers=chat.headers)
    assert (early.status_code, codes(early)) == (409, ["nothing_to_hand_over"])
    chat.send("Hello")
    answer = bot_client.post("/chat/api/human", headers=chat.headers).json()
    assert answer["conversation"]["owner"] == "human"
    [message] = answer["messages"]
    assert message["sender"] == "system"
    assert answer["conversation"]["ticket_number"] in message["text"]


def test_reading_after_an_id_beyond_the_database_range_is_invalid_input(client, new_chat):
    # Found by the fuzzer: on PostgreSQL (32-bit ids) this was a 500 from the database.
    chat = new_chat(client)
    chat.send("Hello")
    assert chat.history(after=2147483647)["messages"] == []
    response = client.get("/chat/api/messages?after=2147483648", headers=chat.headers)
    assert (response.status_code, codes(response)) == (422, ["invalid_input"])
