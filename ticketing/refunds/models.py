"""Refunds: money going back to a customer, at most once per request."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ticketing.db import Base, utcnow
from ticketing.orders.models import Order
from ticketing.returns.models import Return
from ticketing.types import Money, enum_column


class RefundStatus(enum.StrEnum):
    PENDING = "pending"
    PROCESSED = "processed"
    FAILED = "failed"


class RefundMethod(enum.StrEnum):
    ORIGINAL_PAYMENT = "original_payment"
    STORE_CREDIT = "store_credit"
    BANK_TRANSFER = "bank_transfer"


class Refund(Base):
    __tablename__ = "refunds"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    return_id: Mapped[int | None] = mapped_column(ForeignKey("returns.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    method: Mapped[RefundMethod] = mapped_column(enum_column(RefundMethod))
    status: Mapped[RefundStatus] = mapped_column(enum_column(RefundStatus), index=True)
    reason: Mapped[str] = mapped_column(String(500))
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    requires_approval: Mapped[bool] = mapped_column(default=False)
    approved_by: Mapped[str | None] = mapped_column(String(200))
    failure_reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[datetime | None]

    order: Mapped[Order] = relationship()
    return_: Mapped[Return | None] = relationship()
