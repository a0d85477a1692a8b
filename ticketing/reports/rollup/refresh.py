"""Bringing the rollups up to date: the local days the marks cover, or every day when the
rollups were never built or were built for another timezone."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.orm import Session

from ticketing.db import Database, utcnow
from ticketing.reports.periods import local_midnight
from ticketing.reports.rollup.marks import EVERY_DAY
from ticketing.reports.rollup.models import RollupMark, RollupState
from ticketing.reports.rollup.registry import ROLLUPS

STATE_ID = 1
LOCK_KEY = 73_190_511  # PostgreSQL advisory lock: one refresh at a time
RUN_DAYS = 31  # local days rebuilt per statement
MARKS_PER_DELETE = 1000
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Refreshed:
    days: int
    rebuilt: bool


def _local_days(utc_days: Iterable[date], zone: ZoneInfo) -> set[date]:
    """The local days that overlap these UTC days."""
    days: set[date] = set()
    for day in utc_days:
        start = datetime.combine(day, time(0), tzinfo=UTC)
        first = start.astimezone(zone).date()
        last = (start + timedelta(days=1) - timedelta(microseconds=1)).astimezone(zone).date()
        days.update(first + timedelta(days=n) for n in range((last - first).days + 1))
    return days


def _every_day(db_session: Session, zone: ZoneInfo) -> set[date]:
    """Every local day from the oldest moment any rollup counts to the newest."""
    moments: list[datetime] = []
    for rollup in ROLLUPS:
        column = rollup.moments
        found = db_session.execute(select(func.min(column), func.max(column))).one()
        moments += [moment for moment in found if moment is not None]
    if not moments:
        return set()
    first, last = min(moments).astimezone(zone).date(), max(moments).astimezone(zone).date()
    return {first + timedelta(days=n) for n in range((last - first).days + 1)}


def runs(days: Iterable[date], longest: int = RUN_DAYS) -> Iterator[tuple[date, date]]:
    """Consecutive days as (first, last) runs of at most `longest` days."""
    run: list[date] = []
    for day in sorted(days):
        if run and (day - run[-1] != timedelta(days=1) or len(run) == longest):
            yield run[0], run[-1]
            run = []
        run.append(day)
    if run:
        yield run[0], run[-1]


def _plain(value: Any) -> Any:
    """A value as its column stores it (enums as their values)."""
    return value.value if isinstance(value, enum.Enum) else value


def _insert(db_session: Session, model: Any, rows: list[Any]) -> None:
    """The rows in one COPY on PostgreSQL (a day of one rollup can be thousands of rows), one
    multi-row INSERT elsewhere; never a unit of work per object."""
    if not rows:
        return
    columns = [column.name for column in model.__table__.columns if column.name != "id"]
    values = [[_plain(getattr(row, name)) for name in columns] for row in rows]
    if db_session.get_bind().dialect.name != "postgresql":
        db_session.execute(insert(model), [dict(zip(columns, row, strict=True)) for row in values])
        return
    cursor = db_session.connection().connection.cursor()
    names = ", ".join(columns)
    with cursor.copy(f"COPY {model.__tablename__} ({names}) FROM STDIN") as copy:
        for row in values:
            copy.write_row(row)


def _rebuild(db_session: Session, days: set[date], zone: ZoneInfo, progress: Progress) -> None:
    done = 0
    for first, last in runs(days):
        start, end = local_midnight(first, zone), local_midnight(last + timedelta(days=1), zone)
        for rollup in ROLLUPS:
            model = rollup.model
            db_session.execute(delete(model).where(model.day >= first, model.day <= last))
            _insert(db_session, model, rollup.build(db_session, start, end, zone))
        done += (last - first).days + 1
        progress(done, len(days))


def _forget(db_session: Session, mark_ids: list[int]) -> None:
    """Delete exactly the marks this refresh read: one committed after it read them (by a
    writer whose rows it may not have seen) must stay for the next refresh."""
    for index in range(0, len(mark_ids), MARKS_PER_DELETE):
        chunk = mark_ids[index : index + MARKS_PER_DELETE]
        db_session.execute(delete(RollupMark).where(RollupMark.id.in_(chunk)))


def _lock(db_session: Session) -> None:
    if db_session.get_bind().dialect.name == "postgresql":
        db_session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})


def refresh(
    database: Database,
    timezone: str,
    *,
    rebuild: bool = False,
    progress: Progress = lambda _done, _total: None,
) -> Refreshed:
    """Recompute the local days (in `timezone`) that changed since the last refresh; every day
    when `rebuild`, when nothing was built yet, or when it was built for another timezone.
    Commits in a short write transaction of its own."""
    zone = ZoneInfo(timezone)
    with database.session(write=True) as db_session:
        _lock(db_session)
        state = db_session.get(RollupState, STATE_ID)
        marks = db_session.execute(select(RollupMark.id, RollupMark.utc_day)).all()
        everything = (
            rebuild
            or state is None
            or state.timezone != timezone
            or any(day == EVERY_DAY for _id, day in marks)
        )
        if everything:
            for rollup in ROLLUPS:
                db_session.execute(delete(rollup.model))
            days = _every_day(db_session, zone)
        else:
            days = _local_days({day for _id, day in marks}, zone)
        _rebuild(db_session, days, zone, progress)
        _forget(db_session, [mark_id for mark_id, _day in marks])
        if state is None:
            db_session.add(RollupState(id=STATE_ID, timezone=timezone, built_at=utcnow()))
        elif everything or days:
            state.timezone, state.built_at = timezone, utcnow()
    return Refreshed(days=len(days), rebuilt=everything)
