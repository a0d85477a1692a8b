"""A conversation the bot verified belongs to the customer: export finds it, erasure removes
it, even when nothing else (no ticket, no rating) ties it to them."""

from __future__ import annotations

import json

from tests.console import bot_story
from tests.privacy.helpers import dump, run_cli, where_found
from ticketing.conversations import store
from ticketing.conversations.models import Direction, Sender

SECRET_WORDS = "my neighbour Ms Kowalski took the parcel"
SELECTOR = ["--email", "jonas@example.org", "--actor", "dpo", "--reason", "GDPR request R-11"]


def verified_chat(client, database, clock) -> None:
    """Jonas writes to the bot, which verifies him; nothing else links the chat to him."""
    number = bot_story.start(database, clock.now)
    with database.session(write=True) as s:
        conversation = store.get_or_raise(s, bot_story.CONVERSATION_ID)
        store.add_message(
            s,
            conversation,
            direction=Direction.IN,
            sender=Sender.CUSTOMER,
            now=clock.now,
            text=SECRET_WORDS,
        )
    bot_story.verify(client, clock.now, number)


def test_export_finds_the_conversation_the_bot_verified(client, database, clock, cli_env, capsys):
    verified_chat(client, database, clock)

    code = run_cli(["privacy", "export", *SELECTOR])

    assert code == 0
    document = json.loads(capsys.readouterr().out)
    [conversation] = document["conversations"]
    assert conversation["id"] == bot_story.CONVERSATION_ID
    assert [m["text"] for m in conversation["messages"]] == [SECRET_WORDS]


def test_erasure_removes_the_conversation_the_bot_verified(
    client, database, clock, cli_env, capsys
):
    verified_chat(client, database, clock)

    code = run_cli(["privacy", "erase", *SELECTOR, "--yes"])

    assert code == 0, capsys.readouterr().err
    needles = ["jonas", "kowalski", bot_story.EXTERNAL_ID, "j***@example.org"]
    assert where_found(dump(database), needles) == {}
