"""A shop's customer."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ticketing.db import Base, utcnow
from ticketing.types import enum_column


class CustomerTier(enum.StrEnum):
    STANDARD = "standard"
    SILVER = "silver"
    GOLD = "gold"
    VIP = "vip"


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), unique=True, index=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    phone_digits: Mapped[str | None] = mapped_column(String(32), index=True)
    tier: Mapped[CustomerTier] = mapped_column(
        enum_column(CustomerTier), default=CustomerTier.STANDARD
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
