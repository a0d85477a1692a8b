"""Net Promoter Score (NPS): answers to the 0-10 "how likely to recommend" question."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ticketing.db import Base, utcnow
from ticketing.staff.models import StaffUser

PROMOTER_MIN = 9  # 9-10 promote, 7-8 are passive
DETRACTOR_MAX = 6  # 0-6 detract


class NpsAnswer(Base):
    """One answer to one asking. The question is asked once per resolution at most, so
    (conversation, asked_at) names the asking: a second submit of the same answer stores nothing.

    The customer is `customer_id` when the conversation is linked to a customer record, else
    the channel identity (`channel` + `external_id`), which is what the cooldown goes by."""

    __tablename__ = "nps_answers"
    __table_args__ = (
        CheckConstraint("score >= 0 AND score <= 10", name="score_range"),
        UniqueConstraint("conversation_id", "asked_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(200), index=True)
    score: Mapped[int]
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    channel: Mapped[str] = mapped_column(String(50))
    external_id: Mapped[str] = mapped_column(String(200))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    asked_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    agent: Mapped[StaffUser | None] = relationship()

    @property
    def group(self) -> str:
        """`promoter` (9-10), `passive` (7-8) or `detractor` (0-6)."""
        if self.score >= PROMOTER_MIN:
            return "promoter"
        return "detractor" if self.score <= DETRACTOR_MAX else "passive"
