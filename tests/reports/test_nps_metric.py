"""ticketing/reports/nps.py against hand-computed values.

The shop is in Europe/Berlin (UTC+1 in November); the range is Mon 16 .. Fri 20 Nov 2026.

  a1 Mon 16 10:00 local  10  web       ann  logistics
  a2 Mon 16 11:00 local   9  telegram
  a3 Mon 16 12:00 local   8  web       ann  payment
  a4 Mon 16 13:00 local   3  web       bob  logistics
  a5 Tue 17 09:00 local   7  telegram  bob
  a6 Tue 17 10:00 local   8  telegram
  a7 Wed 18 23:59:59 local  2  web            (the last second of Wednesday)
  a8 Thu 19 00:00:00 local 10  web       ann  logistics (the first second of Thursday)
  out: Sun 15 23:59:59 local (0) and Sat 21 00:00 local (0), outside the range

  Mon: 4 answers, promoters 10 and 9, detractor 3: (2 - 1) / 4 = +25
  Tue: passives only: 0 (not None)      Wed: -100      Thu: +100      Fri: none: None
  Week: 8 answers, 3 promoters, 2 detractors: +12.5
  telegram: 9, 7, 8: +33.33    ann: 10, 8, 10: +66.67    bob: 3, 7: -50
  logistics: 10, 3, 10: +33.33
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from itertools import count

import pytest
from sqlalchemy.orm import Session

from tests.factories import make_staff
from tests.reports.dataset import Builder
from ticketing.db import Database
from ticketing.feedback.nps_models import NpsAnswer
from ticketing.reports.filters import ReportFilter
from ticketing.reports.nps import nps, score
from ticketing.reports.periods import Grouping, ReportRange
from ticketing.reports.rollup.refresh import refresh
from ticketing.reports.series import Series
from ticketing.staff.models import StaffRole
from ticketing.tickets.models import TicketCategory

BERLIN = "Europe/Berlin"
MON, FRI = date(2026, 11, 16), date(2026, 11, 20)
_names = count(1)


def utc(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, second, tzinfo=UTC)


def add_answer(
    builder: Builder,
    value: int,
    moment: datetime,
    channel: str = "web",
    agent_id: int | None = None,
    category: TicketCategory | None = None,
) -> None:
    ticket = builder.ticket(category, moment) if category is not None else None
    name = builder.conversation(
        f"nps-{next(_names)}", channel, moment, ticket_id=ticket.id if ticket else None
    )
    builder.db.add(
        NpsAnswer(
            conversation_id=name,
            score=value,
            channel=channel,
            external_id=name,
            agent_id=agent_id,
            asked_at=moment,
            created_at=moment,
        )
    )


@pytest.fixture
def people(database: Database) -> dict[str, int]:
    with database.session(write=True) as s:
        ann, bob = (make_staff(s, name, StaffRole.AGENT).id for name in ("ann", "bob"))
        b = Builder(s)
        add_answer(b, 10, utc(16, 9), agent_id=ann, category=TicketCategory.LOGISTICS)
        add_answer(b, 9, utc(16, 10), channel="telegram")
        add_answer(b, 8, utc(16, 11), agent_id=ann, category=TicketCategory.PAYMENT)
        add_answer(b, 3, utc(16, 12), agent_id=bob, category=TicketCategory.LOGISTICS)
        add_answer(b, 7, utc(17, 8), channel="telegram", agent_id=bob)
        add_answer(b, 8, utc(17, 9), channel="telegram")
        add_answer(b, 2, utc(18, 22, 59, 59))
        add_answer(b, 10, utc(18, 23), agent_id=ann, category=TicketCategory.LOGISTICS)
        add_answer(b, 0, utc(15, 22, 59, 59))
        add_answer(b, 0, utc(20, 23))
    refresh(database, BERLIN)  # nps() reads the daily rollups
    return {"ann": ann, "bob": bob}


def report(db_session: Session, group: Grouping = Grouping.DAY, **filters: object) -> Series:
    buckets = ReportRange(MON, FRI, group, BERLIN).buckets()
    return nps(db_session, buckets, ReportFilter(**filters))  # type: ignore[arg-type]


def test_daily_buckets_and_their_boundaries(database: Database, people: dict[str, int]) -> None:
    with database.session() as s:
        days = report(s).buckets

    assert [d["nps"] for d in days] == [25.0, 0.0, -100.0, 100.0, None]
    assert [d["nps_answers"] for d in days] == [4, 2, 1, 1, 0]
    assert [d["nps_promoters"] for d in days] == [2, 0, 0, 1, 0]
    assert [d["nps_detractors"] for d in days] == [1, 0, 1, 0, 0]


def test_the_week_as_one_bucket(database: Database, people: dict[str, int]) -> None:
    with database.session() as s:
        [week] = report(s, Grouping.WEEK).buckets
        days = report(s)

    assert week == {"nps": 12.5, "nps_answers": 8, "nps_promoters": 3, "nps_detractors": 2}
    assert days.total == week  # the days' answers added up, not averaged


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"channel": "telegram"}, (33.33, 3, 1, 0)),
        ({"agent": "ann"}, (66.67, 3, 2, 0)),
        ({"agent": "bob"}, (-50.0, 2, 0, 1)),
        ({"category": TicketCategory.LOGISTICS}, (33.33, 3, 2, 1)),
        ({"category": TicketCategory.AFTER_SALES}, (None, 0, 0, 0)),
    ],
)
def test_filters(database: Database, people: dict[str, int], filters, expected) -> None:
    if "agent" in filters:
        filters = {"agent_id": people[filters["agent"]]}
    with database.session() as s:
        [week] = report(s, Grouping.WEEK, **filters).buckets

    assert tuple(week.values()) == expected
    assert list(week) == ["nps", "nps_answers", "nps_promoters", "nps_detractors"]


def test_no_answers_at_all_is_none_not_zero(database: Database) -> None:
    with database.session() as s:
        days = report(s)

    assert (
        days.buckets
        == [{"nps": None, "nps_answers": 0, "nps_promoters": 0, "nps_detractors": 0}] * 5
    )
    assert days.total == days.buckets[0]


@pytest.mark.parametrize(
    ("promoters", "detractors", "answers", "expected"),
    [(0, 0, 0, None), (0, 0, 5, 0.0), (1, 0, 3, 33.33), (0, 2, 3, -66.67), (4, 0, 4, 100.0)],
)
def test_the_score_rounds_like_a_rate(promoters, detractors, answers, expected) -> None:
    assert score(promoters, detractors, answers) == expected
