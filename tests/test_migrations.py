"""`alembic upgrade head` on an empty database builds exactly the schema the models declare."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

import ticketing.models
from ticketing.cli.db import upgrade_head


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
