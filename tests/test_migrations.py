"""`alembic upgrade head` on an empty database builds exactly the schema the models declare."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

import ticketing.models
from tests.conftest import POSTGRES_URL
from ticketing.cli.db import upgrade_head
from ticketing.settings import normalise_database_url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
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


def test_upgrade_head_matches_the_models(empty_database_url: str) -> None:
    upgrade_head(empty_database_url)
    upgrade_head(empty_database_url)  # a second run is a no-op
    engine = create_engine(empty_database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, ticketing.models.Base.metadata)
        tables = set(inspect(connection).get_table_names())
    engine.dispose()
    assert differences == []
    assert set(ticketing.models.Base.metadata.tables) <= tables
