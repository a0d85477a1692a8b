"""Every rollup table, with how to build its rows for a span of local days."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ticketing.conversations.models import Conversation
from ticketing.reports.rollup.conversation_days import conversation_days
from ticketing.reports.rollup.models import ConversationDay

Build = Callable[[Session, datetime, datetime, ZoneInfo], list[Any]]


@dataclass(frozen=True)
class Rollup:
    """`model` has a local `day` column; `build(db_session, start, end, zone)` gives its rows
    for the local days in [start, end); `moments` is the column whose oldest and newest values
    bound the days a full rebuild covers."""

    model: Any
    build: Build
    moments: Any


ROLLUPS: list[Rollup] = [
    Rollup(ConversationDay, conversation_days, Conversation.created_at),
]
