"""One seeded app per backend (SQLite; PostgreSQL when configured) for the whole fuzz module.

Unlike the other tests' fresh database per test, the fuzzer's operations share one shop: seeding
costs seconds (password hashing, a dozen API calls), and every operation running against what
the earlier ones left behind is closer to real traffic. A failure is reproduced by running the
module (Hypothesis is derandomized, so the same examples run in the same order).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from fastapi.testclient import TestClient

import ticketing.models
from tests.conftest import (
    BACKENDS,
    POSTGRES_URL,
    REDIS_URL,
    SECRET,
    SERVICE_KEY,
    Clock,
    _postgres_database,
)
from tests.fuzz.world import World, seed
from ticketing.app import create_app
from ticketing.db import Database
from ticketing.settings import Settings


@pytest.fixture(scope="module", params=BACKENDS)
def fuzz_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    if request.param == "postgres":
        if not POSTGRES_URL:
            pytest.skip("SUPPORTBOT_TEST_DATABASE_URL not set")
        database = _postgres_database()
    else:
        path: Path = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
        database = Database(f"sqlite:///{path}")
        ticketing.models.Base.metadata.create_all(database.engine)
    yield database
    database.dispose()


def fuzz_settings() -> Settings:
    """The test settings, with message limits high enough that the chat and webhook
    operations are not all refused after the first minute's worth of examples."""
    if REDIS_URL:
        client = redis.Redis.from_url(REDIS_URL)
        client.flushdb()
        client.close()
    return Settings(
        environment="test",
        database_url="sqlite:///unused",
        redis_url=REDIS_URL,
        secret_key=SECRET,
        service_api_keys=SERVICE_KEY,
        rasa_url=None,
        message_limit_per_conversation=1000,
        message_limit_per_ip=1000,
        chat_session_limit_per_ip=1000,
    )


@pytest.fixture(scope="module")
def fuzz_client(fuzz_database: Database) -> Iterator[tuple[TestClient, World]]:
    """The app on `fuzz_database`, seeded, with the credentials and ids of what exists."""
    clock = Clock()
    app = create_app(fuzz_settings(), database=fuzz_database, clock=clock)
    with TestClient(app) as client:
        yield client, seed(client, fuzz_database, clock)
