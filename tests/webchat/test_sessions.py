"""Chat sessions: the token is the only key to a conversation, and only to its own."""

from __future__ import annotations

import hashlib

from fastapi.testclient import TestClient
from pydantic import SecretStr

from tests.api.helpers import codes
from tests.contract import assert_documented
from ticketing.app import create_app
from ticketing.conversations.rest_channel import TOKENS_PATH as REST_TOKENS


def test_a_session_is_a_random_token_whose_hash_names_the_conversation(client):
    first = client.post("/chat/api/sessions")
    second = client.post("/chat/api/sessions")
    assert first.status_code == 201
    token = first.json()["token"]
    assert len(token) == 48
    assert token != second.json()["token"]
    assert (
        first.json()["conversation_id"] == f"web-{hashlib.sha256(token.encode()).hexdigest()[:32]}"
    )
    assert token not in first.json()["conversation_id"]


def test_a_new_chat_has_no_messages_yet(client, new_chat):
    chat = new_chat(client)
    assert chat.history() == {"conversation": None, "messages": []}


def test_calls_without_a_valid_token_are_refused(client):
    for headers in ({}, {"X-Chat-Token": "short"}, {"X-Chat-Token": "x" * 31 + "!"}):
        response = client.get("/chat/api/messages", headers=headers)
        assert response.status_code == 401
        assert codes(response) == ["bad_chat_token"]
    response = client.post("/chat/api/messages", json={"text": "hi", "client_id": "c1"})
    assert (response.status_code, codes(response)) == (401, ["bad_chat_token"])


def test_one_token_never_reads_another_conversation(client, new_chat):
    ada, bob = new_chat(client), new_chat(client)
    assert ada.send("My address is 12 Analytical Street").status_code == 200
    assert bob.history() == {"conversation": None, "messages": []}
    assert bob.send("Hello").status_code == 200
    bob_view = bob.history()
    assert bob_view["conversation"]["id"] == bob.conversation_id
    assert all(m["conversation_id"] == bob.conversation_id for m in bob_view["messages"])
    assert "Analytical" not in str(bob_view)
    # The conversation id is not a credential: as a token it is refused.
    as_token = {"X-Chat-Token": ada.conversation_id.removeprefix("web-")}
    stranger = client.get("/chat/api/messages", headers=as_token)
    assert (stranger.status_code, codes(stranger)) == (401, ["bad_chat_token"])


def test_a_well_formed_token_the_server_never_issued_is_refused(client, new_chat):
    """Security issue 15: any 32-character token used to open a chat without a session, which
    skipped the limit on new chats per address."""
    issued = new_chat(client).token
    forged = [
        "A" * 32,  # the shape of the tokens before they were signed
        issued[:24] + "A" * 24,  # a real nonce with a made-up signature
        "B" * 24 + issued[24:],  # a real signature on another nonce
        client.post(REST_TOKENS).json()["token"],  # issued, but for the REST channel
    ]
    for token in forged:
        headers = {"X-Chat-Token": token}
        sent = client.post(
            "/chat/api/messages", json={"text": "hi", "client_id": "c1"}, headers=headers
        )
        read = client.get("/chat/api/messages", headers=headers)
        assert (sent.status_code, codes(sent)) == (401, ["bad_chat_token"]), token
        assert (read.status_code, codes(read)) == (401, ["bad_chat_token"]), token
        assert "start a new chat" in read.json()["detail"][0]["msg"]


def test_tokens_stop_working_when_the_secret_key_changes(
    database, settings, clock, new_chat, client
):
    token = new_chat(client).token
    rotated = settings.model_copy(update={"secret_key": SecretStr("another-secret-" + "x" * 32)})
    with TestClient(create_app(rotated, database=database, clock=clock)) as other:
        refused = other.get("/chat/api/messages", headers={"X-Chat-Token": token})
    assert refused.status_code == 401


def test_the_customer_sees_no_internal_conversation_details(client, new_chat):
    chat = new_chat(client)
    conversation = chat.send("Where is my parcel?").json()["conversation"]
    assert set(conversation) == {
        "id",
        "owner",
        "csat_state",
        "agent_name",
        "ticket_number",
        "updated_at",
        "followup_email",  # their own, masked (test_followup_email.py)
    }


def test_the_widget_may_call_from_the_shops_origin(client, new_chat):
    preflight = client.options(
        "/chat/api/messages",
        headers={
            "Origin": "https://shop.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-chat-token",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "X-Chat-Token" in preflight.headers["access-control-allow-headers"]
    chat = new_chat(client)
    assert chat.send("hi").headers["access-control-allow-origin"] == "*"
    refused = client.get("/chat/api/messages")  # errors too, so the widget can show them
    assert refused.headers["access-control-allow-origin"] == "*"


def test_the_widget_api_and_its_refusals_are_declared_in_the_schema(client, new_chat):
    chat = new_chat(client)
    answers = [
        chat.send("Hello"),
        chat.send(None),
        client.post("/chat/api/messages", json={"text": "hi", "client_id": "c1"}),
        client.get("/chat/api/messages", headers=chat.headers),
        client.post("/chat/api/human", headers={"X-Chat-Token": "short"}),
    ]
    assert [a.status_code for a in answers] == [200, 422, 401, 200, 401]
    for response in answers:
        assert_documented(client, response)
    # The body is read by the view itself; the schema still says what it must be.
    body = client.get("/openapi.json").json()["paths"]["/chat/api/messages"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"]["required"] == ["client_id"]
