"""The demo's conversation history: deterministic, consistent with the seeded shop and staff,
~90 days long, and what the reports show right after the seed."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import ticketing.models
from tests.conftest import BACKENDS, _postgres_database
from ticketing.cli import main as cli_main
from ticketing.conversations.models import Conversation, ConversationEvent, Message
from ticketing.customers.models import Customer
from ticketing.db import Database
from ticketing.feedback.models import CsatRating
from ticketing.feedback.nps_models import NpsAnswer
from ticketing.orders.models import Order
from ticketing.policy.service import load_file
from ticketing.reports import summary
from ticketing.reports.filters import ReportFilter
from ticketing.reports.periods import Grouping, ReportRange
from ticketing.reports.rollup.models import RollupMark, RollupState
from ticketing.reports.training import training_metrics
from ticketing.seed import seed_demo
from ticketing.seed.history import HistorySummary, seed_history
from ticketing.seed.history.transcripts import MISUNDERSTOOD
from ticketing.settings import REPO_ROOT
from ticketing.staff.models import StaffRole, StaffUser
from ticketing.tickets.models import Ticket, TicketEvent
from ticketing.training.inbox import MISS_EVENT

NOW = datetime(2026, 6, 15, tzinfo=UTC)  # a Monday, 02:00 in Berlin
BERLIN = ZoneInfo("Europe/Berlin")
POLICY = load_file(REPO_ROOT / "policy.yml")
RESOLUTIONS = {"resolved", "bot_resolved"}
TABLES = (Conversation, Message, ConversationEvent, Ticket, TicketEvent, CsatRating, NpsAnswer)


def seed(database: Database, *, rng_seed: int = 42) -> HistorySummary:
    """The demo shop and its history (fewer orders than `make run`, the default history)."""
    with database.session(write=True) as db_session:
        seed_demo(db_session=db_session, now=NOW, customers=80, orders=500, rng_seed=rng_seed)
        return seed_history(db_session=db_session, policy=POLICY, now=NOW, rng_seed=rng_seed)


def sqlite_database(path: Path) -> Database:
    database = Database(f"sqlite:///{path}")
    ticketing.models.Base.metadata.create_all(database.engine)
    return database


@pytest.fixture(scope="module", params=BACKENDS)
def seeded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Database, HistorySummary]]:
    if request.param == "postgres":
        from tests.conftest import POSTGRES_URL

        if not POSTGRES_URL:
            pytest.skip("SUPPORTBOT_TEST_DATABASE_URL not set")
        database = _postgres_database()
    else:
        database = sqlite_database(tmp_path_factory.mktemp("history") / "h.db")
    history = seed(database)
    yield database, history
    database.dispose()


@pytest.fixture
def db_session(seeded: tuple[Database, HistorySummary]) -> Iterator[Session]:
    with seeded[0].session() as session:
        yield session


def dump(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the history's tables, by primary key."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    with database.session() as db_session:
        for model in TABLES:
            table = model.__table__  # type: ignore[attr-defined]
            query = select(*table.columns).order_by(table.c.id)
            rows[table.name] = [tuple(row) for row in db_session.execute(query)]
    return rows


def test_the_same_seed_and_now_give_the_same_rows(tmp_path: Path) -> None:
    first, second = sqlite_database(tmp_path / "a.db"), sqlite_database(tmp_path / "b.db")
    other = sqlite_database(tmp_path / "c.db")
    try:
        seed(first), seed(second), seed(other, rng_seed=7)
        rows = dump(first)
        assert rows == dump(second)
        assert rows["conversations"] != dump(other)["conversations"]
    finally:
        for database in (first, second, other):
            database.dispose()


def test_history_spans_about_90_days_up_to_now(db_session: Session) -> None:
    created = list(db_session.scalars(select(Conversation.created_at)))
    assert 1200 <= len(created) <= 1600
    days = {moment.astimezone(BERLIN).date() for moment in created}
    assert min(created) >= NOW - timedelta(days=90)
    assert min(created) < NOW - timedelta(days=88)
    assert len(days) >= 88
    newest_event = db_session.scalar(select(func.max(ConversationEvent.at)))
    newest_message = db_session.scalar(select(func.max(Message.created_at)))
    assert newest_event is not None and newest_event <= NOW
    assert newest_message is not None and newest_message <= NOW


def _events(db_session: Session) -> dict[str, list[ConversationEvent]]:
    by_conversation: dict[str, list[ConversationEvent]] = defaultdict(list)
    for event in db_session.scalars(select(ConversationEvent).order_by(ConversationEvent.id)):
        by_conversation[event.conversation_id].append(event)
    return by_conversation


def test_every_conversation_is_a_consistent_life(db_session: Session) -> None:
    events = _events(db_session)
    for conversation in db_session.scalars(select(Conversation)):
        life = events[conversation.id]
        kinds = [event.kind for event in life]
        moments = [event.at for event in life]
        assert kinds[0] == "created" and moments[0] == conversation.created_at
        assert moments == sorted(moments), conversation.id
        resolutions = [e.at for e in life if e.kind in RESOLUTIONS]
        if conversation.owner.value in ("resolved", "closed"):
            assert conversation.resolved_at == resolutions[-1]
        if conversation.resolved_at is not None:
            assert conversation.resolved_at == resolutions[-1]
        if "first_human_reply" in kinds:
            assert kinds.index("bot_handoff") < kinds.index("agent_assigned")
            assert kinds.index("agent_assigned") <= kinds.index("first_human_reply")
        for index, kind in enumerate(kinds):
            if kind == "csat_submitted":  # a rating answers a survey of a resolution
                assert "csat_requested" in kinds[:index], conversation.id
                assert any(k in RESOLUTIONS for k in kinds[:index]), conversation.id
        if conversation.owner.value == "human":
            assert conversation.ticket_id is not None and conversation.resolved_at is None


def test_ratings_follow_resolutions(db_session: Session) -> None:
    first_resolution = (
        select(ConversationEvent.conversation_id, func.min(ConversationEvent.at))
        .where(ConversationEvent.kind.in_(RESOLUTIONS))
        .group_by(ConversationEvent.conversation_id)
    )
    resolved = dict(db_session.execute(first_resolution).tuples().all())
    ratings = list(db_session.scalars(select(CsatRating)))
    assert len(ratings) > 200
    assert any(rating.comment for rating in ratings)
    assert {rating.score for rating in ratings} == {1, 2, 3, 4, 5}
    for rating in ratings:
        assert rating.conversation_id in resolved
        assert rating.created_at >= resolved[rating.conversation_id]


def test_tickets_link_conversations_customers_orders_and_staff(db_session: Session) -> None:
    agents = set(db_session.scalars(select(StaffUser.id).where(StaffUser.role == StaffRole.AGENT)))
    staff = set(db_session.scalars(select(StaffUser.id)))
    customers = set(db_session.scalars(select(Customer.id)))
    orders = {o.id: o for o in db_session.scalars(select(Order))}
    by_number = {o.number: o for o in orders.values()}
    tickets = {t.id: t for t in db_session.scalars(select(Ticket))}
    for conversation in db_session.scalars(select(Conversation)):
        assert conversation.customer_id is None or conversation.customer_id in customers
        assert conversation.assignee_id is None or conversation.assignee_id in agents
        number = conversation.context.get("order_number")
        if number is not None:
            order = by_number[number]
            assert order.customer_id == conversation.customer_id
            assert order.placed_at <= conversation.created_at
        if conversation.ticket_id is not None:
            ticket = tickets[conversation.ticket_id]
            assert ticket.conversation_id == conversation.id
            assert ticket.created_at == conversation.handed_off_at
            assert conversation.context["intent"]  # the contact reason
    for ticket in tickets.values():
        assert ticket.customer_id is None or ticket.customer_id in customers
        assert ticket.assignee_id is None or ticket.assignee_id in staff
        if ticket.order_id is not None:
            assert orders[ticket.order_id].customer_id == ticket.customer_id
    agent_messages = select(Message.staff_id).where(Message.sender == "agent").distinct()
    assert set(db_session.scalars(agent_messages)) == agents
    kinds = set(db_session.scalars(select(TicketEvent.kind).distinct()))
    assert {"created", "assigned", "sla_warning", "sla_breached", "priority_raised"} <= kinds


def test_transcripts_read_like_conversations(db_session: Session) -> None:
    texts = list(db_session.scalars(select(Message.text).where(Message.text.is_not(None))))
    assert len(set(texts)) > 300  # order numbers, e-mails, dates: not a handful of lines
    numbers = set(db_session.scalars(select(Order.number)))
    mentioned = [t for t in texts if t and t.startswith("Order ") and t.split()[1] in numbers]
    assert len(mentioned) > 50
    assert any("passed this conversation to a colleague (ticket T-" in str(t) for t in texts)


def test_some_conversations_wait_for_a_person_now(db_session: Session) -> None:
    waiting = list(db_session.scalars(select(Conversation).where(Conversation.owner == "human")))
    assert any(c.assignee_id is None for c in waiting)  # in the queue (Sunday night)
    reopened = select(func.count()).where(ConversationEvent.kind == "reopened")
    assert (db_session.scalar(reopened) or 0) > 10
    assert (db_session.scalar(select(func.count()).select_from(NpsAnswer)) or 0) > 50


def test_reports_show_the_history_right_after_the_seed(
    seeded: tuple[Database, HistorySummary], db_session: Session
) -> None:
    database, history = seeded
    last = NOW.astimezone(BERLIN).date()
    report_range = ReportRange(last - timedelta(days=89), last, Grouping.DAY, "Europe/Berlin")
    report = summary.build(database, db_session, report_range, ReportFilter())
    totals = report["totals"]
    assert totals["conversations"] == history.conversations
    for key in ("handed_off", "ratings", "nps_answers", "first_responses", "resolved"):
        assert totals[key] > 20, key
    for key in ("csat", "nps", "containment_rate", "frt_median_seconds"):
        assert totals[key] is not None, key
    assert totals["sla_breaches"] > 0 and totals["reopened"] > 0 and totals["backlog"] > 0
    days = report["series"]
    assert sum(1 for day in days if day["conversations"] >= 5) >= 80
    assert sum(1 for day in days if day["ratings"] > 0) >= 60
    assert sum(1 for day in days if day["handed_off"] > 0) >= 60
    assert {agent["username"] for agent in report["agents"] if agent["handled"] > 20} == {
        "agent1",
        "agent2",
        "agent3",
    }
    reasons = {reason["reason"] for reason in report["top_reasons"]}
    assert {"order_status", "late_delivery", "return_item"} <= reasons


def test_the_seed_command_builds_history_and_rollups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    sqlite_database(tmp_path / "cli.db").dispose()
    args = ["seed", "--demo", "--customers", "40", "--orders", "200", "--database-url", url]
    assert cli_main([*args, "--conversations", "300"]) == 0
    shown = capsys.readouterr()
    assert "seed: conversations " in shown.err and "seed: report days " in shown.err
    assert "Conversation history in " in shown.out
    database = Database(url)
    try:
        with database.session() as db_session:
            assert 250 <= (db_session.scalar(select(func.count(Conversation.id))) or 0) <= 300
            assert db_session.scalar(select(func.count(RollupState.id))) == 1
            assert db_session.scalar(select(func.count(RollupMark.id))) == 0
    finally:
        database.dispose()
    url = f"sqlite:///{tmp_path / 'bare.db'}"
    sqlite_database(tmp_path / "bare.db").dispose()
    bare = ["seed", "--demo", "--customers", "40", "--orders", "200", "--database-url", url]
    assert cli_main([*bare, "--history-days", "0"]) == 0
    database = Database(url)
    try:
        with database.session() as db_session:
            assert db_session.scalar(select(func.count(Conversation.id))) == 0
    finally:
        database.dispose()


def test_context_is_json_like_the_hub_stores_it(db_session: Session) -> None:
    handed = db_session.scalars(select(Conversation).where(Conversation.ticket_id.is_not(None)))
    for conversation in list(handed)[:20]:
        assert set(conversation.context) == {
            "intent",
            "order_number",
            "slots",
            "last_messages",
            "reason",
        }
        assert json.dumps(conversation.context)


def test_the_bot_misunderstanding_a_message_is_recorded_as_the_hub_does(
    seeded: tuple[Database, HistorySummary], db_session: Session
) -> None:
    """Each "I didn't get that" answer has its `bot_misunderstood` event, so the reports'
    fallback rate is not a flat 0% on the demo."""
    database, _history = seeded
    answers = select(func.count()).where(Message.text.in_(MISUNDERSTOOD))
    misses = select(func.count()).where(ConversationEvent.kind == MISS_EVENT)
    assert (db_session.scalar(misses) or 0) == (db_session.scalar(answers) or 0) > 20
    last = NOW.astimezone(BERLIN).date()
    report_range = ReportRange(last - timedelta(days=89), last, Grouping.MONTH, "Europe/Berlin")
    summary.refreshed(database, db_session, "Europe/Berlin")
    rates = [
        row["fallback_rate"] for row in training_metrics(db_session, report_range)["fallback_rate"]
    ]
    assert all(rate is not None and 0.005 < rate < 0.2 for rate in rates), rates
