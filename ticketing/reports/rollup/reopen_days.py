"""`report_reopen_days`: the resolutions of each local day, for the reopened rate.

The live definition counts, per bucket, each conversation once at its first resolution in the
bucket that passes the filters, and asks whether it was reopened after that resolution by the
end of the range. A row keeps, for resolutions of a day, the local day of the conversation's
previous resolution (by anyone, by the same person, by someone of the same team) and of the
first reopening after it: a resolution is the first in its bucket under a filter when that
filter's previous resolution falls before the bucket. Teams are read when the row is built, so
a change of someone's team rebuilds every day (see marks.py).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Index, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from ticketing.conversations.models import Conversation, ConversationEvent
from ticketing.db import Base
from ticketing.staff.models import StaffUser
from ticketing.tickets.models import Ticket, TicketCategory
from ticketing.types import enum_column

RESOLUTIONS = ("resolved", "bot_resolved")
CHUNK = 500  # conversation ids per IN (...)


class ReopenDay(Base):
    __tablename__ = "report_reopen_days"
    __table_args__ = (Index("ix_report_reopen_days_day_channel", "day", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True)
    channel: Mapped[str] = mapped_column(String(50))
    category: Mapped[TicketCategory | None] = mapped_column(enum_column(TicketCategory))
    staff_id: Mapped[int | None]
    previous_day: Mapped[date | None]  # the conversation's previous resolution, by anyone
    previous_own_day: Mapped[date | None]  # ... by the same person
    previous_team_day: Mapped[date | None]  # ... by someone in the same team
    reopened_day: Mapped[date | None]  # the first reopening after this resolution
    resolutions: Mapped[int]


@dataclass(frozen=True)
class _Event:
    conversation_id: str
    kind: str
    staff_id: int | None
    at: datetime


def _chunks(ids: list[str]) -> Iterator[list[str]]:
    for index in range(0, len(ids), CHUNK):
        yield ids[index : index + CHUNK]


def _history(db_session: Session, ids: Iterable[str]) -> dict[str, list[_Event]]:
    """Every resolution and reopening of these conversations, in order."""
    history: dict[str, list[_Event]] = defaultdict(list)
    kinds = (*RESOLUTIONS, "reopened")
    for chunk in _chunks(sorted(ids)):
        query = select(
            ConversationEvent.conversation_id,
            ConversationEvent.kind,
            ConversationEvent.staff_id,
            ConversationEvent.at,
        ).where(ConversationEvent.conversation_id.in_(chunk), ConversationEvent.kind.in_(kinds))
        for row in db_session.execute(query):
            history[row[0]].append(_Event(*row))
    for events in history.values():
        events.sort(key=lambda item: (item.at, item.kind != "reopened"))
    return history


def _latest(days: Iterable[date | None]) -> date | None:
    found = [day for day in days if day is not None]
    return max(found) if found else None


def reopen_days(
    db_session: Session, start: datetime, end: datetime, zone: ZoneInfo
) -> list[ReopenDay]:
    """Rows for the resolutions made in [start, end)."""
    in_window = (
        select(Conversation.id, Conversation.channel, Ticket.category)
        .join(ConversationEvent, ConversationEvent.conversation_id == Conversation.id)
        .outerjoin(Ticket, Ticket.id == Conversation.ticket_id)
        .where(
            ConversationEvent.kind.in_(RESOLUTIONS),
            ConversationEvent.at >= start,
            ConversationEvent.at < end,
        )
        .distinct()
    )
    conversations = {row[0]: (row[1], row[2]) for row in db_session.execute(in_window)}
    teams = dict(db_session.execute(select(StaffUser.id, StaffUser.team)).tuples().all())
    counts: Counter[tuple[Any, ...]] = Counter()
    for conversation_id, events in _history(db_session, conversations).items():
        channel, category = conversations[conversation_id]
        earlier: list[_Event] = []
        for index, item in enumerate(events):
            if item.kind == "reopened":
                continue
            if start <= item.at < end:
                team = teams.get(item.staff_id) if item.staff_id is not None else None
                reopening = next(
                    (later for later in events[index + 1 :] if later.kind == "reopened"), None
                )
                local = [(e, e.at.astimezone(zone).date()) for e in earlier]
                key = (
                    item.at.astimezone(zone).date(),
                    channel,
                    category,
                    item.staff_id,
                    _latest(day for _, day in local),
                    _latest(day for e, day in local if e.staff_id == item.staff_id),
                    _latest(
                        day
                        for e, day in local
                        if team is not None
                        and e.staff_id is not None
                        and teams.get(e.staff_id) == team
                    ),
                    reopening.at.astimezone(zone).date() if reopening else None,
                )
                counts[key] += 1
            earlier.append(item)
    return [
        ReopenDay(
            day=day,
            channel=channel,
            category=category,
            staff_id=staff_id,
            previous_day=previous,
            previous_own_day=own,
            previous_team_day=team_day,
            reopened_day=reopened,
            resolutions=n,
        )
        for (
            day,
            channel,
            category,
            staff_id,
            previous,
            own,
            team_day,
            reopened,
        ), n in counts.items()
    ]
