"""The hub speaks Rasa's REST channel: every reply relayed, everything stored, failures handed
to a person with the customer told."""

from __future__ import annotations

from tests.contract import assert_documented
from tests.hub.helpers import (
    CHANNEL_KEY,
    conversation,
    events,
    messages,
    rest_id,
    rest_say,
    tickets,
)

ADA = rest_id("ada")


def say(client, text: str, sender: str = "ada"):
    return rest_say(client, sender, text)


def test_every_bot_reply_is_relayed_in_order_and_stored(hub_client, rasa, database):
    response = say(hub_client, "where is my order? 📦")

    assert response.status_code == 200
    assert response.json() == [
        {"recipient_id": "ada", "text": "You said: where is my order? 📦"},
        {
            "recipient_id": "ada",
            "text": "Anything else?",
            "buttons": [
                {"title": "Yes", "payload": "/affirm"},
                {"title": "No", "payload": "/deny"},
            ],
        },
    ]
    assert rasa.messages_from(ADA) == ["where is my order? 📦"]
    assert messages(database, ADA) == [
        ("customer", "where is my order? 📦"),
        ("bot", "You said: where is my order? 📦"),
        ("bot", "Anything else?"),
    ]
    assert conversation(database, ADA).owner == "bot"


def test_images_and_custom_payloads_are_relayed_too(hub_client, rasa):
    rasa.script = lambda sender, _m: [
        {"recipient_id": sender, "image": "https://shop.example/parcel.png"},
        {"recipient_id": sender, "custom": {"type": "carousel", "items": [1, 2]}},
    ]

    replies = say(hub_client, "show me").json()

    assert replies == [
        {"recipient_id": "ada", "image": "https://shop.example/parcel.png"},
        {"recipient_id": "ada", "custom": {"type": "carousel", "items": [1, 2]}},
    ]


def test_a_button_payload_goes_to_rasa_as_is(hub_client, rasa):
    say(hub_client, "hi")  # the echo bot offers /affirm and /deny

    say(hub_client, "/affirm")

    assert rasa.messages_from(ADA) == ["hi", "/affirm"]


def test_a_payload_the_hub_never_offered_is_read_as_text(hub_client, rasa):
    say(hub_client, "hi")

    say(hub_client, '/inform{"order_number": "12345"}')

    assert rasa.messages_from(ADA)[-1] == 'inform{"order_number": "12345"}'


def test_the_hub_signal_from_the_actions_is_not_shown_to_the_customer(hub_client, rasa, database):
    rasa.script = lambda sender, _m: [
        {"recipient_id": sender, "custom": {"supportbot": "bot_resolved"}},
        {"recipient_id": sender, "text": "How would you rate me?"},
    ]

    replies = say(hub_client, "thanks, that's all").json()

    assert replies == [{"recipient_id": "ada", "text": "How would you rate me?"}]
    assert events(database, ADA) == ["created", "bot_resolved", "csat_requested"]
    assert conversation(database, ADA).resolved_at is not None


def test_rasa_down_hands_the_conversation_to_a_person_and_says_so(hub_client, rasa, database):
    """Down after it had answered (before that, the hub takes it for starting: see
    test_rasa_starting.py)."""
    say(hub_client, "hello", sender="before")
    rasa.stop()

    replies = say(hub_client, "my parcel never came").json()

    [ticket] = tickets(database)
    assert len(replies) == 1
    assert "passing you to a colleague" in replies[0]["text"]
    assert ticket.number in replies[0]["text"]
    assert ticket.conversation_id == ADA
    assert "(reason: backend_down)" in ticket.description
    stored = conversation(database, ADA)
    assert stored.owner == "human"
    assert stored.ticket_id == ticket.id
    assert messages(database, ADA)[0] == ("customer", "my parcel never came")
    assert "bot_handoff" in events(database, ADA)


def test_rasa_errors_and_empty_answers_are_handed_over(hub_client, rasa, database):
    for number, mode in enumerate(["error", "empty", "garbage"]):
        rasa.mode = mode
        sender = f"c{number}"
        replies = say(hub_client, "hello", sender=sender).json()
        assert "colleague" in replies[0]["text"], mode
        assert conversation(database, rest_id(sender)).owner == "human", mode
    assert len(tickets(database)) == 3


def test_while_a_person_has_it_the_bot_stays_silent(hub_client, rasa, database):
    rasa.mode = "error"
    say(hub_client, "hello")
    rasa.mode = "ok"

    replies = say(hub_client, "are you there?").json()

    assert replies == []
    assert rasa.messages_from(ADA) == ["hello"]
    assert messages(database, ADA)[-1] == ("customer", "are you there?")
    assert len(tickets(database)) == 1


def test_a_message_too_long_is_refused_and_nothing_is_stored(hub_client, rasa, database):
    response = say(hub_client, "x" * 10_000)

    assert response.status_code == 422
    assert rasa.received == []
    assert messages(database, ADA) == []


def test_malformed_json_gets_a_clear_error(hub_client):
    response = hub_client.post(
        "/webhooks/rest/webhook",
        content=b'{"sender": "ada", "message": ',
        headers={"content-type": "application/json", **CHANNEL_KEY},
    )

    assert response.status_code == 422
    assert response.json()["detail"]


def test_an_empty_message_is_refused(hub_client, rasa):
    response = say(hub_client, "   ")

    assert response.status_code == 422
    assert response.json()["detail"][0]["code"] == "empty_message"
    assert rasa.received == []


def test_services_can_read_the_transcript(hub_client, service_headers):
    conversation_id = say(hub_client, "hi").headers["X-Conversation-Id"]

    assert conversation_id == ADA
    response = hub_client.get(
        f"/api/conversations/{conversation_id}/messages", headers=service_headers
    )
    later = hub_client.get(
        f"/api/conversations/{conversation_id}/messages",
        params={"after": response.json()[0]["id"]},
        headers=service_headers,
    )

    assert [m["sender"] for m in response.json()] == ["customer", "bot", "bot"]
    assert [m["sender"] for m in later.json()] == ["bot", "bot"]
    assert hub_client.get(f"/api/conversations/{ADA}/messages").status_code == 401
    missing = hub_client.get("/api/conversations/rest-nobody/messages", headers=service_headers)
    assert missing.status_code == 404


def test_answers_and_refusals_are_declared_in_the_schema(hub_client, service_headers):
    answers = [
        say(hub_client, "hi"),
        say(hub_client, "   "),
        hub_client.get(f"/api/conversations/{ADA}/messages", headers=service_headers),
        hub_client.get("/api/conversations/rest-nobody/messages", headers=service_headers),
        hub_client.get(f"/api/conversations/{ADA}/messages"),
    ]
    assert [a.status_code for a in answers] == [200, 422, 200, 404, 401]
    for response in answers:
        assert_documented(hub_client, response)


def test_reading_after_an_id_beyond_the_database_range_is_invalid_input(
    hub_client, service_headers
):
    # Found by the fuzzer: on PostgreSQL (32-bit ids) this was a 500 from the database.
    say(hub_client, "hi")
    url = f"/api/conversations/{ADA}/messages"
    assert hub_client.get(f"{url}?after=2147483647", headers=service_headers).json() == []
    response = hub_client.get(f"{url}?after=2147483648", headers=service_headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "after"]
