"""The email a web chat customer leaves for a reply by email: a privacy export finds it (by the
customer's email, by that address alone, or by the chat) and an erasure removes it."""

from __future__ import annotations

import json

from sqlalchemy import select

from tests.privacy.helpers import dump, run_cli, where_found
from tests.privacy.test_export import export
from ticketing.audit.models import AuditEntry
from ticketing.conversations.models import Conversation

ERASE = ["privacy", "erase", "--actor", "dpo", "--reason", "GDPR request R-11", "--yes"]
LEFT_BY_STRANGER = "Zelda.Fitz@Example.net"


def web_chat_leaving(client, text: str, email: str) -> str:
    """A web chat (never verified) whose customer leaves `email`; its conversation id."""
    session = client.post("/chat/api/sessions").json()
    headers = {"X-Chat-Token": session["token"]}
    sent = client.post(
        "/chat/api/messages", json={"text": text, "client_id": "c1"}, headers=headers
    )
    assert sent.status_code == 200, sent.text
    left = client.post("/chat/api/followup-email", json={"email": email}, headers=headers)
    assert left.status_code == 200, left.text
    return str(session["conversation_id"])


def followup_of(database, conversation_id: str) -> str | None:
    with database.session() as db_session:
        conversation = db_session.get(Conversation, conversation_id)
        assert conversation is not None
        return conversation.followup_email


def test_a_customers_export_holds_the_chat_where_they_left_their_email(
    people, cli_env, capsys, hub_client
):
    henrietta = people.henrietta
    chat = web_chat_leaving(hub_client, "Any news on my parcel?", henrietta.email.upper())

    code, document, err = export(capsys, "--email", henrietta.email)

    assert code == 0, err
    by_id = {c["id"]: c for c in document["conversations"]}
    assert set(by_id) == {henrietta.conversation_id, chat}
    assert by_id[chat]["followup_email"] == henrietta.email.upper().split("@")[0] + "@example.org"
    assert by_id[chat]["followup_email_at"] is not None
    assert [m["text"] for m in by_id[chat]["messages"]][0] == "Any news on my parcel?"


def test_an_address_no_customer_has_finds_the_chat_that_left_it(
    people, cli_env, capsys, hub_client
):
    chat = web_chat_leaving(hub_client, "My blender arrived broken", LEFT_BY_STRANGER)

    code, document, err = export(capsys, "--email", "zelda.fitz@example.NET")

    assert code == 0, err
    assert document["customer"] is None
    [conversation] = document["conversations"]
    assert conversation["id"] == chat
    assert conversation["followup_email"] == "Zelda.Fitz@example.net"
    assert "henrietta" not in json.dumps(document).lower()


def test_erasure_removes_the_address_and_a_second_request_says_it_was_erased(
    people, cli_env, capsys, hub_client, database
):
    chat = web_chat_leaving(hub_client, "My blender arrived broken", LEFT_BY_STRANGER)
    assert where_found(dump(database), ["zelda.fitz"]) == {"zelda.fitz": ["conversations"]}

    code = run_cli([*ERASE, "--email", LEFT_BY_STRANGER])

    assert code == 0, capsys.readouterr().err
    assert where_found(dump(database), ["zelda.fitz", "blender"]) == {}
    with database.session() as db_session:
        assert db_session.get(Conversation, chat) is None  # renamed to a pseudonym
        [entry] = db_session.scalars(
            select(AuditEntry).where(AuditEntry.action == "privacy.erased")
        )
        assert entry.changes["counts"]["followup_emails"] == 1
        renamed = db_session.get(Conversation, entry.entity_id)
        assert renamed is not None and renamed.followup_email is None
        assert renamed.followup_email_at is not None  # when, not who: kept
    again = run_cli([*ERASE, "--email", LEFT_BY_STRANGER.lower()])  # the digest recognises it
    err = capsys.readouterr().err
    assert again == 0 and "was erased on" in err and "Nothing to change" in err


def test_erasing_a_customer_erases_the_address_they_left_in_another_chat(
    people, cli_env, capsys, hub_client, database
):
    henrietta = people.henrietta
    chat = web_chat_leaving(hub_client, "Any news on my parcel?", henrietta.email)
    assert followup_of(database, chat) == henrietta.email

    code = run_cli([*ERASE, "--email", henrietta.email])

    assert code == 0, capsys.readouterr().err
    assert where_found(dump(database), [henrietta.email.lower()]) == {}
    others = where_found(dump(database), ["zelda", *people.bob.needles])
    assert set(others) == set(people.bob.needles)  # nobody else lost anything


def test_an_address_two_chats_left_names_both_and_does_nothing(
    people, cli_env, capsys, hub_client, database
):
    first = web_chat_leaving(hub_client, "My blender arrived broken", LEFT_BY_STRANGER)
    second = web_chat_leaving(hub_client, "And the lid is missing", LEFT_BY_STRANGER)
    before = dump(database)

    code = run_cli([*ERASE, "--email", LEFT_BY_STRANGER])

    err = capsys.readouterr().err
    assert code == 1
    assert "2 chats left it for a reply by email; nothing was done" in err
    for chat in (first, second):
        assert f"web {chat.removeprefix('web-')}" in err  # what --external-id takes
    assert dump(database) == before
