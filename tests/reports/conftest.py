"""Fixtures for the report tests: the hand-computed dataset and logged-in API callers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.reports.at_risk_data import People, seed_people
from tests.reports.dataset import PASSWORD, Staff, seed
from ticketing.db import Database
from ticketing.reports import summary
from ticketing.reports.filters import ReportFilter
from ticketing.reports.periods import Grouping, ReportRange

BERLIN = "Europe/Berlin"
RAW = {"format": "raw"}  # the machine-readable CSV


@pytest.fixture
def staff(database: Database) -> Staff:
    return seed(database)


@pytest.fixture
def people(database: Database, staff: Staff) -> People:
    """Five customers in the dataset's week, three of them at risk (`at_risk_data`)."""
    return seed_people(database, staff)


@pytest.fixture
def db_session(database: Database, staff: Staff) -> Iterator[Session]:  # noqa: ARG001 - seeded
    with database.session() as session:
        yield session


Report = Callable[..., dict[str, Any]]


@pytest.fixture
def report(database: Database, db_session: Session) -> Report:
    """summary.build for local dates (Berlin), a grouping and filters."""

    def build(
        first: date, last: date, group: Grouping = Grouping.DAY, **filters: Any
    ) -> dict[str, Any]:
        report_range = ReportRange(first, last, group, BERLIN)
        return summary.build(database, db_session, report_range, ReportFilter(**filters))

    return build


def bearer(client: TestClient, username: str) -> dict[str, str]:
    response = client.post("/api/auth/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
