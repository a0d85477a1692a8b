"""Giving an erased conversation a random identity.

A conversation's id is `<channel>-<external id>` and the external id names the person on
their channel (a Telegram chat id is their Telegram account). The conversation gets a random
external id instead, so the erased record links to nobody, and the person's next message on
that channel starts a new conversation rather than landing in the erased one.

The id is the primary key, so the row is copied under its new id, its messages and events are
moved to the copy and the old row is deleted (no database cascades an update of a key here).
"""

from __future__ import annotations

from sqlalchemy import inspect, update
from sqlalchemy.orm import Session

from ticketing.conversations.models import Conversation, ConversationEvent, Message
from ticketing.conversations.store import conversation_id_for
from ticketing.privacy.redaction import is_pseudonym, new_pseudonym


def pseudonymise(db_session: Session, conversation: Conversation) -> tuple[Conversation, str]:
    """The conversation under a random identity (the same one when it already has one), and
    its old id."""
    old_id = conversation.id
    if is_pseudonym(conversation.external_id):
        return conversation, old_id
    external_id = new_pseudonym()
    new_id = conversation_id_for(conversation.channel, external_id)
    columns = {
        attr.key: getattr(conversation, attr.key) for attr in inspect(Conversation).column_attrs
    }
    copy = Conversation(**{**columns, "id": new_id, "external_id": external_id})
    db_session.add(copy)
    db_session.flush()
    for model in (Message, ConversationEvent):
        db_session.execute(
            update(model).where(model.conversation_id == old_id).values(conversation_id=new_id),
            execution_options={"synchronize_session": "fetch"},
        )
    db_session.delete(conversation)
    db_session.flush()
    return copy, old_id
