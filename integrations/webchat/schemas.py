"""What the widget sends and receives: the customer sees less of a conversation than staff do."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ticketing.conversations.bot_record import masked_email
from ticketing.conversations.followup_email import MAX_EMAIL_CHARS
from ticketing.conversations.models import CsatState, Owner
from ticketing.conversations.schemas import MAX_MESSAGE_CHARS, ConversationView, MessageView

MAX_COMMENT_CHARS = 2000


class ChatSession(BaseModel):
    """A new chat: the token is the only secret, the conversation id is derived from it."""

    conversation_id: str
    token: str


class ChatMessageIn(BaseModel):
    """A customer message; `payload` is a button's payload and `text` its title."""

    model_config = ConfigDict(extra="forbid")

    # Longer texts reach the hub, which refuses them with a message the widget can show; this
    # bound only stops absurd bodies before they are stored anywhere.
    text: str | None = Field(default=None, max_length=MAX_MESSAGE_CHARS * 4)
    payload: str | None = Field(default=None, max_length=200)
    client_id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$")


class ChatRatingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    score: int = Field(ge=1, le=5)
    comment: str | None = Field(default=None, max_length=MAX_COMMENT_CHARS)


class ChatFollowupEmailIn(BaseModel):
    """The email a customer leaves for a reply by email (the conversation is the token's)."""

    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=1, max_length=MAX_EMAIL_CHARS)


class ChatAvailability(BaseModel):
    """When a person can answer, for the widget's greeting (nothing about any customer)."""

    open: bool = Field(description="whether it is business hours now (holidays are closed)")
    agents_online: bool = Field(description="whether any agent is set to Online in the console")
    timezone: str = Field(description="the shop's timezone, in which the times below are given")
    zone_name: str = Field(description="the timezone in words: 'Berlin time'")
    reply_minutes: int | None = Field(
        description="the first-response target of a person, in business minutes"
    )
    reply_time: str = Field(
        description="'within 8 hours (business hours)', or when closed, when the team is back"
    )
    closes_at: datetime | None = Field(description="while open: when business hours end today")
    next_opening: datetime | None = Field(description="while closed: when the team is back")
    text: str = Field(description="the sentence the greeting shows, in the shop's timezone")


class ChatConversation(BaseModel):
    """The conversation as its customer may see it: no internal context, ids or priorities."""

    id: str
    owner: Owner
    csat_state: CsatState
    agent_name: str | None
    ticket_number: str | None
    updated_at: datetime = Field(description="lets the widget ignore a state older than its own")
    followup_email: str | None = Field(
        default=None, description="the email left for a reply by email, masked: a***@example.com"
    )

    @classmethod
    def of(cls, view: ConversationView) -> ChatConversation:
        return cls(
            id=view.id,
            owner=view.owner,
            csat_state=view.csat_state,
            agent_name=view.agent_name,
            ticket_number=view.ticket_number,
            updated_at=view.updated_at,
            followup_email=masked_email(view.followup_email) if view.followup_email else None,
        )

    @classmethod
    def from_event(cls, conversation: dict[str, Any]) -> ChatConversation:
        """From a broker `state` event (a ConversationView dumped as JSON)."""
        return cls.of(ConversationView.model_validate(conversation))


class ChatState(BaseModel):
    """The conversation (None before the first message) and messages."""

    conversation: ChatConversation | None
    messages: list[MessageView]
