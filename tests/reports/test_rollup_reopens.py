"""The reopened rate from `report_reopen_days` equals the live definition: conversations
resolved several times by different people (two of them in one team) and reopened in between,
around Berlin and UTC midnights and the October DST change, compared with the numbers computed
here from the raw events, before and after every kind of change."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.reports.dataset import Builder, Staff, _staff
from tests.reports.rollup_checks import assert_changes_reach_rollups
from ticketing.conversations.models import Conversation, ConversationEvent
from ticketing.db import Database
from ticketing.reports.filters import ReportFilter
from ticketing.reports.periods import Bucket, Grouping, ReportRange, local_midnight
from ticketing.reports.reopens import reopens
from ticketing.reports.rollup.refresh import refresh
from ticketing.reports.rollup.reopen_days import RESOLUTIONS
from ticketing.staff.models import StaffUser
from ticketing.tickets.models import Ticket, TicketCategory

BERLIN = ZoneInfo("Europe/Berlin")
FIRST_DAY = date(2026, 10, 20)
DAYS = 14


def _moment(rng: random.Random) -> datetime:
    day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    base = (
        local_midnight(day, BERLIN)
        if rng.random() < 0.5
        else datetime.combine(day, datetime.min.time(), tzinfo=UTC)
    )
    return base + timedelta(minutes=rng.randrange(-90, 90))


def _seed(database: Database, rng: random.Random, count: int) -> Staff:
    with database.session(write=True) as db_session:
        staff = _staff(db_session)
        for staff_id in (staff.ann, staff.bob):
            user = db_session.get(StaffUser, staff_id)
            assert user is not None
            user.team = "north"
        builder = Builder(db_session)
        for number in range(count):
            created = _moment(rng)
            fields: dict[str, Any] = {}
            if rng.random() < 0.7:
                category = rng.choice((TicketCategory.LOGISTICS, TicketCategory.PAYMENT))
                fields["ticket_id"] = builder.ticket(category, created).id
            channel = rng.choice(("web", "telegram"))
            name = builder.conversation(f"r{number}", channel, created, **fields)
            moment = created
            for _ in range(rng.randrange(1, 5)):
                moment += timedelta(hours=rng.choice((0.5, 3, 20, 50)))
                if rng.random() < 0.35:
                    builder.event(name, "reopened", moment)
                else:
                    who = rng.choice((staff.ann, staff.bob, staff.mia, None))
                    kind = "bot_resolved" if who is None else "resolved"
                    builder.event(name, kind, moment, staff=who)
    return staff


def _expected(
    db_session: Session, buckets: list[Bucket], filters: ReportFilter
) -> list[tuple[int, int]]:
    end = buckets[-1].end
    teams = dict(db_session.execute(select(StaffUser.id, StaffUser.team)).tuples().all())
    conversations = {
        row[0]: (row[1], row[2])
        for row in db_session.execute(
            select(Conversation.id, Conversation.channel, Ticket.category).outerjoin(
                Ticket, Ticket.id == Conversation.ticket_id
            )
        )
    }
    events = db_session.execute(
        select(
            ConversationEvent.conversation_id,
            ConversationEvent.kind,
            ConversationEvent.staff_id,
            ConversationEvent.at,
        )
    ).all()
    firsts: dict[tuple[str, int], datetime] = {}
    for conversation_id, kind, staff_id, moment in events:
        channel, category = conversations[conversation_id]
        if kind not in RESOLUTIONS or not buckets[0].start <= moment < end:
            continue
        if filters.channel is not None and channel != filters.channel:
            continue
        if filters.category is not None and category != filters.category:
            continue
        if filters.agent_id is not None and staff_id != filters.agent_id:
            continue
        if filters.team is not None and (staff_id is None or teams.get(staff_id) != filters.team):
            continue
        index = next(i for i, b in enumerate(buckets) if b.start <= moment < b.end)
        key = (conversation_id, index)
        firsts[key] = min(moment, firsts.get(key, moment))
    counts = [[0, 0] for _ in buckets]
    for (conversation_id, index), first in firsts.items():
        counts[index][0] += 1
        counts[index][1] += any(
            c == conversation_id and kind == "reopened" and first < moment < end
            for c, kind, _staff_id, moment in events
        )
    return [(resolved, again) for resolved, again in counts]


def _filters(staff: Staff) -> list[ReportFilter]:
    return [
        ReportFilter(),
        ReportFilter(channel="web"),
        ReportFilter(category=TicketCategory.LOGISTICS),
        ReportFilter(agent_id=staff.ann),
        ReportFilter(team="north"),
    ]


def _check(database: Database, report_range: ReportRange, filters: ReportFilter) -> None:
    refresh(database, report_range.timezone)
    with database.session() as db_session:
        series = reopens(db_session, report_range.buckets(), filters)
        expected = _expected(db_session, report_range.buckets(), filters)
        [expected_total] = _expected(db_session, [report_range.whole], filters)
    found = [(row["resolved_conversations"], row["reopened"]) for row in series.buckets]
    assert found == expected, (report_range, filters)
    total = series.total
    assert (total["resolved_conversations"], total["reopened"]) == expected_total, report_range


def _check_all(database: Database, staff: Staff) -> None:
    last = FIRST_DAY + timedelta(days=DAYS + 6)
    for group in (Grouping.DAY, Grouping.WEEK):
        for filters in _filters(staff):
            _check(database, ReportRange(FIRST_DAY, last, group, "Europe/Berlin"), filters)


def test_reopened_rate_matches_the_raw_events_on_random_ranges(database: Database) -> None:
    rng = random.Random(11)
    staff = _seed(database, rng, count=60)
    for _ in range(15):
        first = FIRST_DAY + timedelta(days=rng.randrange(-1, DAYS))
        last = first + timedelta(days=rng.randrange(0, 10))
        group = rng.choice((Grouping.DAY, Grouping.WEEK))
        report_range = ReportRange(first, last, group, "Europe/Berlin")
        _check(database, report_range, rng.choice(_filters(staff)))


def _pick(db_session: Session, rng: random.Random) -> Conversation:
    return rng.choice(list(db_session.scalars(select(Conversation).order_by(Conversation.id))))


def _reopening(db_session: Session, rng: random.Random, _staff: Staff) -> None:
    conversation = _pick(db_session, rng)
    later = conversation.created_at + timedelta(hours=rng.choice((1, 30, 60)))
    db_session.add(
        ConversationEvent(conversation_id=conversation.id, kind="reopened", actor="t", at=later)
    )


def _early_resolution(db_session: Session, rng: random.Random, staff: Staff) -> None:
    """A resolution before the others: every later one stops being the first."""
    conversation = _pick(db_session, rng)
    db_session.add(
        ConversationEvent(
            conversation_id=conversation.id,
            kind="resolved",
            actor="t",
            staff_id=staff.bob,
            at=conversation.created_at + timedelta(minutes=1),
        )
    )


def _team_change(db_session: Session, _rng: random.Random, staff: Staff) -> None:
    user = db_session.get(StaffUser, staff.mia)
    assert user is not None
    user.team = "north" if user.team is None else None


def _new_category(db_session: Session, rng: random.Random, _staff: Staff) -> None:
    tickets = list(db_session.scalars(select(Ticket).order_by(Ticket.id)))
    ticket = rng.choice(tickets)
    ticket.category = (
        TicketCategory.PAYMENT
        if ticket.category == TicketCategory.LOGISTICS
        else TicketCategory.LOGISTICS
    )


CHANGES = [_reopening, _early_resolution, _team_change, _new_category]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__.strip("_"))
def test_every_kind_of_change_reaches_the_reopened_rate(database: Database, change: Any) -> None:
    rng = random.Random(3)
    staff = _seed(database, rng, count=30)
    _check_all(database, staff)
    assert_changes_reach_rollups(
        database,
        lambda db_session: change(db_session, rng, staff),
        lambda: _check_all(database, staff),
        rounds=2,
    )
