"""The daily rollups give the same numbers as the raw rows: random conversations around
midnights and the October DST change in Berlin, reports over random ranges and filters, then
changes of every kind the marks must catch (a later handoff, a new assignee, a ticket's new
category, a deleted conversation), compared with the same numbers computed here in Python."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.reports.dataset import Builder, Staff, _staff
from tests.reports.rollup_checks import (
    DAYS,
    FIRST_DAY,
    assert_changes_reach_rollups,
    near_midnight,
)
from ticketing.conversations.models import Conversation, ConversationEvent
from ticketing.db import Database
from ticketing.reports import summary
from ticketing.reports.filters import ReportFilter
from ticketing.reports.periods import Grouping, ReportRange
from ticketing.reports.reasons import UNRECORDED
from ticketing.reports.rollup import refresh as refresh_module
from ticketing.reports.rollup.models import ConversationDay, RollupMark, RollupState
from ticketing.reports.rollup.refresh import refresh, runs
from ticketing.reports.rollup.registry import ROLLUPS
from ticketing.tickets.models import Ticket, TicketCategory

INTENTS = ("order_status", "return_item", None)


def _seed(database: Database, rng: random.Random, count: int) -> Staff:
    with database.session(write=True) as db_session:
        staff = _staff(db_session)
        builder = Builder(db_session)
        for number in range(count):
            created = near_midnight(rng)
            fields: dict[str, Any] = {"context": {}}
            if (intent := rng.choice(INTENTS)) is not None:
                fields["context"] = {"intent": intent}
            if rng.random() < 0.6:
                category = rng.choice(list(TicketCategory))
                fields["ticket_id"] = builder.ticket(category, created).id
            if rng.random() < 0.5:
                fields["assignee_id"] = rng.choice((staff.ann, staff.bob))
            name = builder.conversation(
                f"c{number}", rng.choice(("web", "telegram")), created, **fields
            )
            for kind in ("bot_handoff", "bot_resolved"):
                if rng.random() < 0.5:
                    later = created + timedelta(hours=rng.choice((0.2, 5, 30, 80)))
                    builder.event(name, kind, later)
    return staff


def _expected(db_session: Session, report_range: ReportRange, filters: ReportFilter) -> Any:
    """Volume and reasons of the range, straight from the conversations and their events."""
    start, end = report_range.whole.start, report_range.whole.end
    firsts: dict[tuple[str, str], datetime] = {}
    for conversation_id, kind, moment in db_session.execute(
        select(ConversationEvent.conversation_id, ConversationEvent.kind, ConversationEvent.at)
    ):
        key = (conversation_id, kind)
        firsts[key] = min(moment, firsts.get(key, moment))
    team = {filters.agent_id} if filters.agent_id is not None else None
    rows = db_session.execute(
        select(Conversation, Ticket.category)
        .outerjoin(Ticket, Ticket.id == Conversation.ticket_id)
        .where(Conversation.created_at >= start, Conversation.created_at < end)
    ).all()
    buckets = report_range.buckets()
    series = [Counter() for _ in buckets]
    reasons: Counter[str] = Counter()
    for conversation, category in rows:
        if filters.channel is not None and conversation.channel != filters.channel:
            continue
        if filters.category is not None and category != filters.category:
            continue
        if team is not None and conversation.assignee_id not in team:
            continue
        index = next(i for i, b in enumerate(buckets) if b.start <= conversation.created_at < b.end)
        handoff = firsts.get((conversation.id, "bot_handoff"))
        resolved = firsts.get((conversation.id, "bot_resolved"))
        handed = handoff is not None and handoff < end
        series[index]["conversations"] += 1
        series[index]["handed_off"] += handed
        series[index]["contained"] += resolved is not None and resolved < end and not handed
        reasons[conversation.contact_reason or UNRECORDED] += 1
    return [dict(counts) for counts in series], reasons


def _actual(report: dict[str, Any]) -> Any:
    series = [
        {k: row[k] for k in ("conversations", "handed_off", "contained") if row[k]}
        for row in report["series"]
    ]
    return series, Counter({row["reason"]: row["count"] for row in report["top_reasons"]})


def _filters(staff: Staff) -> list[ReportFilter]:
    return [
        ReportFilter(),
        ReportFilter(channel="telegram"),
        ReportFilter(category=TicketCategory.LOGISTICS),
        ReportFilter(agent_id=staff.ann),
    ]


def _check(database: Database, report_range: ReportRange, filters: ReportFilter) -> None:
    with database.session() as db_session:
        report = summary.build(database, db_session, report_range, filters)
        expected_series, expected_reasons = _expected(db_session, report_range, filters)
    actual_series, actual_reasons = _actual(report)
    expected = [{k: v for k, v in row.items() if v} for row in expected_series]
    assert actual_series == expected, (report_range, filters)
    totals = report["totals"]
    expected_totals = sum((Counter(row) for row in expected_series), Counter())
    assert {k: totals[k] for k in ("conversations", "handed_off", "contained") if totals[k]} == (
        +expected_totals
    ), (report_range, filters)
    assert len(expected_reasons) <= 10  # so the top 10 are all of them
    assert actual_reasons == +expected_reasons, (report_range, filters)


def _check_random_ranges(database: Database, rng: random.Random, staff: Staff) -> None:
    for _ in range(12):
        first = FIRST_DAY + timedelta(days=rng.randrange(-1, DAYS))
        last = first + timedelta(days=rng.randrange(0, 8))
        group = rng.choice((Grouping.DAY, Grouping.WEEK))
        _check(
            database, ReportRange(first, last, group, "Europe/Berlin"), rng.choice(_filters(staff))
        )


def _check_every_day(database: Database, staff: Staff) -> None:
    last = FIRST_DAY + timedelta(days=DAYS + 4)
    for filters in _filters(staff):
        _check(database, ReportRange(FIRST_DAY, last, Grouping.DAY, "Europe/Berlin"), filters)


def _pick(db_session: Session, rng: random.Random, *conditions: Any) -> Conversation:
    query = select(Conversation).where(*conditions).order_by(Conversation.id)
    return rng.choice(list(db_session.scalars(query)))


def _later_handoff(db_session: Session, rng: random.Random, _staff: Staff) -> None:
    conversation = _pick(db_session, rng)
    later = conversation.created_at + timedelta(days=2, minutes=3)
    db_session.add(
        ConversationEvent(conversation_id=conversation.id, kind="bot_handoff", actor="t", at=later)
    )


def _new_assignee(db_session: Session, rng: random.Random, staff: Staff) -> None:
    conversation = _pick(db_session, rng, Conversation.assignee_id.is_(None))
    conversation.assignee_id = staff.ann


def _new_intent(db_session: Session, rng: random.Random, _staff: Staff) -> None:
    conversation = _pick(db_session, rng)
    conversation.contact_reason = "complaint"  # an agent's correction
    conversation.contact_reason_source = "agent"


def _new_category(db_session: Session, rng: random.Random, _staff: Staff) -> None:
    conversation = _pick(db_session, rng, Conversation.ticket_id.is_not(None))
    ticket = db_session.get(Ticket, conversation.ticket_id)
    assert ticket is not None
    others = [c for c in TicketCategory if c != ticket.category]
    ticket.category = TicketCategory.LOGISTICS if TicketCategory.LOGISTICS in others else others[0]


def _deleted(db_session: Session, rng: random.Random, _staff: Staff) -> None:
    conversation = _pick(db_session, rng)
    for item in db_session.scalars(
        select(ConversationEvent).where(ConversationEvent.conversation_id == conversation.id)
    ):
        db_session.delete(item)
    db_session.delete(conversation)


CHANGES = [_later_handoff, _new_assignee, _new_intent, _new_category, _deleted]


def test_rollups_match_the_raw_rows_on_random_ranges(database: Database) -> None:
    rng = random.Random(20261206)
    staff = _seed(database, rng, count=80)
    _check_random_ranges(database, rng, staff)


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__.strip("_"))
def test_every_kind_of_change_reaches_the_rollups(database: Database, change: Any) -> None:
    rng = random.Random(5)
    staff = _seed(database, rng, count=40)
    _check_every_day(database, staff)
    assert_changes_reach_rollups(
        database,
        lambda db_session: change(db_session, rng, staff),
        lambda: _check_every_day(database, staff),
        rounds=3,
    )


def test_a_refresh_rebuilds_every_day_for_another_timezone(database: Database) -> None:
    rng = random.Random(7)
    _seed(database, rng, count=30)
    first = refresh(database, "Europe/Berlin")
    assert first.rebuilt
    again = refresh(database, "Europe/Berlin")
    assert (again.days, again.rebuilt) == (0, False)
    other = refresh(database, "America/New_York")
    assert other.rebuilt
    with database.session() as db_session:
        state = db_session.get(RollupState, 1)
        assert state is not None and state.timezone == "America/New_York"
        total = db_session.scalar(select(func.sum(ConversationDay.conversations)))
        assert total == db_session.scalar(select(func.count(Conversation.id))) == 30


def test_an_empty_database_builds_nothing() -> None:
    assert list(runs([])) == []


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ([1, 2, 3, 5, 6, 9], [(1, 3), (5, 6), (9, 9)]),
        (list(range(1, 8)), [(1, 3), (4, 6), (7, 7)]),
    ],
)
def test_changed_days_are_rebuilt_in_runs_of_consecutive_days(
    days: list[int], expected: list[tuple[int, int]]
) -> None:
    as_dates = [date(2026, 1, d) for d in days]
    found = [(a.day, b.day) for a, b in runs(reversed(as_dates), longest=3)]
    assert found == expected


def test_a_mark_committed_while_a_refresh_runs_survives_it(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer takes a mark id, a later writer commits first, the refresh reads only the later
    mark, and the first writer commits while the refresh builds: its mark must stay for the
    next refresh (the refresh may not have seen its rows)."""
    if database.dialect != "postgresql":
        pytest.skip("SQLite has one writer at a time: nothing commits while a refresh runs")
    _seed(database, random.Random(1), count=5)
    refresh(database, "Europe/Berlin")
    early = date(2026, 10, 21)
    with database.session(write=True) as first_writer:
        first_writer.add(RollupMark(utc_day=early))
        first_writer.flush()  # its id is taken, not committed
        with database.session(write=True) as second_writer:
            second_writer.add(RollupMark(utc_day=date(2026, 10, 22)))
        rollup = ROLLUPS[0]

        def build_after_the_first_writer_commits(*args: Any) -> list[Any]:
            if first_writer.in_transaction():
                first_writer.commit()
            return list(rollup.build(*args))

        patched = [replace(rollup, build=build_after_the_first_writer_commits), *ROLLUPS[1:]]
        monkeypatch.setattr(refresh_module, "ROLLUPS", patched)
        refresh(database, "Europe/Berlin")
    with database.session() as db_session:
        assert list(db_session.scalars(select(RollupMark.utc_day))) == [early]
