"""The public REST channel authenticates its caller (security issue 15, finding 1 and two low
findings): an integration with a channel key names its own senders; anyone else writes with a
conversation token the server issued, so nobody can write as (or read the replies meant for) a
customer whose id they merely know. Sender ids are plain and never logged."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.api.helpers import codes
from tests.contract import assert_documented
from tests.hub.helpers import CHANNEL_KEY, rest_id, rest_say
from ticketing.app import create_app
from ticketing.conversations.models import Conversation, Message
from ticketing.conversations.rest_channel import TOKENS_PATH
from ticketing.logs import JsonFormatter, PersonalDataFilter

WEBHOOK = "/webhooks/rest/webhook"


def new_token(client: TestClient) -> dict[str, str]:
    response = client.post(TOKENS_PATH)
    assert response.status_code == 201, response.text
    body: dict[str, str] = response.json()
    return body


def post(client: TestClient, sender: str, text: str = "hi", **headers: str) -> Any:
    return client.post(WEBHOOK, json={"sender": sender, "message": text}, headers=headers)


def message_count(database) -> int:
    with database.session() as s:
        return s.scalar(select(func.count()).select_from(Message)) or 0


def test_without_a_key_a_sender_id_someone_chose_is_refused(hub_client, rasa, database):
    """Finding 1: a second client posting as a verified customer's sender id got that
    conversation (order details, and could change the address) without verifying."""
    customer = new_token(hub_client)
    assert post(hub_client, customer["token"], "my order is 10848").status_code == 200
    before = message_count(database)

    guesses = [
        "ada",  # an id a client would choose, as every sender used to be
        customer["conversation_id"],
        customer["conversation_id"].removeprefix("rest-"),
        "A" * 48,  # the shape of a token
        customer["token"][:24] + "A" * 24,  # a real nonce with a made-up signature
    ]
    for sender in guesses:
        response = post(hub_client, sender, "what is the tracking number?")
        assert (response.status_code, codes(response)) == (401, ["bad_conversation_token"]), sender
        msg = response.json()["detail"][0]["msg"]
        assert f"POST {TOKENS_PATH}" in msg and "X-Channel-Key" in msg
        assert_documented(hub_client, response)

    assert message_count(database) == before
    assert [m["sender"] for m in rasa.received] == [customer["conversation_id"]]


def test_a_conversation_token_is_the_conversation_and_never_shown(hub_client, rasa, database):
    ada, bob = new_token(hub_client), new_token(hub_client)
    assert ada["token"] != bob["token"] and ada["conversation_id"] != bob["conversation_id"]

    first = post(hub_client, ada["token"], "hello")
    again = post(hub_client, ada["token"], "still me")

    assert first.status_code == 200, first.text
    assert first.headers["X-Conversation-Id"] == again.headers["X-Conversation-Id"]
    assert first.headers["X-Conversation-Id"] == ada["conversation_id"]
    assert {r["recipient_id"] for r in first.json()} == {ada["token"]}  # Rasa's contract
    assert ada["token"] not in ada["conversation_id"]
    with database.session() as s:
        [conversation] = s.scalars(select(Conversation))
        assert conversation.id == ada["conversation_id"]
        assert ada["token"] not in conversation.external_id
    assert {m["sender"] for m in rasa.received} == {ada["conversation_id"]}  # not the token
    assert_documented(hub_client, hub_client.post(TOKENS_PATH))
    assert_documented(hub_client, first)


def test_a_web_chat_token_is_not_a_rest_token(client):
    chat_token = client.post("/chat/api/sessions").json()["token"]

    response = post(client, chat_token)

    assert (response.status_code, codes(response)) == (401, ["bad_conversation_token"])


def test_a_wrong_channel_key_is_refused_even_with_a_valid_token(client, database):
    token = new_token(client)["token"]

    response = post(client, token, **{"X-Channel-Key": "dev-rest-channel-key-guess"})

    assert (response.status_code, codes(response)) == (401, ["bad_channel_key"])
    assert "SUPPORTBOT_REST_CHANNEL_KEYS" in response.json()["detail"][0]["msg"]
    assert message_count(database) == 0


def test_an_integration_names_its_senders_but_cannot_write_into_token_conversations(client):
    token = new_token(client)

    as_integration = rest_say(client, "crm-customer-7", "hello")
    with_their_token = rest_say(client, token["token"], "hello")

    assert as_integration.headers["X-Conversation-Id"] == rest_id("crm-customer-7")
    assert with_their_token.status_code == 200
    assert with_their_token.headers["X-Conversation-Id"] != token["conversation_id"]


def test_production_without_channel_keys_accepts_tokens_only(database, settings, clock):
    production = settings.model_copy(update={"environment": "production"})
    with TestClient(create_app(production, database=database, clock=clock)) as client:
        refused = post(client, "crm-customer-7", **CHANNEL_KEY)
        token = new_token(client)["token"]
        accepted = post(client, token)

    assert (refused.status_code, codes(refused)) == (401, ["bad_channel_key"])
    assert accepted.status_code == 200, accepted.text


def test_new_rest_conversations_count_as_new_chats_per_address(database, settings, clock):
    limited = settings.model_copy(update={"chat_session_limit_per_ip": 2})
    with TestClient(create_app(limited, database=database, clock=clock)) as client:
        answers = [client.post(TOKENS_PATH) for _ in range(2)]
        answers += [client.post("/chat/api/sessions"), client.post(TOKENS_PATH)]

    assert [a.status_code for a in answers] == [201, 201, 429, 429]
    assert "started many chats" in answers[-1].json()["detail"][0]["msg"]


@pytest.mark.parametrize(
    "sender",
    [
        "ada\n2025-01-01 INFO supportbot.access [x rest-admin]: forged",  # a forged log line
        "ada/../../console",  # made a conversation id no console URL could open
        "ada lovelace",
        "x" * 129,
        "",
        "adä",
    ],
)
def test_sender_ids_are_plain_and_short(client, database, sender):
    response = rest_say(client, sender, "hello")

    assert (response.status_code, codes(response)) == (422, ["invalid_input"])
    msg = response.json()["detail"][0]["msg"]
    assert "only letters, digits and _ . : @ -" in msg and "128" in msg
    assert message_count(database) == 0


def test_the_longest_plain_sender_is_fine(client):
    assert rest_say(client, "a.B_c:d@e-" + "x" * 118, "hello").status_code == 200


@pytest.fixture
def all_logs() -> Iterator[io.StringIO]:
    """Every record of the app, as the JSON lines a log collector would get."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(PersonalDataFilter())
    handler.setFormatter(JsonFormatter())
    root, access = logging.getLogger(), logging.getLogger("supportbot.access")
    levels = root.level, access.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    access.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(levels[0])
    access.setLevel(levels[1])


def test_neither_sender_ids_nor_tokens_reach_the_logs(client, all_logs):
    """Finding 1: sender ids were in every access-log line (as part of the conversation id)."""
    token = new_token(client)["token"]
    by_integration = rest_say(client, "crm-customer-4711", "hello")
    by_token = post(client, token, "hello")

    assert by_integration.status_code == by_token.status_code == 200
    logged = all_logs.getvalue()
    assert by_integration.headers["X-Conversation-Id"] in logged  # the hashed id is logged
    assert "crm-customer-4711" not in logged
    assert token not in logged
