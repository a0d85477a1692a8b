"""`report_message_days` (the fallback rate of the training section) gives what the raw rows
give: customer messages and misunderstood events around Berlin and UTC midnights and the
October DST change, then messages and misses added to old days, and a message deleted, each
reaching the rollup through the marks."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.reports.dataset import Builder
from tests.reports.rollup_checks import DAYS, FIRST_DAY, assert_changes_reach_rollups, near_midnight
from ticketing.conversations.models import ConversationEvent, Direction, Message, Sender
from ticketing.db import Database
from ticketing.reports import summary
from ticketing.reports.periods import Grouping, ReportRange
from ticketing.reports.training import training_metrics
from ticketing.training.inbox import MISS_EVENT

BERLIN = "Europe/Berlin"
SENDERS = (Sender.CUSTOMER, Sender.CUSTOMER, Sender.BOT, Sender.AGENT)


def _message(db_session: Session, rng: random.Random, conversation: str) -> None:
    sender = rng.choice(SENDERS)
    db_session.add(
        Message(
            conversation_id=conversation,
            direction=Direction.IN if sender == Sender.CUSTOMER else Direction.OUT,
            sender=sender,
            text="hello",
            payload={},
            created_at=near_midnight(rng),
        )
    )
    if sender == Sender.CUSTOMER and rng.random() < 0.3:
        Builder(db_session).event(conversation, MISS_EVENT, near_midnight(rng))


def _expected(db_session: Session, first: date, last: date) -> list[tuple[int, int]]:
    """(misunderstood, customer messages) per local day, counted here from the raw rows."""
    zone = ZoneInfo(BERLIN)
    messages = Counter(
        m.astimezone(zone).date()
        for m in db_session.scalars(
            select(Message.created_at).where(Message.sender == Sender.CUSTOMER)
        )
    )
    misses = Counter(
        m.astimezone(zone).date()
        for m in db_session.scalars(
            select(ConversationEvent.at).where(ConversationEvent.kind == MISS_EVENT)
        )
    )
    days = [date.fromordinal(n) for n in range(first.toordinal(), last.toordinal() + 1)]
    return [(misses[day], messages[day]) for day in days]


def _check(database: Database) -> None:
    last = date.fromordinal(FIRST_DAY.toordinal() + DAYS)
    report_range = ReportRange(FIRST_DAY, last, Grouping.DAY, BERLIN)
    with database.session() as db_session:
        summary.refreshed(database, db_session, BERLIN)
        rows = training_metrics(db_session, report_range)["fallback_rate"]
        got = [(row["fallbacks"], row["customer_messages"]) for row in rows]
        assert got == _expected(db_session, FIRST_DAY, last)
        assert any(messages for _, messages in got) and any(misses for misses, _ in got)
        for row, (misses, messages) in zip(rows, got, strict=True):
            assert row["fallback_rate"] == (round(misses / messages, 4) if messages else None)


def test_message_days_match_the_raw_rows_and_follow_changes(database: Database) -> None:
    rng = random.Random(21)
    with database.session(write=True) as db_session:
        builder = Builder(db_session)
        names = [builder.conversation(f"m{n}", "web", near_midnight(rng)) for n in range(12)]
        for _ in range(120):
            _message(db_session, rng, rng.choice(names))
    _check(database)

    def add_to_old_days(db_session: Session) -> None:
        for _ in range(6):
            _message(db_session, rng, rng.choice(names))

    assert_changes_reach_rollups(database, add_to_old_days, lambda: _check(database), rounds=3)

    def delete_a_customer_message(db_session: Session) -> None:
        query = select(Message).where(Message.sender == Sender.CUSTOMER).limit(1)
        db_session.delete(db_session.scalars(query).one())

    assert_changes_reach_rollups(
        database, delete_a_customer_message, lambda: _check(database), rounds=2
    )
