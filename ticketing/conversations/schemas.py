"""What the hub says about messages and conversations to channels, consoles and the API."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ticketing.conversations.models import Conversation, CsatState, Message, Owner

MAX_MESSAGE_CHARS = 4000
MAX_SENDER_CHARS = 128
SENDER_PATTERN = re.compile(rf"[A-Za-z0-9_.:@-]{{1,{MAX_SENDER_CHARS}}}")


class Button(BaseModel):
    title: str
    payload: str


class MessageView(BaseModel):
    """A message as every channel and console sees it (`payload` keys spread out)."""

    id: int
    conversation_id: str
    direction: str
    sender: str = Field(description="customer, bot, agent or system")
    sender_name: str | None
    text: str | None
    buttons: list[Button] = Field(default_factory=list)
    image: str | None = None
    custom: dict[str, Any] | None = None
    attachments: list[dict[str, Any]] = Field(default_factory=list)
    client_message_id: str | None = Field(default=None, description="the channel's own id")
    created_at: datetime

    @classmethod
    def of(cls, message: Message) -> MessageView:
        payload = message.payload or {}
        return cls(
            id=message.id,
            conversation_id=message.conversation_id,
            direction=message.direction.value,
            sender=message.sender.value,
            sender_name=message.sender_name,
            text=message.text,
            buttons=[Button(**b) for b in payload.get("buttons", [])],
            image=payload.get("image"),
            custom=payload.get("custom"),
            attachments=payload.get("attachments", []),
            client_message_id=message.client_message_id,
            created_at=message.created_at,
        )

    def to_event(self) -> dict[str, Any]:
        return {"type": "message", "message": self.model_dump(mode="json")}


class ConversationView(BaseModel):
    id: str
    channel: str
    external_id: str
    owner: Owner
    csat_state: CsatState
    agent_name: str | None
    agent_username: str | None
    ticket_number: str | None
    priority: str | None
    customer_id: int | None
    context: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    handed_off_at: datetime | None
    first_human_reply_at: datetime | None
    resolved_at: datetime | None
    last_message_at: datetime | None
    nps_asked_at: datetime | None = Field(
        default=None, description="set while the NPS question waits for its answer"
    )
    followup_email: str | None = Field(
        default=None, description="where the customer asked for a reply by email (staff only)"
    )
    followup_email_at: datetime | None = None

    @classmethod
    def of(cls, conversation: Conversation) -> ConversationView:
        agent = conversation.assignee
        ticket = conversation.ticket
        return cls(
            id=conversation.id,
            channel=conversation.channel,
            external_id=conversation.external_id,
            owner=conversation.owner,
            csat_state=conversation.csat_state,
            agent_name=agent.display_name if agent else None,
            agent_username=agent.username if agent else None,
            ticket_number=ticket.number if ticket else None,
            priority=ticket.priority.value if ticket else None,
            customer_id=conversation.customer_id,
            context=conversation.context or {},
            created_at=conversation.created_at,
            updated_at=conversation.updated_at,
            handed_off_at=conversation.handed_off_at,
            first_human_reply_at=conversation.first_human_reply_at,
            resolved_at=conversation.resolved_at,
            last_message_at=conversation.last_message_at,
            nps_asked_at=conversation.nps_asked_at,
            followup_email=conversation.followup_email,
            followup_email_at=conversation.followup_email_at,
        )

    def to_event(self) -> dict[str, Any]:
        return {"type": "state", "conversation": self.model_dump(mode="json")}


class Delivery(BaseModel):
    """The answer to one inbound message: the conversation after it and the replies to send."""

    conversation: ConversationView
    replies: list[MessageView]
    incoming: MessageView | None = Field(default=None, description="the stored customer message")
    duplicate: bool = Field(default=False, description="a retry of a message already handled")


class RestMessageIn(BaseModel):
    """Rasa's REST channel contract, which the hub also speaks."""

    model_config = ConfigDict(extra="ignore")

    sender: str = Field(
        description="a conversation token from POST /webhooks/rest/conversations, or (with "
        "X-Channel-Key) the integration's own id for the customer"
    )
    message: str = Field(max_length=MAX_MESSAGE_CHARS)
    metadata: dict[str, Any] | None = None

    @field_validator("sender")
    @classmethod
    def _plain_sender(cls, sender: str) -> str:
        """No line breaks, slashes or spaces: a sender ends up in ids, URLs and logs."""
        if not SENDER_PATTERN.fullmatch(sender):
            raise ValueError(
                f"sender must be 1-{MAX_SENDER_CHARS} characters, only letters, digits and "
                f"_ . : @ - (no spaces, slashes or line breaks)"
            )
        return sender


class RestConversationRead(BaseModel):
    """A new REST conversation: send `token` as `sender`; it is the conversation's only key."""

    token: str
    conversation_id: str = Field(description="for GET /api/conversations/{id}/messages")
