"""The CRM outbox: one row per event, kept after delivery (or giving up) so nothing is lost."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ticketing.db import Base, utcnow


class CrmEvent(Base):
    """An event for the CRM. `next_attempt_at` is set while it waits to be sent and cleared
    once it is delivered (`delivered_at`) or given up on (`dead_at`, until `retry-dead`)."""

    __tablename__ = "crm_outbox"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(100), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(index=True)
    delivered_at: Mapped[datetime | None]
    dead_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)

    @property
    def state(self) -> str:
        """`delivered`, `dead` or `pending`."""
        if self.delivered_at is not None:
            return "delivered"
        return "dead" if self.dead_at is not None else "pending"
