"""The real assistant starting: a message sent through the hub while Rasa is still loading its
model gets the bot's answer once the model is loaded, not a handoff to a person."""

from __future__ import annotations

from sqlalchemy import select

from tests.dialogue.conftest import Stack
from ticketing.conversations.models import Conversation, ConversationEvent


def test_a_message_sent_while_rasa_loads_gets_the_bots_answer(stack: Stack) -> None:
    early = stack.early
    assert not early.rasa_listening, "Rasa was already up: the message did not test the wait"
    assert early.error is None, f"{early.error!r}\n{stack.backend.tail(30)}"
    text = " ".join(str(reply.get("text", "")) for reply in early.replies).lower()
    assert "assistant" in text and "colleague" not in text, f"{early.replies}"
    with stack.database.session() as session:
        conversation = session.get(Conversation, "rest-early-bird")
        assert conversation is not None and conversation.owner.value == "bot"
        kinds = session.scalars(
            select(ConversationEvent.kind).where(
                ConversationEvent.conversation_id == "rest-early-bird"
            )
        ).all()
    assert "bot_handoff" not in [str(getattr(kind, "value", kind)) for kind in kinds]
