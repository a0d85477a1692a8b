"""The real assistant starting: a message sent through the hub while Rasa is still loading its
model gets the bot's answer once the model is loaded, not a handoff to a person."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from tests.dialogue import servers
from tests.dialogue.conftest import Stack
from tests.hub.helpers import rest_id
from ticketing.conversations.models import Conversation, ConversationEvent


def test_a_message_sent_while_rasa_loads_gets_the_bots_answer(stack: Stack) -> None:
    early = stack.early
    assert not early.rasa_listening, "Rasa was already up: the message did not test the wait"
    assert early.error is None, f"{early.error!r}\n{stack.backend.tail(30)}"
    text = " ".join(str(reply.get("text", "")) for reply in early.replies).lower()
    assert "assistant" in text and "colleague" not in text, f"{early.replies}"
    with stack.database.session() as session:
        conversation = session.get(Conversation, rest_id("early-bird"))
        assert conversation is not None and conversation.owner.value == "bot"
        kinds = session.scalars(
            select(ConversationEvent.kind).where(
                ConversationEvent.conversation_id == rest_id("early-bird")
            )
        ).all()
    assert "bot_handoff" not in [str(getattr(kind, "value", kind)) for kind in kinds]


def test_rasas_http_api_needs_its_token(stack: Stack) -> None:
    """Rasa's tracker API holds customers' emails and verification tokens (issue 15)."""
    url = f"{stack.rasa.url}/conversations/{rest_id('early-bird')}/tracker"
    assert httpx.get(url, timeout=30).status_code == 401
    assert httpx.get(url, params={"token": "wrong"}, timeout=30).status_code == 401
    answer = httpx.get(url, params={"token": servers.RASA_TOKEN}, timeout=30)
    assert answer.status_code == 200 and answer.json()["events"], answer.text
