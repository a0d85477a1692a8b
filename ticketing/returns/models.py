"""Returns (RMAs) and the order items they send back."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ticketing.db import Base, utcnow
from ticketing.orders.models import Order, OrderItem
from ticketing.types import enum_column


class ReturnStatus(enum.StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    RECEIVED = "received"
    REFUNDED = "refunded"


class ReturnResolution(enum.StrEnum):
    REFUND = "refund"
    EXCHANGE = "exchange"
    STORE_CREDIT = "store_credit"


class ReturnReason(enum.StrEnum):
    DAMAGED = "damaged"
    WRONG_ITEM = "wrong_item"
    NOT_AS_DESCRIBED = "not_as_described"
    DOES_NOT_FIT = "does_not_fit"
    CHANGED_MIND = "changed_mind"
    LATE_DELIVERY = "late_delivery"
    OTHER = "other"


class ItemCondition(enum.StrEnum):
    UNOPENED = "unopened"
    LIKE_NEW = "like_new"
    USED = "used"
    DAMAGED = "damaged"


class Return(Base):
    __tablename__ = "returns"

    id: Mapped[int] = mapped_column(primary_key=True)
    rma_number: Mapped[str] = mapped_column(String(32), unique=True, index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    status: Mapped[ReturnStatus] = mapped_column(enum_column(ReturnStatus), index=True)
    resolution: Mapped[ReturnResolution] = mapped_column(enum_column(ReturnResolution))
    reason: Mapped[ReturnReason] = mapped_column(enum_column(ReturnReason))
    condition: Mapped[ItemCondition] = mapped_column(enum_column(ItemCondition))
    customer_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    received_at: Mapped[datetime | None]

    order: Mapped[Order] = relationship()
    items: Mapped[list[ReturnItem]] = relationship(
        back_populates="return_", order_by="ReturnItem.id", cascade="all, delete-orphan"
    )


class ReturnItem(Base):
    __tablename__ = "return_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("returns.id"), index=True)
    order_item_id: Mapped[int] = mapped_column(ForeignKey("order_items.id"), index=True)
    quantity: Mapped[int]

    return_: Mapped[Return] = relationship(back_populates="items")
    order_item: Mapped[OrderItem] = relationship()
