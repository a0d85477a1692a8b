"""Two parts of a report read side by side: on PostgreSQL at the same time, in two connections
that see one snapshot; on SQLite one after the other in the caller's session."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.reports.dataset import Builder, at
from ticketing.conversations.models import Conversation
from ticketing.db import Database
from ticketing.reports.side_by_side import read_side_by_side
from ticketing.staff.models import StaffUser

WAIT = 20  # seconds: far longer than either part needs


def _count(db_session: Session) -> int:
    return int(db_session.scalar(select(func.count(Conversation.id))) or 0)


def _add_conversation(database: Database, name: str) -> None:
    with database.session(write=True) as db_session:
        Builder(db_session).conversation(name, "web", at(16, 9))


def test_both_parts_see_the_snapshot_taken_before_either_ran(database: Database) -> None:
    """A conversation committed while the parts run is seen by neither."""
    _add_conversation(database, "before")
    committed = threading.Event()

    def first(db_session: Session) -> int:
        _add_conversation(database, "during")
        committed.set()
        return _count(db_session)

    def second(db_session: Session) -> int:
        assert committed.wait(WAIT)
        return _count(db_session)

    with database.session() as db_session:
        assert _count(db_session) == 1
        counts = read_side_by_side(database, db_session, first, second)
    assert counts == (1, 1)
    with database.session() as db_session:
        assert _count(db_session) == 2


def test_on_postgresql_the_parts_run_at_the_same_time(database: Database) -> None:
    """Each part waits for the other to start: they can only both finish side by side."""
    if database.dialect != "postgresql":
        pytest.skip("SQLite runs the parts one after the other")
    started = [threading.Event(), threading.Event()]

    def part(mine: int) -> object:
        def run(db_session: Session) -> bool:
            started[mine].set()
            met = started[1 - mine].wait(WAIT)
            db_session.scalar(select(func.count(StaffUser.id)))
            return met

        return run

    with database.session() as db_session:
        assert read_side_by_side(database, db_session, part(0), part(1)) == (True, True)  # type: ignore[arg-type]


def test_a_failing_part_fails_the_whole_read(database: Database) -> None:
    def broken(db_session: Session) -> int:
        raise ValueError("no such metric")

    with database.session() as db_session, pytest.raises(ValueError, match="no such metric"):
        read_side_by_side(database, db_session, _count, broken)
    with database.session() as db_session:
        assert _count(db_session) == 0  # the pool's connections still work
