"""`seed_history`: ~90 days of conversations on the seeded demo shop, so the reports and the
agent console have something to show: bot-resolved and handed-off conversations, tickets with
SLA steps, ratings, NPS answers, reopenings, and a queue and open conversations at the end.

Conversations about an order name an order the customer had placed by then; verified ones
belong to that customer; agents and team leads are the seeded staff. The same `rng_seed` and
`now` give the same rows. The rows go in with multi-row INSERTs (the report days they touch
are marked for the next refresh of the rollups, as the ORM's flushes would).
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from ticketing.conversations.models import Conversation, ConversationEvent, Message
from ticketing.db import Base
from ticketing.feedback.models import CsatRating
from ticketing.feedback.nps_models import NpsAnswer
from ticketing.policy.schemas import Policy
from ticketing.reports.rollup.models import RollupMark
from ticketing.seed.history.calendar import Calendar
from ticketing.seed.history.inputs import read_customers, read_orders, read_staff
from ticketing.seed.history.rows import JSON_COLUMNS, Rows, Table
from ticketing.seed.history.simulate import Simulator
from ticketing.tickets.models import Ticket, TicketEvent

Progress = Callable[[str, int, int], None]
BATCH = 500  # conversations per round of INSERTs
DEMO_GROWTH = 1.3  # a shop growing steadily: the last day has 1.3x the first day's volume
TICKET_BASE = 100_000  # demo tickets are T-100001, T-100002, ... (the live ones are random)
ID_TABLES: dict[str, type[Base]] = {
    "tickets": Ticket,
    "ticket_events": TicketEvent,
    "messages": Message,
    "conversation_events": ConversationEvent,
    "csat_ratings": CsatRating,
    "nps_answers": NpsAnswer,
}
# Referenced tables first: a conversation points at its ticket, a rating at both.
INSERT_ORDER = (
    "tickets",
    "ticket_events",
    "conversations",
    "messages",
    "conversation_events",
    "csat_ratings",
    "nps_answers",
)


@dataclass
class HistorySummary:
    """What `seed_history` created."""

    first_day: date | None = None
    last_day: date | None = None
    rows: dict[str, int] = field(default_factory=dict)
    queued: int = 0  # waiting for a person at the end, nobody assigned yet
    with_agents: int = 0  # assigned to an agent, not resolved yet
    seconds: float = 0.0

    @property
    def conversations(self) -> int:
        return self.rows.get("conversations", 0)


def _stamp(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def _quiet(_phase: str, _done: int, _total: int) -> None:
    return None


def _first_ids(db_session: Session) -> dict[str, int]:
    found: dict[str, int] = {}
    for name, model in ID_TABLES.items():
        column = model.__table__.c.id
        found[name] = (db_session.scalar(select(func.max(column))) or 0) + 1
    return found


def _insert(db_session: Session, tables: list[Table], written: dict[str, int]) -> int:
    by_name = {name: (columns, rows) for name, columns, rows in tables}
    events = 0
    for name in INSERT_ORDER:
        if name not in by_name or not by_name[name][1]:
            continue
        columns, rows = by_name[name]
        parse = [column in JSON_COLUMNS for column in columns]
        values: list[dict[str, Any]] = [
            {
                column: json.loads(str(value)) if is_json else value
                for column, value, is_json in zip(columns, row, parse, strict=True)
            }
            for row in rows
        ]
        db_session.execute(insert(Base.metadata.tables[name]), values)
        written[name] = written.get(name, 0) + len(values)
        if name == "conversation_events":
            events = len(values)
    return events


def _move_sequences(db_session: Session) -> None:
    """PostgreSQL: the id sequences past the ids given here (SQLite takes max(id) + 1)."""
    if db_session.get_bind().dialect.name != "postgresql":
        return
    for name in ID_TABLES:
        db_session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608 - our names
                f"(SELECT coalesce(max(id), 0) + 1 FROM {name}), false)"
            )
        )


def _mark_days(db_session: Session, first: datetime, last: datetime) -> None:
    """Every UTC day the history touches, for the next refresh of the report rollups."""
    day, days = first.date(), []
    while day <= last.date():
        days.append(RollupMark(utc_day=day))
        day += timedelta(days=1)
    db_session.add_all(days)
    db_session.flush()


def seed_history(
    *,
    db_session: Session,
    policy: Policy,
    now: datetime,
    rng_seed: int = 42,
    days: int = 90,
    conversations: int = 1500,
    progress: Progress | None = None,
) -> HistorySummary:
    """Add about `conversations` conversations over the `days` shop-local days up to `now`
    (the last one partly) to the seeded shop in `db_session`; the caller commits."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware (UTC)")
    started = time.perf_counter()
    report = progress or _quiet
    summary = HistorySummary()
    end = now.timestamp()
    zone_now = now.astimezone(ZoneInfo(policy.timezone))
    calendar = Calendar(policy, zone_now.date(), days, end=end, growth=DEMO_GROWTH)
    rng = random.Random(rng_seed)
    staff = read_staff(db_session, rng, calendar.start)
    customers = read_customers(db_session)
    if staff is None or not customers or days < 1 or conversations < 1:
        return summary
    simulator = Simulator(
        rng,
        calendar,
        staff,
        policy,
        read_orders(db_session, end),
        customers,
        nps=True,
        stamp=_stamp,
        first_ids=_first_ids(db_session),
        ticket_base=TICKET_BASE,
    )
    next_event = _first_ids(db_session)["conversation_events"]
    moments = [
        created
        for day, count in enumerate(calendar.day_counts(conversations))
        for created in calendar.times_on(rng, day, count)
        if created <= end
    ]
    rows = Rows(_stamp)
    for seq, created in enumerate(moments, start=1):
        simulator.conversation(rows, seq, created)
        if len(rows.conversations) >= BATCH:
            next_event += _insert(db_session, rows.tables(next_event, nps=True), summary.rows)
            rows = Rows(_stamp)
            report("conversations", seq, len(moments))
    _insert(db_session, rows.tables(next_event, nps=True), summary.rows)
    report("conversations", len(moments), len(moments))
    _move_sequences(db_session)
    first = _stamp(calendar.start)
    _mark_days(db_session, first, now)
    summary.first_day, summary.last_day = calendar.first_day, zone_now.date()
    summary.queued, summary.with_agents = count_open(db_session)
    summary.seconds = time.perf_counter() - started
    return summary


def count_open(db_session: Session) -> tuple[int, int]:
    """Conversations waiting for a person now: (in the queue, with an agent)."""
    waiting = select(func.count()).where(Conversation.owner == "human")
    queued = db_session.scalar(waiting.where(Conversation.assignee_id.is_(None))) or 0
    assigned = db_session.scalar(waiting.where(Conversation.assignee_id.is_not(None))) or 0
    return queued, assigned
