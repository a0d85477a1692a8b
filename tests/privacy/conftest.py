"""Fixtures for privacy tests: three people seeded through the real API and hub (`hub_client`,
the app with a fake Rasa), Rasa's tracker store in a temporary file, and the CLI's environment."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import SECRET, Clock
from tests.privacy.people import People, make_tracker_store, seed_people
from ticketing.db import Database
from ticketing.settings import get_settings


@pytest.fixture
def tracker_db(tmp_path: Path) -> Path:
    return make_tracker_store(tmp_path / "rasa_tracker.db")


@pytest.fixture
def people(hub_client: TestClient, database: Database, clock: Clock, tracker_db: Path) -> People:
    return seed_people(hub_client, database, clock, tracker_db)


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
