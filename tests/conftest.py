"""Shared fixtures: a real database per test (SQLite, and PostgreSQL when configured), an empty
one for migration tests, the app wired to it with a controllable clock (and to a fake Rasa), and
service/customer/staff credentials."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

import ticketing.models
import ticketing.staff.passwords
from tests import workers
from tests.fake_rasa import FakeRasa, running_fake_rasa
from ticketing.app import create_app
from ticketing.db import Database
from ticketing.settings import Settings, normalise_database_url

POSTGRES_URL = workers.database_url(
    normalise_database_url(os.environ.get("SUPPORTBOT_TEST_DATABASE_URL") or "") or None
)
REDIS_URL = workers.redis_url(os.environ.get("SUPPORTBOT_TEST_REDIS_URL"))
SERVICE_KEY = "test-service-key-0123456789"
SECRET = "test-secret-key-for-signing-0123456789"

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


class Clock:
    """A clock tests can move."""

    def __init__(self) -> None:
        self.now = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


# What loads the real Rasa model (a minute or more of both cores): one worker runs all of it.
RASA_PARTS = (
    "tests/dialogue/",
    "tests/faults/",
    "tests/bot/test_rasa_project.py",
)


def _loads_rasa(nodeid: str) -> bool:
    return nodeid.startswith(RASA_PARTS)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """What loads the real Rasa model first: it is the longest share of `make test`'s two
    workers, so it starts at once while the other worker runs everything else."""
    items.sort(key=lambda item: not _loads_rasa(item.nodeid))  # stable: the rest keeps its order


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook: fine without the plugin too
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`make test`'s two workers get whole files (module fixtures start servers and browsers
    once), and everything that loads the real Rasa model goes to one worker, so two models
    never load at once. (pytest-xdist's `xdist_group` marks do nothing under pytest 9.2.)"""
    from xdist.scheduler import LoadScopeScheduling

    class FilesAndRasa(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "rasa" if _loads_rasa(nodeid) else nodeid.split("::", 1)[0]

    return FilesAndRasa(config, log)


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashes() -> Iterator[None]:
    """Staff passwords hashed with argon2id at its smallest cost in this test process: the
    default cost (~0.2 s a hash, more on a busy machine) is not what the tests measure, and
    hashes carry their parameters, so logins verify exactly as they do in production. Servers
    the tests start as processes keep the real cost."""
    patch = pytest.MonkeyPatch()
    patch.setattr(
        ticketing.staff.passwords,
        "_hasher",
        PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
    )
    yield
    patch.undo()


_fresh_schema: list[bool] = []  # the PostgreSQL schema was rebuilt in this test session


def _postgres_database() -> Database:
    """The test database, emptied. The first use in a session rebuilds the schema: tables left
    by an older checkout (a CI run before) would otherwise keep their old columns, since
    `create_all` only adds missing tables."""
    assert POSTGRES_URL, "SUPPORTBOT_TEST_DATABASE_URL is not set"
    database = Database(POSTGRES_URL)
    tables = ", ".join(t.name for t in ticketing.models.Base.metadata.sorted_tables)
    with database.engine.begin() as connection:
        if not _fresh_schema:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
            _fresh_schema.append(True)
        ticketing.models.Base.metadata.create_all(connection)
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    return database


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """An empty database with the current schema: SQLite file, or PostgreSQL when configured."""
    if request.param == "postgres":
        if not POSTGRES_URL:
            pytest.skip("SUPPORTBOT_TEST_DATABASE_URL not set")
        db = _postgres_database()
    else:
        db = Database(f"sqlite:///{tmp_path / 'test.db'}")
        ticketing.models.Base.metadata.create_all(db.engine)
    yield db
    db.dispose()


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a database with no tables, for migrations to build: a SQLite file, or a
    PostgreSQL database of its own (created and dropped here) when configured."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    if not POSTGRES_URL:
        pytest.skip("SUPPORTBOT_TEST_DATABASE_URL not set")
    admin_url = normalise_database_url(POSTGRES_URL)
    name = f"sb_migrations_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def flushed_redis() -> str | None:
    """The worker's test Redis emptied (its counters, e.g. new chats per IP, start at zero),
    else None (in-process fallbacks)."""
    if not REDIS_URL:
        return None
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    client.close()
    return REDIS_URL


@pytest.fixture
def redis_url() -> str | None:
    """The test Redis (flushed) when configured, else None (in-process fallbacks)."""
    return flushed_redis()


@pytest.fixture(scope="module")
def module_redis_url() -> str | None:
    """`redis_url` for a module's server: flushed once, before the module's first test."""
    return flushed_redis()


@pytest.fixture
def settings(tmp_path: Path, redis_url: str | None) -> Settings:
    return Settings(
        environment="test",
        database_url="sqlite:///unused",
        redis_url=redis_url,
        secret_key=SECRET,
        service_api_keys=f"{SERVICE_KEY},rotated-{SERVICE_KEY}",
        rasa_url=None,
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client(database: Database, settings: Settings, clock: Clock) -> Iterator[TestClient]:
    app = create_app(settings, database=database, clock=clock)
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def rasa() -> Iterator[FakeRasa]:
    with running_fake_rasa() as fake:
        yield fake


@pytest.fixture
def hub_client(
    database: Database, settings: Settings, clock: Clock, rasa: FakeRasa
) -> Iterator[TestClient]:
    """The app with its bot answering through the fake `rasa` (unlike `client`, whose bot is
    down)."""
    app = create_app(
        settings.model_copy(update={"rasa_url": rasa.url, "rasa_timeout_seconds": 5.0}),
        database=database,
        clock=clock,
    )
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def service_headers() -> dict[str, str]:
    return {"X-Api-Key": SERVICE_KEY}


def new_key() -> str:
    """A fresh Idempotency-Key."""
    return f"test-{uuid.uuid4()}"
