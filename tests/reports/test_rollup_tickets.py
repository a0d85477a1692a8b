"""The backlog, refund/return and SLA rollups give the same numbers as the raw rows: random
tickets, conversations, handoffs and orders around Berlin and UTC midnights (and the October
DST change), reports over random ranges, filters and SLA priorities, then changes of every kind
the marks must catch, compared with the same numbers computed here in Python."""

from __future__ import annotations

import itertools
import random
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import make_customer
from tests.reports.dataset import Builder, Staff, _staff
from tests.reports.rollup_checks import (
    DAYS,
    FIRST_DAY,
    assert_changes_reach_rollups,
    near_midnight,
)
from ticketing.conversations.models import Conversation, ConversationEvent
from ticketing.db import Database
from ticketing.orders.models import Order
from ticketing.refunds.models import Refund, RefundStatus
from ticketing.reports import summary
from ticketing.reports.filters import ReportFilter
from ticketing.reports.periods import Bucket, Grouping, ReportRange
from ticketing.reports.sla import ALL_PRIORITIES
from ticketing.returns.models import Return
from ticketing.staff.models import StaffUser
from ticketing.tickets.models import (
    Ticket,
    TicketCategory,
    TicketEvent,
    TicketPriority,
    TicketSource,
    TicketStatus,
)
from ticketing.tickets.service import add_event
from ticketing.tickets.sla_watch import SLA_BREACHED

TEAM = "returns"  # ann and mia
ENDINGS = ("resolved", "handed_back")
HIGH_ONLY = frozenset({TicketPriority.HIGH, TicketPriority.URGENT})
KEYS = (
    "backlog",
    "orders_delivered",
    "orders_refunded",
    "orders_returned",
    "sla_tickets",
    "sla_breaches",
)
_numbers = itertools.count(1)


def _later(rng: random.Random, moment: datetime) -> datetime:
    return moment + timedelta(hours=rng.choice((0.2, 5, 30, 80, 200)))


def _ticket(db_session: Session, rng: random.Random, staff: Staff, created: datetime) -> Ticket:
    ticket = Ticket(
        number=f"T-{next(_numbers)}",
        category=rng.choice(list(TicketCategory)),
        priority=rng.choice(list(TicketPriority)),
        status=TicketStatus.OPEN,
        source=TicketSource.HANDOFF,
        subject="help",
        description="help",
        channel=rng.choice(("web", "telegram", "phone", None)),
        assignee_id=rng.choice((staff.ann, staff.bob, staff.mia, None)),
        context={},
        created_at=created,
        updated_at=created,
    )
    db_session.add(ticket)
    db_session.flush()
    if rng.random() < 0.3:
        kind = rng.choice((SLA_BREACHED, "sla_warning"))
        db_session.add(
            TicketEvent(ticket_id=ticket.id, kind=kind, actor="t", at=_later(rng, created))
        )
    return ticket


def _stays(builder: Builder, rng: random.Random, name: str, created: datetime) -> None:
    """Zero to two stays with a person: a handoff, then (maybe) a resolution or hand-back."""
    moment = created
    for _ in range(rng.randrange(3)):
        moment = _later(rng, moment)
        builder.event(name, "bot_handoff", moment)
        if rng.random() < 0.6:
            moment = _later(rng, moment)
            builder.event(name, rng.choice(ENDINGS), moment)


def _conversations(db_session: Session, rng: random.Random, staff: Staff) -> None:
    """Conversations without a ticket, tickets without a conversation, and tickets with one or
    two conversations (the two may differ in channel and assignee)."""
    builder = Builder(db_session)
    for number in range(40):
        created = near_midnight(rng)
        ticket = _ticket(db_session, rng, staff, created) if rng.random() < 0.75 else None
        count = 1 if ticket is None else rng.choice((0, 1, 1, 2))
        for copy in range(count):
            name = builder.conversation(
                f"c{number}-{copy}",
                rng.choice(("web", "telegram")),
                created + timedelta(minutes=copy),
                ticket_id=None if ticket is None else ticket.id,
                assignee_id=rng.choice((staff.ann, staff.bob, None)),
            )
            _stays(builder, rng, name, created)


def _orders(db_session: Session, rng: random.Random) -> None:
    builder = Builder(db_session)
    customer = make_customer(db_session)
    for _ in range(25):
        order = builder.delivered(customer, near_midnight(rng))
        db_session.flush()
        for _ in range(rng.randrange(3)):
            status = rng.choice(list(RefundStatus))
            builder.refunded(order, _later(rng, order.delivered_at or near_midnight(rng)), status)
        if rng.random() < 0.4:
            builder.returned(order, _later(rng, order.delivered_at or near_midnight(rng)))


def _seed(database: Database, rng: random.Random) -> Staff:
    with database.session(write=True) as db_session:
        staff = _staff(db_session)
        for user in db_session.scalars(select(StaffUser)):
            user.team = TEAM if user.id in (staff.ann, staff.mia) else "logistics"
        _conversations(db_session, rng, staff)
        _orders(db_session, rng)
    return staff


@dataclass(frozen=True)
class Rows:
    """The raw rows the oracle counts from."""

    events: list[Any]  # (at, kind, channel, category, assignee) of handoffs and endings
    tickets: list[tuple[Ticket, bool, list[tuple[str | None, int | None]]]]
    orders: list[tuple[datetime, list[tuple[datetime, RefundStatus]], list[datetime]]]
    team: set[int]


def _rows(db_session: Session) -> Rows:
    events = db_session.execute(
        select(
            ConversationEvent.at,
            ConversationEvent.kind,
            Conversation.channel,
            Ticket.category,
            Conversation.assignee_id,
        )
        .join(Conversation, Conversation.id == ConversationEvent.conversation_id)
        .outerjoin(Ticket, Ticket.id == Conversation.ticket_id)
        .where(ConversationEvent.kind.in_(("bot_handoff", *ENDINGS)))
    ).all()
    breached = set(
        db_session.scalars(select(TicketEvent.ticket_id).where(TicketEvent.kind == SLA_BREACHED))
    )
    linked: dict[int, list[tuple[str | None, int | None]]] = defaultdict(list)
    for ticket_id, channel, agent in db_session.execute(
        select(Conversation.ticket_id, Conversation.channel, Conversation.assignee_id)
    ):
        if ticket_id is not None:
            linked[ticket_id].append((channel, agent))
    tickets = [(t, t.id in breached, linked[t.id]) for t in db_session.scalars(select(Ticket))]
    refunds: dict[int, list[tuple[datetime, RefundStatus]]] = defaultdict(list)
    for order_id, created, status in db_session.execute(
        select(Refund.order_id, Refund.created_at, Refund.status)
    ):
        refunds[order_id].append((created, status))
    returns: dict[int, list[datetime]] = defaultdict(list)
    for order_id, created in db_session.execute(select(Return.order_id, Return.created_at)):
        returns[order_id].append(created)
    orders = [
        (delivered, refunds[order_id], returns[order_id])
        for order_id, delivered in db_session.execute(select(Order.id, Order.delivered_at))
        if delivered is not None
    ]
    team = set(db_session.scalars(select(StaffUser.id).where(StaffUser.team == TEAM)))
    return Rows(list(events), tickets, orders, team)


def _staff_ok(agent: int | None, filters: ReportFilter, team: set[int]) -> bool:
    if filters.agent_id is not None and agent != filters.agent_id:
        return False
    return filters.team is None or agent in team


def _backlog(rows: Rows, end: datetime, filters: ReportFilter) -> int:
    total = 0
    for moment, kind, channel, category, agent in rows.events:
        if moment >= end or filters.channel not in (None, channel):
            continue
        if filters.category not in (None, category) or not _staff_ok(agent, filters, rows.team):
            continue
        total += 1 if kind == "bot_handoff" else -1
    return total


def _sla_ticket_passes(
    ticket: Ticket,
    pairs: list[tuple[str | None, int | None]],
    filters: ReportFilter,
    team: set[int],
) -> bool:
    """Category: the ticket's; channel and staff: any of its conversations (each on its own),
    or without a conversation the ticket's own."""
    if filters.category not in (None, ticket.category):
        return False
    pairs = pairs or [(ticket.channel, ticket.assignee_id)]
    channel_ok = filters.channel is None or any(c == filters.channel for c, _ in pairs)
    return channel_ok and any(_staff_ok(agent, filters, team) for _, agent in pairs)


def _expected(
    rows: Rows,
    buckets: list[Bucket],
    filters: ReportFilter,
    priorities: Collection[TicketPriority],
) -> list[dict[str, int]]:
    end = buckets[-1].end
    series = []
    for bucket in buckets:
        counts = dict.fromkeys(KEYS, 0)
        counts["backlog"] = _backlog(rows, bucket.end, filters)
        for delivered, refunds, returns in rows.orders:
            if bucket.start <= delivered < bucket.end:
                counts["orders_delivered"] += 1
                counts["orders_refunded"] += any(
                    created < end and status != RefundStatus.FAILED for created, status in refunds
                )
                counts["orders_returned"] += any(created < end for created in returns)
        for ticket, breached, pairs in rows.tickets:
            in_bucket = bucket.start <= ticket.created_at < bucket.end
            with_target = ticket.priority in priorities or breached
            if in_bucket and with_target and _sla_ticket_passes(ticket, pairs, filters, rows.team):
                counts["sla_tickets"] += 1
                counts["sla_breaches"] += breached
        series.append(counts)
    return series


def _filters(staff: Staff) -> list[ReportFilter]:
    return [
        ReportFilter(),
        ReportFilter(channel="telegram"),
        ReportFilter(category=TicketCategory.LOGISTICS),
        ReportFilter(agent_id=staff.ann),
        ReportFilter(team=TEAM),
        ReportFilter(channel="web", agent_id=staff.bob),
    ]


def _check(
    database: Database,
    report_range: ReportRange,
    filters: ReportFilter,
    priorities: Collection[TicketPriority] = ALL_PRIORITIES,
) -> None:
    with database.session() as db_session:
        report = summary.build(
            database, db_session, report_range, filters, sla_priorities=priorities
        )
        rows = _rows(db_session)
    actual = [{key: row[key] for key in KEYS} for row in report["series"]]
    expected = _expected(rows, report_range.buckets(), filters, priorities)
    assert actual == expected, (report_range, filters, priorities)
    whole = _expected(rows, [report_range.whole], filters, priorities)[0]
    assert {key: report["totals"][key] for key in KEYS} == whole, (report_range, filters)


def _check_every_day(database: Database, staff: Staff) -> None:
    last = FIRST_DAY + timedelta(days=DAYS + 10)
    report_range = ReportRange(FIRST_DAY, last, Grouping.DAY, "Europe/Berlin")
    for filters in _filters(staff):
        _check(database, report_range, filters, HIGH_ONLY)


def test_rollups_match_the_raw_rows_on_random_ranges(database: Database) -> None:
    rng = random.Random(20261025)
    staff = _seed(database, rng)
    for _ in range(14):
        first = FIRST_DAY + timedelta(days=rng.randrange(-1, DAYS))
        last = first + timedelta(days=rng.randrange(0, 8))
        group = rng.choice((Grouping.DAY, Grouping.WEEK))
        priorities = rng.choice((ALL_PRIORITIES, HIGH_ONLY, frozenset()))
        report_range = ReportRange(first, last, group, "Europe/Berlin")
        _check(database, report_range, rng.choice(_filters(staff)), priorities)


def _pick(db_session: Session, rng: random.Random, model: Any, *conditions: Any) -> Any:
    query = select(model).where(*conditions).order_by(model.id)
    return rng.choice(list(db_session.scalars(query)))


def _handoff_resolved(db_session: Session, rng: random.Random, _staff: Staff) -> None:
    last: dict[str, tuple[datetime, str]] = {}
    for name, moment, kind in db_session.execute(
        select(ConversationEvent.conversation_id, ConversationEvent.at, ConversationEvent.kind)
        .where(ConversationEvent.kind.in_(("bot_handoff", *ENDINGS)))
        .order_by(ConversationEvent.at)
    ):
        last[name] = (moment, kind)
    waiting = sorted((n, m) for n, (m, kind) in last.items() if kind == "bot_handoff")
    name, moment = rng.choice(waiting)
    db_session.add(
        ConversationEvent(conversation_id=name, kind="resolved", actor="t", at=_later(rng, moment))
    )


def _reassigned(db_session: Session, rng: random.Random, staff: Staff) -> None:
    conversation = _pick(db_session, rng, Conversation, Conversation.ticket_id.is_not(None))
    others = [a for a in (staff.ann, staff.bob, staff.mia, None) if a != conversation.assignee_id]
    conversation.assignee_id = rng.choice(others)


def _refund_failed(db_session: Session, rng: random.Random, _staff: Staff) -> None:
    refund = _pick(db_session, rng, Refund, Refund.status != RefundStatus.FAILED)
    refund.status = RefundStatus.FAILED


def _return_created(db_session: Session, rng: random.Random, _staff: Staff) -> None:
    order = _pick(
        db_session, rng, Order, ~select(Return.id).where(Return.order_id == Order.id).exists()
    )
    Builder(db_session).returned(order, _later(rng, order.delivered_at))


def _not_breached() -> Any:
    return (
        ~select(TicketEvent.id)
        .where(TicketEvent.ticket_id == Ticket.id, TicketEvent.kind == SLA_BREACHED)
        .exists()
    )


def _breached(db_session: Session, rng: random.Random, _staff: Staff) -> None:
    ticket = _pick(db_session, rng, Ticket, _not_breached())
    moment = _later(rng, ticket.created_at)
    db_session.add(TicketEvent(ticket_id=ticket.id, kind=SLA_BREACHED, actor="sla", at=moment))


def _priority_raised(db_session: Session, rng: random.Random, _staff: Staff) -> None:
    ticket = _pick(
        db_session, rng, Ticket, Ticket.priority.in_((TicketPriority.LOW, TicketPriority.NORMAL))
    )
    ticket.priority = TicketPriority.HIGH


def _category_changed(db_session: Session, rng: random.Random, _staff: Staff) -> None:
    ticket = _pick(db_session, rng, Ticket, Ticket.category != TicketCategory.LOGISTICS)
    ticket.category = TicketCategory.LOGISTICS


CHANGES = [
    _handoff_resolved,
    _reassigned,
    _refund_failed,
    _return_created,
    _breached,
    _priority_raised,
    _category_changed,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__.strip("_"))
def test_every_kind_of_change_reaches_the_rollups(database: Database, change: Any) -> None:
    rng = random.Random(11)
    staff = _seed(database, rng)
    _check_every_day(database, staff)
    assert_changes_reach_rollups(
        database,
        lambda db_session: change(db_session, rng, staff),
        lambda: _check_every_day(database, staff),
        rounds=2,
    )


def test_a_breach_the_watch_writes_reaches_the_rollups(database: Database) -> None:
    """The SLA watch writes its step with `add_event`; on an urgent ticket that already has
    its team lead, nothing else about the ticket changes."""
    rng = random.Random(3)
    staff = _seed(database, rng)
    _check_every_day(database, staff)
    with database.session(write=True) as db_session:
        ticket = _pick(db_session, rng, Ticket, _not_breached())
        add_event(ticket=ticket, kind=SLA_BREACHED, actor="sla", now=_later(rng, ticket.created_at))
    _check_every_day(database, staff)
