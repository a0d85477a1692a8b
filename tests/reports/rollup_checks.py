"""What the rollup tests share: moments near the midnights where a Berlin day and a UTC day
differ (around the 2026-10-25 DST change), and the loop that applies a change and checks that
it marked days, that every day still matches the raw rows and that the refresh used the marks."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ticketing.db import Database
from ticketing.reports.periods import local_midnight
from ticketing.reports.rollup.models import RollupMark

BERLIN = ZoneInfo("Europe/Berlin")
FIRST_DAY = date(2026, 10, 20)  # Berlin leaves summer time on Sunday 2026-10-25
DAYS = 12


def near_midnight(rng: random.Random, *, fractional: bool = False) -> datetime:
    """Often within an hour of a Berlin or UTC midnight of FIRST_DAY .. + DAYS, where local
    and UTC days differ; `fractional`: minutes with fractions of a second."""
    day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    base = (
        local_midnight(day, BERLIN)
        if rng.random() < 0.5
        else datetime.combine(day, datetime.min.time(), tzinfo=UTC)
    )
    if rng.random() >= 0.7:
        return base + timedelta(minutes=600)
    offset = rng.uniform(-60, 60) if fractional else rng.randrange(-60, 60)
    return base + timedelta(minutes=offset)


def _marks(database: Database) -> int:
    with database.session() as db_session:
        return int(db_session.scalar(select(func.count(RollupMark.id))) or 0)


def assert_changes_reach_rollups(
    database: Database,
    change: Callable[[Session], None],
    check_every_day: Callable[[], None],
    *,
    rounds: int,
) -> None:
    """`rounds` times: make the change, see it marked, check every day, see the marks used."""
    for _ in range(rounds):
        with database.session(write=True) as db_session:
            change(db_session)
        assert _marks(database) > 0
        check_every_day()
        assert _marks(database) == 0
