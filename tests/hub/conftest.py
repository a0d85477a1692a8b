"""Fixtures for the hub: a fake Rasa on loopback and the app pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Clock
from tests.fake_rasa import FakeRasa, running_fake_rasa
from ticketing.app import create_app
from ticketing.db import Database
from ticketing.settings import Settings


@pytest.fixture
def rasa() -> Iterator[FakeRasa]:
    with running_fake_rasa() as fake:
        yield fake


@pytest.fixture
def hub_client(
    database: Database, settings: Settings, clock: Clock, rasa: FakeRasa
) -> Iterator[TestClient]:
    app = create_app(
        settings.model_copy(update={"rasa_url": rasa.url, "rasa_timeout_seconds": 5.0}),
        database=database,
        clock=clock,
    )
    with TestClient(app) as test_client:
        yield test_client
