"""What the API takes and says about satisfaction ratings."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from ticketing.tickets.models import TicketCategory


class RatingCreate(BaseModel):
    """A 1-5 rating of a conversation; a second one within the change window replaces it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    conversation_id: str = Field(min_length=1, max_length=200)
    score: int = Field(ge=1, le=5, strict=True)
    comment: str | None = Field(default=None, max_length=2000)
    channel: str | None = Field(default=None, max_length=50)
    ticket_number: str | None = Field(default=None, max_length=32)


class RatingRead(BaseModel):
    conversation_id: str
    score: int
    comment: str | None
    channel: str | None
    ticket_number: str | None
    category: TicketCategory | None
    agent: str | None = Field(description="username of the ticket's agent, when assigned")
    created_at: datetime
    updated_at: datetime
    changeable_until: datetime = Field(description="a new rating replaces this one until then")


class RatingSaved(RatingRead):
    updated: bool = Field(description="true: an earlier rating of the conversation was replaced")
