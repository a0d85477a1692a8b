"""Fixtures for privacy tests: the app with a fake Rasa, three people seeded through the real
API and hub, Rasa's tracker store in a temporary file, and the CLI's environment."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import SECRET, Clock
from tests.fake_rasa import FakeRasa, running_fake_rasa
from tests.privacy.people import People, make_tracker_store, seed_people
from ticketing.app import create_app
from ticketing.db import Database
from ticketing.settings import Settings, get_settings


@pytest.fixture
def rasa() -> Iterator[FakeRasa]:
    with running_fake_rasa() as fake:
        yield fake


@pytest.fixture
def app_client(
    database: Database, settings: Settings, clock: Clock, rasa: FakeRasa
) -> Iterator[TestClient]:
    app = create_app(
        settings.model_copy(update={"rasa_url": rasa.url, "rasa_timeout_seconds": 5.0}),
        database=database,
        clock=clock,
    )
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def tracker_db(tmp_path: Path) -> Path:
    return make_tracker_store(tmp_path / "rasa_tracker.db")


@pytest.fixture
def people(app_client: TestClient, database: Database, clock: Clock, tracker_db: Path) -> People:
    return seed_people(app_client, database, clock, tracker_db)


@pytest.fixture
def cli_env(
    database: Database,
    redis_url: str | None,
    tracker_db: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[None]:
    """What `supportbot privacy` reads: this test's database, Redis, secret and tracker store
    (never the developer's var/rasa_tracker.db)."""
    monkeypatch.setenv("SUPPORTBOT_ENVIRONMENT", "test")
    monkeypatch.setenv("SUPPORTBOT_DATABASE_URL", database.url)
    monkeypatch.setenv("SUPPORTBOT_SECRET_KEY", SECRET)
    monkeypatch.setenv("SUPPORTBOT_RASA_TRACKER_DB", str(tracker_db))
    if redis_url:
        monkeypatch.setenv("SUPPORTBOT_REDIS_URL", redis_url)
    else:
        monkeypatch.delenv("SUPPORTBOT_REDIS_URL", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
