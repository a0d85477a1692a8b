"""A small seeded demo shop for the start page tests (argon2 is replaced: slow, not tested)."""

from __future__ import annotations

import pytest

from tests.conftest import Clock
from ticketing.db import Database
from ticketing.seed import DemoSummary, seed_demo


@pytest.fixture
def demo(database: Database, clock: Clock) -> DemoSummary:
    """The demo data seeded today (by the tests' clock) into the test database."""
    with database.session(write=True) as db_session:
        return seed_demo(
            db_session=db_session,
            now=clock.now.replace(hour=0, minute=0),
            customers=30,
            orders=120,
        )
