"""What the API takes and says about tickets and handoffs."""

from __future__ import annotations

import enum
import json
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from ticketing.tickets.models import TicketCategory, TicketPriority, TicketSource, TicketStatus
from ticketing.tickets.priority import Severity

MAX_CONTEXT_BYTES = 48 * 1024
MAX_SLOTS_BYTES = 32 * 1024
MAX_JSON_DEPTH = 8


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Whether dicts and lists nest deeper than `limit` (iterative: no recursion to exhaust)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = list(node.values())
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def bounded_json(max_bytes: int, max_depth: int = MAX_JSON_DEPTH) -> AfterValidator:
    """A validator refusing a JSON value larger than `max_bytes` or nested deeper than
    `max_depth`, so free-form context can't crowd out the rest of the database row."""

    def check(value: dict[str, Any]) -> dict[str, Any]:
        if _depth_exceeds(value, max_depth):
            raise ValueError(f"nests deeper than {max_depth} levels")
        size = len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())
        if size > max_bytes:
            raise ValueError(f"is {size} bytes as JSON; at most {max_bytes} are accepted")
        return value

    return AfterValidator(check)


BoundedContext = Annotated[dict[str, Any], bounded_json(MAX_CONTEXT_BYTES)]
BoundedSlots = Annotated[dict[str, Any], bounded_json(MAX_SLOTS_BYTES)]


class TicketCreate(BaseModel):
    """A ticket the bot (or an agent) opens; `order_number` needs the customer's token."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    category: TicketCategory
    severity: Severity = Severity.MEDIUM
    subject: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1, max_length=5000)
    order_number: str | None = Field(default=None, max_length=64)
    conversation_id: str | None = Field(default=None, min_length=1, max_length=200)
    channel: str | None = Field(default=None, max_length=50)
    context: BoundedContext = Field(
        default_factory=dict, description="What the bot collected: intent, slots, messages"
    )
    told_customer: str | None = Field(
        default=None,
        max_length=2000,
        description="What the bot already told the customer about the problem (its promise); "
        "kept in the `created` step with the reply the ticket's answer gives",
    )


class TicketEventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime
    actor: str
    kind: str
    data: dict[str, Any]


class TicketRead(BaseModel):
    number: str
    category: TicketCategory
    priority: TicketPriority
    status: TicketStatus
    source: TicketSource
    subject: str
    description: str
    order_number: str | None
    conversation_id: str | None
    channel: str | None
    context: dict[str, Any]
    assignee: str | None = Field(description="username of the agent, when assigned")
    created_at: datetime
    updated_at: datetime
    first_response_minutes: int | None = Field(description="SLA target for this priority")
    message: str = Field(description="Where the ticket stands, in a sentence for the customer")
    events: list[TicketEventRead]


class HandoffReason(enum.StrEnum):
    REQUESTED = "requested"
    FALLBACK = "fallback"
    ANGRY = "angry"
    BACKEND_DOWN = "backend_down"
    OTHER = "other"


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sender: Literal["customer", "bot", "agent", "system"]
    text: str = Field(max_length=10_000)


class HandoffSummary(BaseModel):
    """What the bot knows so far: the agent reads this instead of asking again."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    intent: str | None = Field(default=None, max_length=100)
    order_number: str | None = Field(default=None, max_length=64)
    slots: BoundedSlots = Field(default_factory=dict)
    last_messages: list[ChatMessage] = Field(default_factory=list, max_length=50)


class HandoffCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    conversation_id: str = Field(min_length=1, max_length=200)
    channel: str | None = Field(default=None, max_length=50)
    reason: HandoffReason = HandoffReason.REQUESTED
    summary: HandoffSummary = Field(default_factory=HandoffSummary)


class HandoffRead(BaseModel):
    number: str
    priority: TicketPriority
    status: TicketStatus
    reason: HandoffReason
    created: bool = Field(description="false: the conversation's open handoff ticket is reused")
    order_linked: bool = Field(description="the summary's order was verified and attached")
    expected_wait_minutes: int | None = Field(description="SLA first-response target")
    message: str = Field(description="What happens next, for the customer")
