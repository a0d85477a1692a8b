"""What the console's JSON API reads and writes."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field, field_validator
from pydantic_core import PydanticCustomError

from ticketing.agents.models import Presence
from ticketing.conversations.models import Owner
from ticketing.conversations.schemas import MAX_MESSAGE_CHARS, ConversationView, MessageView
from ticketing.staff.models import StaffRole

# -- agents and canned replies ---------------------------------------------------------------


class AgentRead(BaseModel):
    username: str
    display_name: str
    role: StaffRole
    team: str | None = Field(default=None, description="the agent's team, if any")
    presence: Presence
    capacity: int
    open_count: int = Field(description="conversations with a person assigned to this agent")


class PresenceUpdate(BaseModel):
    presence: Presence | None = None
    capacity: int | None = Field(default=None, ge=1, le=20)


CANNED_TITLE_CHARS = 100


class CannedReplyCreate(BaseModel):
    """A canned reply; the text may hold placeholders ({customer_name}, {order_number},
    {agent_name}, ...) that are filled in from the conversation on insert."""

    title: str = Field(max_length=CANNED_TITLE_CHARS + 50)  # the validator says it in words
    text: str = Field(max_length=MAX_MESSAGE_CHARS + 500)

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise PydanticCustomError("title_empty", "Give the reply a title.")
        if len(value) > CANNED_TITLE_CHARS:
            raise PydanticCustomError(
                "title_too_long",
                "The title is {length} characters long; at most {limit} fit.",
                {"length": len(value), "limit": CANNED_TITLE_CHARS},
            )
        return value

    @field_validator("text")
    @classmethod
    def _text(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise PydanticCustomError("text_empty", "Write the reply's text.")
        if len(value) > MAX_MESSAGE_CHARS:
            raise PydanticCustomError(
                "text_too_long",
                "The text is {length} characters long; a message holds at most {limit}.",
                {"length": len(value), "limit": MAX_MESSAGE_CHARS},
            )
        return value


class CannedReplyRead(BaseModel):
    id: int
    title: str
    text: str = Field(description="as written, placeholders and all")
    filled: str | None = Field(
        default=None,
        description="with `conversation_id`: the text with that conversation's values filled in",
    )
    missing: list[str] = Field(
        default_factory=list,
        description="placeholders left in `filled` (unknown, or no value in the conversation)",
    )


# -- conversations ---------------------------------------------------------------------------


class TextIn(BaseModel):
    """A reply to the customer or an internal note."""

    text: str = Field(min_length=1, max_length=MAX_MESSAGE_CHARS)


class AssignIn(BaseModel):
    username: str = Field(min_length=1, max_length=100)


class QueueItem(BaseModel):
    """A conversation handed to a person that nobody has claimed yet."""

    id: str
    channel: str
    who: str = Field(description="the verified customer's name, else the channel's identity")
    request: str | None = Field(description="what the customer asked the bot for")
    priority: str
    ticket_number: str | None
    waiting_since: datetime
    wait_seconds: int
    intent: str | None
    order_number: str | None
    reason: str | None
    last_customer_message: str | None


class QueueRead(BaseModel):
    server_time: datetime = Field(description="to tick wait times against the server's clock")
    items: list[QueueItem]


class ConversationSummary(BaseModel):
    id: str
    channel: str
    who: str = Field(description="the verified customer's name, else the channel's identity")
    owner: Owner
    agent_username: str | None
    agent_name: str | None
    ticket_number: str | None
    priority: str | None
    intent: str | None
    handed_off_at: datetime | None
    last_message_at: datetime | None


class NoteRead(BaseModel):
    """An internal note: agents see it, the customer never does."""

    id: int
    author: str
    text: str
    at: datetime


class EventRead(BaseModel):
    kind: str
    actor: str
    at: datetime
    data: dict[str, Any]


class CustomerRead(BaseModel):
    id: int
    name: str
    email: str = Field(description="masked for display: j***@example.org")
    tier: str


class TicketRead(BaseModel):
    number: str
    status: str
    priority: str
    category: str
    subject: str
    description: str
    history: list[EventRead] = Field(
        default_factory=list,
        description="the ticket's steps, oldest first: status changes, SLA warnings and "
        "breaches, priority raises, assignments, ...",
    )


class TicketStatusIn(BaseModel):
    """What an agent sets: open, pending_customer (pauses the SLA clock) or pending_internal."""

    status: str = Field(min_length=1, max_length=32)


class OrderLineRead(BaseModel):
    name: str
    quantity: int


class CreatedRead(BaseModel):
    """Something the bot created in the conversation: a return (RMA), a refund, a ticket."""

    kind: str
    number: str


class CollectedRead(BaseModel):
    """What the bot collected and did before the handoff."""

    intent: str | None
    request: str | None = Field(description="what the customer asked for (the bot's task)")
    reason: str | None
    order_number: str | None
    order_status: str | None
    order_items: list[OrderLineRead]
    customer: CustomerRead | None
    details: dict[str, Any] = Field(description="what the bot collected for the request")
    created: list[CreatedRead]
    slots: dict[str, Any]


class ConversationRating(BaseModel):
    """The satisfaction score the customer gave after the conversation (1-5), and why."""

    score: int
    comment: str | None
    created_at: datetime
    updated_at: datetime | None = None


class ConversationDetail(BaseModel):
    conversation: ConversationView
    who: str = Field(description="the verified customer's name, else the channel's identity")
    messages: list[MessageView]
    collected: CollectedRead
    ticket: TicketRead | None
    notes: list[NoteRead]
    events: list[EventRead]
    rating: ConversationRating | None = Field(
        default=None, description="the customer's rating of this conversation, if they gave one"
    )


# -- customer history ------------------------------------------------------------------------


class HistoryCustomer(BaseModel):
    id: int
    name: str
    email: str
    tier: str


class HistoryOrder(BaseModel):
    number: str
    status: str
    placed_at: datetime
    total: Decimal
    currency: str


class HistoryConversation(BaseModel):
    id: str
    channel: str
    owner: Owner
    created_at: datetime
    resolved_at: datetime | None
    rating: int | None = Field(default=None, description="the customer's score (1-5), if any")
    rating_comment: str | None = None


class HistoryTicket(BaseModel):
    number: str
    category: str
    priority: str
    status: str
    created_at: datetime


class HistoryRating(BaseModel):
    score: int
    comment: str | None
    created_at: datetime
    agent: str | None = Field(description="the rated agent's display name, when known")


class CustomerHistory(BaseModel):
    """One customer's recent orders, conversations, tickets and ratings, newest first."""

    customer: HistoryCustomer
    orders: list[HistoryOrder]
    conversations: list[HistoryConversation]
    tickets: list[HistoryTicket]
    ratings: list[HistoryRating]
