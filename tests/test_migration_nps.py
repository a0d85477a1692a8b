"""Migration 0006 (NPS) on a database that already holds conversations (with messages and
events referencing them): the new column and table arrive, answers are range-checked, the
downgrade removes both, and no row is lost on the way."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from ticketing.cli.db import alembic_config
from ticketing.db import make_engine

NOW = "2026-11-23 10:00:00+00:00"


def _seed_conversation(engine: Engine) -> None:
    """A conversation with a message and an event, so the table copy has children to keep."""
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO conversations (id, channel, external_id, owner, csat_state, context,"
                " created_at, updated_at) VALUES ('web-ada', 'web', 'ada', 'closed', 'done', '{}',"
                " :now, :now)"
            ),
            {"now": NOW},
        )
        connection.execute(
            text(
                "INSERT INTO messages (conversation_id, direction, sender, text, payload,"
                " created_at) VALUES ('web-ada', 'in', 'customer', 'hello', '{}', :now)"
            ),
            {"now": NOW},
        )
        connection.execute(
            text(
                "INSERT INTO conversation_events (conversation_id, kind, actor, data, at)"
                " VALUES ('web-ada', 'created', 'web', '{}', :now)"
            ),
            {"now": NOW},
        )


def _mark_asked(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE conversations SET nps_asked_at = :now WHERE id = 'web-ada'"),
            {"now": NOW},
        )


def _answer(engine: Engine, score: int, asked_at: str = NOW) -> None:
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO nps_answers (conversation_id, score, channel, external_id, asked_at,"
                " created_at) VALUES ('web-ada', :score, 'web', 'ada', :asked_at, :asked_at)"
            ),
            {"score": score, "asked_at": asked_at},
        )


def _columns(engine: Engine, table: str) -> set[str]:
    with engine.connect() as connection:
        return {column["name"] for column in inspect(connection).get_columns(table)}


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(text(f"SELECT count(*) FROM {table}")))  # noqa: S608


def test_0006_adds_the_nps_column_and_table_and_downgrades(empty_database_url: str) -> None:
    config = alembic_config(empty_database_url)
    command.upgrade(config, "0005")
    engine = make_engine(empty_database_url)
    try:
        _seed_conversation(engine)

        command.upgrade(config, "0006")

        _mark_asked(engine)
        _answer(engine, 10)
        with pytest.raises(IntegrityError):  # one answer per asking
            _answer(engine, 9)
        for day, score in ((24, -1), (25, 11)):
            with pytest.raises(IntegrityError):  # only the score can be wrong here
                _answer(engine, score, asked_at=f"2026-11-{day} 10:00:00+00:00")
        _answer(engine, 0, asked_at="2026-11-26 10:00:00+00:00")
        assert [_count(engine, t) for t in ("messages", "conversation_events")] == [1, 1]
        assert _count(engine, "nps_answers") == 2

        command.downgrade(config, "0005")

        assert "nps_asked_at" not in _columns(engine, "conversations")
        with engine.connect() as connection:
            assert "nps_answers" not in inspect(connection).get_table_names()
        assert [_count(engine, t) for t in ("conversations", "messages")] == [1, 1]

        command.upgrade(config, "head")
        _mark_asked(engine)
        assert "nps_asked_at" in _columns(engine, "conversations")
    finally:
        engine.dispose()
