"""The feedback rollups (CSAT ratings, surveys sent, NPS answers) give the same numbers as the
raw rows: random feedback around Berlin and UTC midnights and the October DST change, reports
over random ranges and every filter, then changes of every kind the marks must catch (a new
rating, a changed score, a deleted rating, a ticket's new category, a survey sent), compared
with the same numbers computed here in Python."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.reports.dataset import PASSWORD, Builder, _staff
from tests.reports.rollup_checks import (
    DAYS,
    FIRST_DAY,
    assert_changes_reach_rollups,
    near_midnight,
)
from ticketing.conversations.models import Conversation, ConversationEvent
from ticketing.db import Database
from ticketing.feedback.models import CsatRating
from ticketing.feedback.nps_models import DETRACTOR_MAX, PROMOTER_MIN, NpsAnswer
from ticketing.reports import summary
from ticketing.reports.filters import ReportFilter
from ticketing.reports.periods import Grouping, ReportRange
from ticketing.staff import service as staff_service
from ticketing.staff.models import StaffRole, StaffUser
from ticketing.tickets.models import Ticket, TicketCategory

CHANNELS = ("web", "telegram")
CATEGORIES = (None, *TicketCategory)
TEAM = "returns"  # ann and cy; bob is in logistics
NUMBERS = (
    "ratings",
    "ratings_positive",
    "surveys_sent",
    "nps_answers",
    "nps_promoters",
    "nps_detractors",
)


@dataclass(frozen=True)
class Agents:
    ann: int
    bob: int
    cy: int

    @property
    def anyone(self) -> tuple[int | None, ...]:
        return (None, self.ann, self.bob, self.cy)


def _agents(db_session: Session) -> Agents:
    staff = _staff(db_session)
    for username, team in (("ann", TEAM), ("bob", "logistics")):
        staff_service.set_team(db_session=db_session, username=username, team=team, actor="t")
    cy = staff_service.create(
        db_session=db_session,
        username="cy",
        display_name="Cy",
        password=PASSWORD,
        role=StaffRole.AGENT,
        team=TEAM,
    )
    return Agents(ann=staff.ann, bob=staff.bob, cy=cy.id)


def _rate(db_session: Session, rng: random.Random, agents: Agents, name: str) -> None:
    """A rating whose own channel, category and agent need not be its conversation's."""
    db_session.add(
        CsatRating(
            conversation_id=name,
            score=rng.randint(1, 5),
            channel=rng.choice((*CHANNELS, None)),
            category=rng.choice(CATEGORIES),
            agent_id=rng.choice(agents.anyone),
            created_at=near_midnight(rng),
        )
    )


def _answer(db_session: Session, rng: random.Random, agents: Agents, name: str) -> None:
    asked = near_midnight(rng)
    db_session.add(
        NpsAnswer(
            conversation_id=name,
            score=rng.randint(0, 10),
            channel=rng.choice(CHANNELS),
            external_id=name,
            agent_id=rng.choice(agents.anyone),
            asked_at=asked,
            created_at=asked + timedelta(minutes=rng.choice((1, 45))),
        )
    )


def _survey(db_session: Session, rng: random.Random, agents: Agents, name: str) -> None:
    db_session.add(
        ConversationEvent(
            conversation_id=name,
            kind="csat_requested",
            actor="t",
            staff_id=rng.choice(agents.anyone),
            at=near_midnight(rng),
        )
    )


def _seed(database: Database, rng: random.Random, count: int) -> Agents:
    with database.session(write=True) as db_session:
        agents = _agents(db_session)
        builder = Builder(db_session)
        for number in range(count):
            created = near_midnight(rng)
            fields: dict[str, Any] = {}
            if rng.random() < 0.7:
                category = rng.choice(list(TicketCategory))
                fields["ticket_id"] = builder.ticket(category, created).id
            name = builder.conversation(f"c{number}", rng.choice(CHANNELS), created, **fields)
            for _ in range(rng.choice((0, 1, 1, 2))):
                _survey(db_session, rng, agents, name)
            if rng.random() < 0.6:
                _rate(db_session, rng, agents, name)
            if rng.random() < 0.6:
                _answer(db_session, rng, agents, name)
        _answer(db_session, rng, agents, "no such conversation")
    return agents


def _pairs(db_session: Session, query: Any) -> dict[Any, Any]:
    return dict(db_session.execute(query).tuples().all())


def _passes(
    filters: ReportFilter,
    teams: dict[int, str | None],
    channel: str | None,
    category: TicketCategory | None,
    agent: int | None,
) -> bool:
    return (
        filters.channel in (None, channel)
        and filters.category in (None, category)
        and filters.agent_id in (None, agent)
        and (filters.team is None or (agent is not None and teams.get(agent) == filters.team))
    )


def _expected(
    db_session: Session, report_range: ReportRange, filters: ReportFilter
) -> tuple[list[Counter[str]], dict[int, list[int]]]:
    """The six numbers per bucket, and each rated agent's [ratings, positive] over the range
    (the agent table), straight from the ratings, events and answers."""
    buckets = report_range.buckets()
    teams = _pairs(db_session, select(StaffUser.id, StaffUser.team))
    channels = _pairs(db_session, select(Conversation.id, Conversation.channel))
    categories = _pairs(  # each conversation's ticket's category now
        db_session,
        select(Conversation.id, Ticket.category).join(Ticket, Ticket.id == Conversation.ticket_id),
    )
    series: list[Counter[str]] = [Counter() for _ in buckets]

    def tally(moment: datetime, *dimensions: Any) -> Counter[str]:
        """The bucket's counts, or a throwaway counter for a row outside the range or filters."""
        inside = (c for b, c in zip(buckets, series, strict=True) if b.start <= moment < b.end)
        return next(inside, Counter()) if _passes(filters, teams, *dimensions) else Counter()

    whole = report_range.whole
    per_agent = ReportFilter(channel=filters.channel, category=filters.category)
    staff = ReportFilter(agent_id=filters.agent_id, team=filters.team)
    rated: dict[int, list[int]] = {}
    for rating in db_session.scalars(select(CsatRating)):
        dimensions = (rating.channel, rating.category, rating.agent_id)
        counts = tally(rating.created_at, *dimensions)
        counts["ratings"] += 1
        counts["ratings_positive"] += rating.score >= 4
        agent = rating.agent_id
        if (
            agent is not None
            and whole.start <= rating.created_at < whole.end
            and _passes(per_agent, teams, *dimensions)
            and _passes(staff, teams, None, None, agent)
        ):
            pair = rated.setdefault(agent, [0, 0])
            pair[0] += 1
            pair[1] += rating.score >= 4
    surveys = select(ConversationEvent).where(ConversationEvent.kind == "csat_requested")
    for event in db_session.scalars(surveys):
        name = event.conversation_id
        counts = tally(event.at, channels.get(name), categories.get(name), event.staff_id)
        counts["surveys_sent"] += 1
    for answer in db_session.scalars(select(NpsAnswer)):
        dimensions = (answer.channel, categories.get(answer.conversation_id), answer.agent_id)
        counts = tally(answer.created_at, *dimensions)
        counts["nps_answers"] += 1
        counts["nps_promoters"] += answer.score >= PROMOTER_MIN
        counts["nps_detractors"] += answer.score <= DETRACTOR_MAX
    return series, rated


def _check(database: Database, report_range: ReportRange, filters: ReportFilter) -> None:
    with database.session() as db_session:
        report = summary.build(database, db_session, report_range, filters)
        expected_series, expected_agents = _expected(db_session, report_range, filters)
    actual_series = [{k: row[k] for k in NUMBERS if row[k]} for row in report["series"]]
    assert actual_series == [+counts for counts in expected_series], (report_range, filters)
    totals = {k: report["totals"][k] for k in NUMBERS if report["totals"][k]}
    assert totals == +sum(expected_series, Counter()), (report_range, filters)
    actual_agents = {row["agent_id"]: row for row in report["agents"] if row["ratings"]}
    assert {agent: (row["ratings"], row["csat"]) for agent, row in actual_agents.items()} == {
        agent: (n, round(positive / n, 4)) for agent, (n, positive) in expected_agents.items()
    }, (report_range, filters)


def _filters(agents: Agents) -> list[ReportFilter]:
    return [
        ReportFilter(),
        ReportFilter(channel="telegram"),
        ReportFilter(category=TicketCategory.LOGISTICS),
        ReportFilter(agent_id=agents.ann),
        ReportFilter(team=TEAM),
    ]


def _check_every_day(database: Database, agents: Agents) -> None:
    first, last = FIRST_DAY - timedelta(days=1), FIRST_DAY + timedelta(days=DAYS)
    for filters in _filters(agents):
        _check(database, ReportRange(first, last, Grouping.DAY, "Europe/Berlin"), filters)


def _pick(db_session: Session, rng: random.Random, model: Any, *conditions: Any) -> Any:
    query = select(model).where(*conditions).order_by(model.id)
    return rng.choice(list(db_session.scalars(query)))


def _new_rating(db_session: Session, rng: random.Random, agents: Agents) -> None:
    rated = select(CsatRating.conversation_id)
    conversation = _pick(db_session, rng, Conversation, Conversation.id.not_in(rated))
    _rate(db_session, rng, agents, conversation.id)


def _changed_score(db_session: Session, rng: random.Random, _agents: Agents) -> None:
    """A rating flips between positive and not, an NPS answer between promoter and detractor."""
    rating = _pick(db_session, rng, CsatRating)
    rating.score = 1 if rating.score >= 4 else 5
    answer = _pick(db_session, rng, NpsAnswer)
    answer.score = DETRACTOR_MAX if answer.score >= PROMOTER_MIN else PROMOTER_MIN


def _new_rated_agent(db_session: Session, rng: random.Random, agents: Agents) -> None:
    rating = _pick(db_session, rng, CsatRating)
    rating.agent_id = agents.cy if rating.agent_id != agents.cy else agents.ann


def _deleted_rating(db_session: Session, rng: random.Random, _agents: Agents) -> None:
    db_session.delete(_pick(db_session, rng, CsatRating))


def _new_category(db_session: Session, rng: random.Random, _agents: Agents) -> None:
    """A ticket whose conversation has surveys or answers moves to another category."""
    with_feedback = select(NpsAnswer.conversation_id).union(
        select(ConversationEvent.conversation_id).where(ConversationEvent.kind == "csat_requested")
    )
    conversation = _pick(
        db_session,
        rng,
        Conversation,
        Conversation.ticket_id.is_not(None),
        Conversation.id.in_(with_feedback),
    )
    ticket = db_session.get(Ticket, conversation.ticket_id)
    assert ticket is not None
    others = [c for c in TicketCategory if c != ticket.category]
    ticket.category = TicketCategory.LOGISTICS if TicketCategory.LOGISTICS in others else others[0]


def _new_survey(db_session: Session, rng: random.Random, agents: Agents) -> None:
    _survey(db_session, rng, agents, _pick(db_session, rng, Conversation).id)


def _new_answer(db_session: Session, rng: random.Random, agents: Agents) -> None:
    _answer(db_session, rng, agents, _pick(db_session, rng, Conversation).id)


CHANGES = [
    _new_rating,
    _changed_score,
    _new_rated_agent,
    _deleted_rating,
    _new_category,
    _new_survey,
    _new_answer,
]


def test_feedback_rollups_match_the_raw_rows_on_random_ranges(database: Database) -> None:
    rng = random.Random(20261025)
    agents = _seed(database, rng, count=80)
    for _ in range(12):
        first = FIRST_DAY + timedelta(days=rng.randrange(-1, DAYS))
        last = first + timedelta(days=rng.randrange(0, 8))
        group = rng.choice((Grouping.DAY, Grouping.WEEK))
        filters = rng.choice(_filters(agents))
        _check(database, ReportRange(first, last, group, "Europe/Berlin"), filters)


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__.strip("_"))
def test_every_kind_of_feedback_change_reaches_the_rollups(database: Database, change: Any) -> None:
    rng = random.Random(11)
    agents = _seed(database, rng, count=40)
    _check_every_day(database, agents)
    assert_changes_reach_rollups(
        database,
        lambda db_session: change(db_session, rng, agents),
        lambda: _check_every_day(database, agents),
        rounds=3,
    )
