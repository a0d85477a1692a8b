"""The duration rollups give the numbers of the raw rows (count, median, p90 and mean of the
exact durations): random first replies, agent resolutions and resolved conversations around
midnights and the October DST change in Berlin, reports over random ranges and filters, then
changes of every kind the marks must catch (a new first reply, a new assignee, a conversation
resolved or reopened, a ticket's new category), compared with the same numbers computed here
in Python."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import false, select
from sqlalchemy.orm import Session

from tests.reports.dataset import Builder, Staff, _staff
from tests.reports.rollup_checks import (
    DAYS,
    FIRST_DAY,
    assert_changes_reach_rollups,
    near_midnight,
)
from ticketing.conversations.models import Conversation, ConversationEvent, Owner
from ticketing.db import Database
from ticketing.reports import summary
from ticketing.reports.filters import ReportFilter
from ticketing.reports.periods import Bucket, Grouping, ReportRange
from ticketing.reports.rollup.duration_days import FIRST_REPLY, DurationDay
from ticketing.reports.sqlmath import WHOLE, Distribution, distributions, percentile
from ticketing.staff.models import StaffRole, StaffUser
from ticketing.tickets.models import Ticket, TicketCategory

DONE = (Owner.RESOLVED, Owner.CLOSED)
# fractions, and values that repeat (equal durations on one day, one channel, one person)
TRICKY = (0.5, 2.5, 99.5, 999.5, 1004.5, 1234.5, 3625.0, 99950.0, 91800.0)
SERIES_KEYS = (
    "first_responses",
    "frt_median_seconds",
    "frt_p90_seconds",
    "frt_mean_seconds",
    "resolved",
    "resolution_median_seconds",
    "resolution_p90_seconds",
)


def _seconds(rng: random.Random) -> float:
    """From under a second to days; whole or fractional; sometimes a rounding edge."""
    if rng.random() < 0.2:
        return rng.choice(TRICKY)
    value = rng.uniform(0, rng.choice((10, 1_000, 20_000, 300_000)))
    return float(round(value)) if rng.random() < 0.5 else value


def _add_event(db_session: Session, rng: random.Random, staff: Staff, kind: str) -> None:
    conversation = rng.choice(list(db_session.scalars(select(Conversation.id))))
    chance = rng.random()  # now and then without a duration, which the metrics skip
    data: dict[str, Any] = {"seconds": _seconds(rng)}
    if chance < 0.1:
        data = {}
    elif chance < 0.15:
        data = {"seconds": None}
    db_session.add(
        ConversationEvent(
            conversation_id=conversation,
            kind=kind,
            actor="t",
            staff_id=rng.choice((staff.ann, staff.bob, staff.mia, None)),
            data=data,
            at=near_midnight(rng, fractional=True),
        )
    )


def _seed(database: Database, rng: random.Random, count: int) -> Staff:
    with database.session(write=True) as db_session:
        staff = _staff(db_session)
        for staff_id, team in ((staff.ann, "north"), (staff.bob, "south"), (staff.mia, "north")):
            user = db_session.get(StaffUser, staff_id)
            assert user is not None
            user.team = team
        builder = Builder(db_session)
        for number in range(count):
            resolved = near_midnight(rng, fractional=True)
            created = resolved - timedelta(seconds=_seconds(rng))
            fields: dict[str, Any] = {"owner": rng.choice(list(Owner))}
            if fields["owner"] in DONE or rng.random() < 0.3:  # else never resolved
                fields["resolved_at"] = resolved
            if rng.random() < 0.6:
                category = rng.choice(list(TicketCategory))
                fields["ticket_id"] = builder.ticket(category, created).id
            if rng.random() < 0.6:
                fields["assignee_id"] = rng.choice((staff.ann, staff.bob, staff.mia))
            builder.conversation(f"c{number}", rng.choice(("web", "telegram")), created, **fields)
        for _ in range(count):
            _add_event(db_session, rng, staff, rng.choice(("first_human_reply", "resolved")))
    return staff


def _summary(values: list[float]) -> tuple[Any, ...]:
    """(count, median, p90, mean) of the exact values."""
    if not values:
        return 0, None, None, None
    ordered = sorted(values)
    return (
        len(values),
        round(percentile(ordered, 0.5), 1),
        round(percentile(ordered, 0.9), 1),
        round(sum(values) / len(values), 1),
    )


class _Raw:
    """The rows of the database the duration metrics read, checked against the filters here."""

    def __init__(self, db_session: Session, filters: ReportFilter) -> None:
        self.filters = filters
        staff = db_session.scalars(select(StaffUser)).all()
        self.teams = {user.id: user.team for user in staff}
        self.usernames = {user.id: user.username for user in staff}
        self.active_agents = {u.id for u in staff if u.role == StaffRole.AGENT and u.active}
        self.conversations = {
            conversation.id: (conversation, category)
            for conversation, category in db_session.execute(
                select(Conversation, Ticket.category).outerjoin(
                    Ticket, Ticket.id == Conversation.ticket_id
                )
            ).tuples()
        }
        self.events = list(
            db_session.scalars(
                select(ConversationEvent).where(
                    ConversationEvent.kind.in_(("first_human_reply", "resolved"))
                )
            )
        )

    def staff_passes(self, staff_id: int | None) -> bool:
        agent, team = self.filters.agent_id, self.filters.team
        return (agent is None or staff_id == agent) and (
            team is None or (staff_id is not None and self.teams.get(staff_id) == team)
        )

    def conversation_passes(self, conversation_id: str) -> bool:
        conversation, category = self.conversations[conversation_id]
        channel, wanted = self.filters.channel, self.filters.category
        return (channel is None or conversation.channel == channel) and (
            wanted is None or category == wanted
        )

    def event_seconds(self, kind: str, bucket: Bucket) -> list[tuple[int | None, float]]:
        """(staff id, seconds) of the events of `kind` with seconds in the bucket whose
        conversation passes the channel and category filters."""
        return [
            (event.staff_id, float(event.data["seconds"]))
            for event in self.events
            if event.kind == kind
            and event.data.get("seconds") is not None
            and bucket.start <= event.at < bucket.end
            and self.conversation_passes(event.conversation_id)
        ]

    def resolution_seconds(self, bucket: Bucket) -> list[float]:
        return [
            (conversation.resolved_at - conversation.created_at).total_seconds()
            for conversation, _category in self.conversations.values()
            if conversation.owner in DONE
            and conversation.resolved_at is not None
            and bucket.start <= conversation.resolved_at < bucket.end
            and self.conversation_passes(conversation.id)
            and self.staff_passes(conversation.assignee_id)
        ]

    def series_row(self, bucket: Bucket) -> dict[str, Any]:
        frt = [
            s
            for staff, s in self.event_seconds("first_human_reply", bucket)
            if self.staff_passes(staff)
        ]
        return dict(
            zip(
                SERIES_KEYS,
                (*_summary(frt), *_summary(self.resolution_seconds(bucket))[:3]),
                strict=True,
            )
        )

    def agents(self, bucket: Bucket) -> dict[str, Any]:
        """username -> (handled, FRT median, resolution median) of the agents table: the active
        agents and whoever else replied or resolved in the bucket."""
        per_staff: dict[int, dict[str, list[float]]] = {}
        for kind in ("first_human_reply", "resolved"):
            for staff_id, seconds in self.event_seconds(kind, bucket):
                if staff_id is not None:
                    per_staff.setdefault(staff_id, {}).setdefault(kind, []).append(seconds)
        rows = {}
        for staff_id in self.active_agents | set(per_staff):
            if self.staff_passes(staff_id):
                times = per_staff.get(staff_id, {})
                done = _summary(times.get("resolved", []))
                first = _summary(times.get("first_human_reply", []))
                rows[self.usernames[staff_id]] = (done[0], first[1], done[1])
        return rows


def _filters(staff: Staff) -> list[ReportFilter]:
    return [
        ReportFilter(),
        ReportFilter(channel="telegram"),
        ReportFilter(category=TicketCategory.LOGISTICS),
        ReportFilter(agent_id=staff.ann),
        ReportFilter(team="north"),
    ]


def _check(database: Database, report_range: ReportRange, filters: ReportFilter) -> None:
    with database.session() as db_session:
        report = summary.build(database, db_session, report_range, filters)
        raw = _Raw(db_session, filters)
    expected = [raw.series_row(bucket) for bucket in report_range.buckets()]
    actual = [{key: row[key] for key in SERIES_KEYS} for row in report["series"]]
    assert actual == expected, (report_range, filters)
    assert {key: report["totals"][key] for key in SERIES_KEYS} == raw.series_row(report_range.whole)
    agents = {
        row["username"]: (
            row["handled"],
            row["frt_median_seconds"],
            row["resolution_median_seconds"],
        )
        for row in report["agents"]
    }
    assert agents == raw.agents(report_range.whole), (report_range, filters)


def _check_every_day(database: Database, staff: Staff) -> None:
    first, last = FIRST_DAY - timedelta(days=3), FIRST_DAY + timedelta(days=DAYS + 1)
    for filters in _filters(staff):
        _check(database, ReportRange(first, last, Grouping.DAY, "Europe/Berlin"), filters)


def _pick(db_session: Session, rng: random.Random, *conditions: Any) -> Conversation:
    query = select(Conversation).where(*conditions).order_by(Conversation.id)
    return rng.choice(list(db_session.scalars(query)))


def _new_first_reply(db_session: Session, rng: random.Random, staff: Staff) -> None:
    _add_event(db_session, rng, staff, "first_human_reply")


def _new_agent_resolution(db_session: Session, rng: random.Random, staff: Staff) -> None:
    _add_event(db_session, rng, staff, "resolved")


def _reassigned(db_session: Session, rng: random.Random, staff: Staff) -> None:
    conversation = _pick(db_session, rng, Conversation.owner.in_(DONE))
    others = [s for s in (staff.ann, staff.bob, None) if s != conversation.assignee_id]
    conversation.assignee_id = rng.choice(others)


def _resolved(db_session: Session, rng: random.Random, _staff: Staff) -> None:
    conversation = _pick(db_session, rng, Conversation.owner.not_in(DONE))
    conversation.owner = Owner.RESOLVED
    conversation.resolved_at = near_midnight(rng, fractional=True)


def _reopened(db_session: Session, rng: random.Random, _staff: Staff) -> None:
    conversation = _pick(db_session, rng, Conversation.owner.in_(DONE))
    conversation.owner = Owner.HUMAN


def _new_category(db_session: Session, rng: random.Random, _staff: Staff) -> None:
    conversation = _pick(db_session, rng, Conversation.ticket_id.is_not(None))
    ticket = db_session.get(Ticket, conversation.ticket_id)
    assert ticket is not None
    others = [c for c in TicketCategory if c != ticket.category]
    ticket.category = TicketCategory.LOGISTICS if TicketCategory.LOGISTICS in others else others[0]


CHANGES = [
    _new_first_reply,
    _new_agent_resolution,
    _reassigned,
    _resolved,
    _reopened,
    _new_category,
]


@pytest.mark.parametrize("with_whole", [False, True])
def test_the_database_finds_count_median_p90_and_mean(database: Database, with_whole: bool) -> None:
    """`distributions` (PostgreSQL's percentile_cont, or ranks on SQLite) gives per key the
    same numbers as `percentile` here, for 1 to 40 values of which many repeat; `with_whole`
    adds all values together as WHOLE."""
    rng = random.Random(11)
    values: dict[int, list[float]] = {}
    with database.session(write=True) as db_session:
        for key in range(1, 301):
            values[key] = [
                rng.choice((1.0, 5.0, 60.0, 60.5, 3600.0, 3610.25))
                for _ in range(rng.randrange(1, 41))
            ]
            for seconds in values[key]:
                db_session.add(
                    DurationDay(
                        day=FIRST_DAY,
                        kind=FIRST_REPLY,
                        channel="web",
                        category=None,
                        staff_id=key,
                        seconds=seconds,
                    )
                )
    with database.session() as db_session:
        rows = select(DurationDay.staff_id, DurationDay.seconds)
        found = distributions(db_session, rows, with_whole=with_whole)
        nothing = distributions(db_session, rows.where(false()), with_whole=with_whole)
    assert nothing == {}  # not a WHOLE of no values
    if with_whole:
        values[WHOLE] = [seconds for per_key in values.values() for seconds in per_key]
    assert found == {key: Distribution(*_summary(per_key)) for key, per_key in values.items()}


def test_duration_rollups_match_the_raw_rows_on_random_ranges(database: Database) -> None:
    rng = random.Random(20261025)
    staff = _seed(database, rng, count=80)
    for _ in range(12):
        first = FIRST_DAY + timedelta(days=rng.randrange(-1, DAYS))
        last = first + timedelta(days=rng.randrange(0, 8))
        group = rng.choice((Grouping.DAY, Grouping.WEEK))
        report_range = ReportRange(first, last, group, "Europe/Berlin")
        _check(database, report_range, rng.choice(_filters(staff)))


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__.strip("_"))
def test_every_kind_of_change_reaches_the_duration_rollups(database: Database, change: Any) -> None:
    rng = random.Random(9)
    staff = _seed(database, rng, count=40)
    _check_every_day(database, staff)
    assert_changes_reach_rollups(
        database,
        lambda db_session: change(db_session, rng, staff),
        lambda: _check_every_day(database, staff),
        rounds=3,
    )
