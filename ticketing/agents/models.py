"""What the console needs about agents: online or away, how many conversations they take,
and the canned replies they share."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ticketing.db import Base, utcnow
from ticketing.staff.models import StaffUser
from ticketing.types import enum_column

DEFAULT_CAPACITY = 3


class Presence(enum.StrEnum):
    ONLINE = "online"
    AWAY = "away"


class AgentState(Base):
    __tablename__ = "agent_states"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), primary_key=True)
    presence: Mapped[Presence] = mapped_column(enum_column(Presence), default=Presence.AWAY)
    capacity: Mapped[int] = mapped_column(default=DEFAULT_CAPACITY)
    # The last Online/Away choice: logging in brings this back (None: the role's default).
    online_on_login: Mapped[bool | None]
    last_assigned_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    staff: Mapped[StaffUser] = relationship()


class CannedReply(Base):
    __tablename__ = "canned_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100), unique=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
