"""Suggestions for a conversation: the customer message being answered, and the suggestions
for it with the conversation's names and numbers filled in."""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ticketing.assist.assistant import Assistant
from ticketing.assist.schemas import AnsweredMessage, SuggestionRead, SuggestionsRead
from ticketing.assist.suggest import Suggestion
from ticketing.console import placeholders
from ticketing.conversations import store
from ticketing.conversations.models import Message, Sender
from ticketing.errors import NotFoundError


def answered_message(
    db_session: Session, conversation_id: str, message_id: int | None = None
) -> Message | None:
    """The customer message the agent is answering: `message_id`, else the newest one with text."""
    query = select(Message).where(
        Message.conversation_id == conversation_id, Message.sender == Sender.CUSTOMER
    )
    if message_id is not None:
        found = db_session.scalar(query.where(Message.id == message_id))
        if found is None:
            raise NotFoundError(
                f"There is no customer message {message_id} in this conversation.",
                code="message_not_found",
            )
        return found
    query = query.where(Message.text.is_not(None), Message.text != "")
    return db_session.scalar(query.order_by(Message.id.desc()).limit(1))


def _status(assistant: Assistant) -> Literal["ready", "loading", "unavailable"]:
    status = assistant.status
    return "loading" if status == "idle" else status


def _label(suggestion: Suggestion) -> str:
    if suggestion.source == "policy":
        return f"Policy: {(suggestion.topic or 'answer').replace('_', ' ')}"
    times = "once" if suggestion.uses == 1 else f"{suggestion.uses}×"
    return f"Past reply ({times})"


def for_conversation(
    db_session: Session,
    assistant: Assistant,
    *,
    conversation_id: str,
    policy: dict[str, Any],
    agent_name: str,
    message_id: int | None = None,
) -> SuggestionsRead:
    conversation = store.get_or_raise(db_session, conversation_id)
    message = answered_message(db_session, conversation_id, message_id)
    answered = AnsweredMessage(id=message.id, text=message.text or "") if message else None
    if answered is None or not answered.text.strip():
        assistant.start()  # warm up for the next message
        return SuggestionsRead(status=_status(assistant), message=answered, suggestions=[])
    found = assistant.suggest(answered.text, policy)
    if found is None:
        return SuggestionsRead(status=_status(assistant), message=answered, suggestions=[])
    values = placeholders.values_for(conversation, agent_name=agent_name)
    suggestions = []
    for suggestion in found:
        filled = placeholders.fill(suggestion.text, values)
        suggestions.append(
            SuggestionRead(
                text=filled.text,
                missing=filled.missing,
                source=suggestion.source,
                label=_label(suggestion),
                score=round(suggestion.score, 3),
                example=suggestion.example,
            )
        )
    return SuggestionsRead(status="ready", message=answered, suggestions=suggestions)
