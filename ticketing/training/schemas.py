"""What the action server reports and what the Training page reads and sends."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from ticketing.training.models import Decision, Reason

MAX_TEXT = 4000
MAX_BATCH = 500


class Guess(BaseModel):
    intent: str = Field(min_length=1, max_length=100)
    confidence: float = Field(ge=0, le=1)


class RecognisedValue(BaseModel):
    """An entity the NLU found in the message (`entity`: order_number, email, phone...)."""

    entity: str = Field(min_length=1, max_length=100)
    value: str = Field(max_length=500)


class MisunderstandingIn(BaseModel):
    """A customer message the bot did not understand, as the action server saw it (the text is
    masked before it is stored)."""

    model_config = ConfigDict(extra="forbid")

    conversation_id: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    reason: Reason
    guesses: list[Guess] = Field(default_factory=list, max_length=20)
    previous_bot_text: str | None = Field(default=None, max_length=MAX_TEXT)
    previous_customer_text: str | None = Field(default=None, max_length=MAX_TEXT)
    entities: list[RecognisedValue] = Field(default_factory=list, max_length=50)


class MisunderstandingRead(BaseModel):
    id: int
    created: bool
    reasons: list[str]


class LabelRead(BaseModel):
    decision: Decision
    intent: str | None
    batch: str
    labelled_by: str
    labelled_at: datetime


class InboxItemRead(BaseModel):
    id: int
    conversation_id: str
    text: str
    previous_bot_text: str | None
    previous_customer_text: str | None
    guesses: list[Guess]
    reasons: list[str]
    contact_reason: str | None = Field(
        description="the contact reason a person gave the conversation (agent or ticket)"
    )
    created_at: datetime
    label: LabelRead | None


class ClusterRead(BaseModel):
    id: int = Field(description="the id of the cluster's first item (stable while it waits)")
    size: int
    items: list[InboxItemRead]
    top_guess: str | None = Field(description="the intent most of its items were guessed as")


class InboxRead(BaseModel):
    pending: int
    clusters: list[ClusterRead]
    intents: list[str]
    out_of_scope_intent: str
    grouping: str = Field(description="how the items were grouped: minilm or none")


class LabelIn(BaseModel):
    """Label items: a cluster (its item ids as shown) or one message."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    item_ids: list[int] = Field(min_length=1, max_length=MAX_BATCH)
    decision: Decision
    intent: str | None = Field(default=None, max_length=100)


class LabelledRead(BaseModel):
    batch: str
    labelled: int
    decision: Decision
    intent: str | None


class UndoIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    batch: str = Field(min_length=1, max_length=40)


class UndoRead(BaseModel):
    batch: str
    undone: int


class RecentLabelRead(BaseModel):
    batch: str
    decision: Decision
    intent: str | None
    count: int
    labelled_by: str
    labelled_at: datetime
    examples: list[str]
