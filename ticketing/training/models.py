"""What the bot did not understand (inbox items) and what a manager said it meant (labels).

Both keep the conversation id as plain text, not a foreign key: erasure gives a conversation a
new id (`ticketing.privacy.pseudonyms`) and deletes these rows first, and the text stored here
is already masked (`ticketing.training.masking`).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ticketing.db import Base, utcnow
from ticketing.types import enum_column


class Reason(enum.StrEnum):
    """Why a message is in the inbox (one message can have several)."""

    FALLBACK = "fallback"  # the NLU was unsure (nlu_fallback)
    OUT_OF_SCOPE = "out_of_scope"  # the NLU said out of scope
    CLARIFICATION_REJECTED = "clarification_rejected"  # "Something else" to "Do you want to:"
    HANDOFF = "handoff"  # handed to a person right after the misunderstanding
    REASON_CORRECTED = "reason_corrected"  # an agent changed the conversation's contact reason


class Decision(enum.StrEnum):
    INTENT = "intent"  # an existing intent: a training example
    OUT_OF_SCOPE = "out_of_scope"  # a training example of the out-of-scope intent
    SKIP = "skip"  # nothing to learn (noise, half a sentence): leaves the inbox, never exported


class InboxItem(Base):
    __tablename__ = "training_inbox_items"
    __table_args__ = (UniqueConstraint("conversation_id", "text_digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(200), index=True)
    # sha256 of the masked, lower-cased text: a message reported twice is one item.
    text_digest: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    previous_bot_text: Mapped[str | None] = mapped_column(Text)
    previous_customer_text: Mapped[str | None] = mapped_column(Text)
    # The bot's best guesses, best first: [{"intent": ..., "confidence": ...}] (at most 3).
    guesses: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    # all-MiniLM-L6-v2 vector (float32 bytes), computed the first time the inbox is grouped.
    embedding: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    label: Mapped[TrainingLabel | None] = relationship(
        back_populates="item", cascade="all, delete-orphan", uselist=False
    )


class TrainingLabel(Base):
    """A manager's decision on one inbox item; undo deletes it (the audit log keeps both)."""

    __tablename__ = "training_labels"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("training_inbox_items.id", ondelete="CASCADE"), unique=True
    )
    conversation_id: Mapped[str] = mapped_column(String(200), index=True)
    decision: Mapped[Decision] = mapped_column(enum_column(Decision))
    intent: Mapped[str | None] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)  # the item's masked text, what the export writes
    # One bulk label (a cluster) shares a batch, so one undo takes it back whole.
    batch: Mapped[str] = mapped_column(String(40), index=True)
    labelled_by: Mapped[str] = mapped_column(String(100))
    labelled_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    item: Mapped[InboxItem] = relationship(back_populates="label")
