"""What the console's assist endpoint answers."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class AnsweredMessage(BaseModel):
    id: int
    text: str


class SuggestionRead(BaseModel):
    text: str = Field(description="the reply with this conversation's values filled in")
    missing: list[str] = Field(description="placeholders left in the text for the agent to fill")
    source: Literal["policy", "past_reply"]
    label: str = Field(description="where it comes from, in words")
    score: float = Field(description="cosine similarity of the message with the example")
    example: str = Field(description="the past customer message or policy question it matched")


class SuggestionsRead(BaseModel):
    status: Literal["ready", "loading", "unavailable"] = Field(
        description="loading: the model is still loading, ask again in a few seconds"
    )
    message: AnsweredMessage | None = Field(description="the customer message being answered")
    suggestions: list[SuggestionRead]
