"""`POST /chat/api/followup-email`: out of hours, the customer may leave an email for a reply
by email. It is stored on the token's own conversation only, validated, idempotent, masked for
the customer and in the logs, and shown in full to agents in the console."""

from __future__ import annotations

import logging

from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.api.helpers import codes
from tests.console.conftest import Console
from tests.contract import assert_documented
from ticketing.app import create_app
from ticketing.conversations.models import Conversation, ConversationEvent

PATH = "/chat/api/followup-email"


def leave(client, chat, email: str, **extra: object):
    return client.post(PATH, json={"email": email, **extra}, headers=chat.headers)


def stored(database, conversation_id: str) -> tuple[str | None, list[ConversationEvent]]:
    with database.session() as db_session:
        conversation = db_session.get(Conversation, conversation_id)
        events = db_session.scalars(
            select(ConversationEvent).where(
                ConversationEvent.conversation_id == conversation_id,
                ConversationEvent.kind == "followup_email_left",
            )
        ).all()
        return (conversation.followup_email if conversation else None), list(events)


def test_the_email_is_stored_on_the_conversation_and_shown_masked(client, new_chat, database):
    chat = new_chat(client)
    assert chat.send("My parcel never came").status_code == 200  # the bot is down: a person
    response = leave(client, chat, "  Ada.Lovelace@Example.COM ")
    assert response.status_code == 200, response.text
    assert response.json()["conversation"]["followup_email"] == "A***@example.com"
    assert "Lovelace" not in response.text  # the customer's own screen shows it masked
    email, events = stored(database, chat.conversation_id)
    assert email == "Ada.Lovelace@example.com"  # the domain is case-insensitive, the name not
    assert [e.data for e in events] == [{"replaced": False}]
    assert chat.history()["conversation"]["followup_email"] == "A***@example.com"


def test_sending_it_twice_changes_nothing_and_a_new_address_replaces_it(
    client, new_chat, database, clock
):
    chat = new_chat(client)
    chat.send("Where is my refund?")
    first = leave(client, chat, "ada@example.com")
    clock.advance(minutes=1)
    again = leave(client, chat, "ada@example.com")
    assert first.json() == again.json()  # the same state, the same `updated_at`
    assert len(stored(database, chat.conversation_id)[1]) == 1
    corrected = leave(client, chat, "ada@example.org")
    assert corrected.json()["conversation"]["followup_email"] == "a***@example.org"
    email, events = stored(database, chat.conversation_id)
    assert email == "ada@example.org"
    assert [e.data for e in events] == [{"replaced": False}, {"replaced": True}]


def test_a_bad_address_is_refused_with_what_to_do(client, new_chat, database):
    chat = new_chat(client)
    chat.send("hello")
    for bad in ("ada", "ada@", "@example.com", "ada@example", "ada lovelace@example.com",
                "ada@@example.com", "ada@example..com", "ada@localhost"):  # fmt: skip
        response = leave(client, chat, bad)
        assert (response.status_code, codes(response)) == (422, ["bad_email"]), bad
        assert "name@example.com" in response.json()["detail"][0]["msg"]
    for body in ({}, {"email": ""}, {"email": 42}, {"email": "x@example.com" * 30}):
        response = client.post(PATH, json=body, headers=chat.headers)
        assert (response.status_code, codes(response)) == (422, ["invalid_input"]), body
    assert stored(database, chat.conversation_id) == (None, [])


def test_only_the_tokens_own_conversation_gets_the_email(client, new_chat, database):
    ada, bob = new_chat(client), new_chat(client)
    ada.send("My parcel never came")
    bob.send("Mine neither")
    # The conversation comes from the token alone: naming another one is refused, not obeyed.
    refused = leave(client, bob, "bob@example.com", conversation_id=ada.conversation_id)
    assert (refused.status_code, codes(refused)) == (422, ["invalid_input"])
    as_token = {"X-Chat-Token": ada.conversation_id.removeprefix("web-")}
    forged = client.post(PATH, json={"email": "eve@example.com"}, headers=as_token)
    assert (forged.status_code, codes(forged)) == (401, ["bad_chat_token"])
    nobody = client.post(PATH, json={"email": "eve@example.com"})
    assert (nobody.status_code, codes(nobody)) == (401, ["bad_chat_token"])
    assert leave(client, bob, "bob@example.com").status_code == 200
    assert stored(database, ada.conversation_id) == (None, [])
    assert stored(database, bob.conversation_id)[0] == "bob@example.com"


def test_before_the_first_message_there_is_nothing_to_follow_up(client, new_chat, database):
    chat = new_chat(client)
    response = leave(client, chat, "ada@example.com")
    assert (response.status_code, codes(response)) == (409, ["nothing_to_follow_up"])
    assert "Write your question first" in response.json()["detail"][0]["msg"]
    assert stored(database, chat.conversation_id) == (None, [])


def test_the_address_is_masked_in_the_logs(client, new_chat, caplog):
    chat = new_chat(client)
    chat.send("hello")
    with caplog.at_level(logging.DEBUG):
        assert leave(client, chat, "ada.lovelace@example.com").status_code == 200
    assert "a***@example.com" in caplog.text
    assert "lovelace" not in caplog.text.lower()


def test_agents_see_the_full_address_in_the_console(client, new_chat, database, clock):
    console = Console(client, database, clock)
    agent = console.staff("olga")
    chat = new_chat(client)
    chat.send("My parcel never came")
    leave(client, chat, "ada@example.com")
    detail = console.get(agent, f"/conversations/{chat.conversation_id}")
    assert detail.status_code == 200, detail.text
    conversation = detail.json()["conversation"]
    assert conversation["followup_email"] == "ada@example.com"
    assert conversation["followup_email_at"] is not None


def test_the_endpoint_and_its_refusals_are_declared_in_the_schema(client, new_chat):
    chat = new_chat(client)
    early = leave(client, chat, "ada@example.com")
    chat.send("hello")
    answers = [early, leave(client, chat, "nope"), leave(client, chat, "ada@example.com")]
    answers.append(client.post(PATH, json={"email": "ada@example.com"}))
    assert [a.status_code for a in answers] == [409, 422, 200, 401]
    for response in answers:
        assert_documented(client, response)


def test_addresses_count_against_the_messages_limit_of_the_address(
    database, settings, clock, new_chat
):
    app = create_app(
        settings.model_copy(update={"message_limit_per_ip": 3}), database=database, clock=clock
    )
    with TestClient(app) as limited:
        chat = new_chat(limited)
        assert chat.send("hello").status_code == 200
        assert leave(limited, chat, "ada@example.com").status_code == 200
        assert leave(limited, chat, "ada@example.org").status_code == 200
        flooded = leave(limited, chat, "ada@example.net")
        assert flooded.status_code == 429, flooded.text
        assert "Retry-After" in flooded.headers
        assert stored(database, chat.conversation_id)[0] == "ada@example.org"
