"""Support agents, managers and admins who log in to the console, each in at most one team."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import String, event
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.orm.base import NEVER_SET, NO_VALUE

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
    # In every staff token; logout, deactivation, a new password or role bump it, and tokens
    # carrying an older value stop working at once.
    token_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def _end_sessions_on_change(target: StaffUser, value: Any, old: Any, _initiator: Any) -> None:
    """A new password, role or active flag ends the account's sessions, wherever it is set."""
    if old is NO_VALUE or old is NEVER_SET or value == old or target.token_version is None:
        return  # a new account, or nothing changed
    target.token_version += 1


for _attribute in (StaffUser.password_hash, StaffUser.role, StaffUser.active):
    event.listen(_attribute, "set", _end_sessions_on_change, active_history=True)
