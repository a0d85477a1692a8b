"""Migration 0009 (duration rollups, one row per duration) on a database whose rollups were
built under 0008: the old counted rows go, the next report rebuilds every rollup with the exact
durations, and the downgrade brings the old columns back, empty, for a rebuild too."""

from __future__ import annotations

from datetime import date

from alembic import command
from sqlalchemy import Engine, func, inspect, select, table, text

from ticketing.cli.db import alembic_config
from ticketing.db import Database, make_engine
from ticketing.reports import summary
from ticketing.reports.filters import ReportFilter
from ticketing.reports.periods import Grouping, ReportRange

CREATED = "2026-11-23 10:00:00+00:00"
RESOLVED = "2026-11-23 10:20:34.5+00:00"  # 1234.5 s later: 1230 when kept to 3 digits


def _seed_0008(engine: Engine) -> None:
    """A resolved conversation, and rollups as 0008 built them (counted, 3 digits)."""
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO conversations (id, channel, external_id, owner, csat_state, context,"
                " created_at, updated_at, resolved_at) VALUES ('web-ada', 'web', 'ada',"
                " 'resolved', 'none', '{}', :created, :resolved, :resolved)"
            ),
            {"created": CREATED, "resolved": RESOLVED},
        )
        connection.execute(
            text(
                "INSERT INTO report_resolution_days (day, channel, category, agent_id, seconds,"
                " n, total_seconds) VALUES ('2026-11-23', 'web', NULL, NULL, 1230, 1, 1234.5)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO report_rollup_state (id, timezone, built_at)"
                " VALUES (1, 'Europe/Berlin', :created)"
            ),
            {"created": CREATED},
        )


def _columns(engine: Engine, table: str) -> set[str]:
    return {column["name"] for column in inspect(engine).get_columns(table)}


def _count(engine: Engine, name: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table(name))).scalar_one())


def _resolution_median(url: str) -> float | None:
    database = Database(url)
    try:
        with database.session() as db_session:
            day = date(2026, 11, 23)
            report = summary.build(
                database,
                db_session,
                ReportRange(day, day, Grouping.DAY, "Europe/Berlin"),
                ReportFilter(),
            )
        return report["totals"]["resolution_median_seconds"]  # type: ignore[no-any-return]
    finally:
        database.dispose()


def test_0009_empties_the_duration_rollups_for_an_exact_rebuild(empty_database_url: str) -> None:
    config = alembic_config(empty_database_url)
    command.upgrade(config, "0008")
    engine = make_engine(empty_database_url)
    try:
        _seed_0008(engine)
        command.upgrade(config, "0009")
        assert "n" not in _columns(engine, "report_resolution_days")
        assert "total_seconds" not in _columns(engine, "report_duration_days")
        assert _count(engine, "report_resolution_days") == 0
        assert _count(engine, "report_rollup_state") == 0
        assert _count(engine, "conversations") == 1

        command.upgrade(config, "head")  # the report code of today reads today's schema
        assert _resolution_median(empty_database_url) == 1234.5  # rebuilt, exact
        assert _count(engine, "report_resolution_days") == 1

        command.downgrade(config, "0008")
        assert {"n", "total_seconds"} <= _columns(engine, "report_duration_days")
        assert _count(engine, "report_resolution_days") == 0
        assert _count(engine, "report_rollup_state") == 0
        command.upgrade(config, "head")
        assert _resolution_median(empty_database_url) == 1234.5
    finally:
        engine.dispose()
