"""Support agents, managers and admins who log in to the console, each in at most one team."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ticketing.db import Base, utcnow
from ticketing.types import enum_column


class StaffRole(enum.StrEnum):
    AGENT = "agent"
    MANAGER = "manager"
    ADMIN = "admin"


class StaffUser(Base):
    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True, index=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[StaffRole] = mapped_column(enum_column(StaffRole))
    active: Mapped[bool] = mapped_column(default=True)
    # A short name ("returns", "logistics") that groups people in reports and the console.
    team: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
