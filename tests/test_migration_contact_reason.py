"""Migration 0011 (the conversation's contact reason) on a database with history: the reason
the reports used to derive (the intent kept with a handoff, else the handoff ticket's category)
becomes the stored one, small talk stays unrecorded, the rollups are marked for a rebuild, and
the downgrade removes the columns without losing a conversation."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Engine, inspect, text

from ticketing.cli.db import alembic_config
from ticketing.db import make_engine

NOW = "2026-11-23 10:00:00+00:00"
# id, context, the ticket's category (None: no ticket)
CONVERSATIONS = [
    ("web-a", '{"intent": "late_delivery", "reason": "requested"}', "logistics"),
    ("web-b", '{"intent": "return_request"}', None),  # the demo history's older name
    ("web-c", '{"intent": "greet"}', "payment"),  # small talk: the ticket's category
    ("web-d", '{"reason": "fallback"}', "after_sales"),
    ("web-e", "{}", None),
]


def _seed(engine: Engine) -> None:
    with engine.begin() as connection:
        for number, (conversation_id, context, category) in enumerate(CONVERSATIONS, start=1):
            ticket_id = None
            if category is not None:
                connection.execute(
                    text(
                        "INSERT INTO tickets (id, number, category, priority, status, source,"
                        " subject, description, channel, context, created_at, updated_at)"
                        " VALUES (:id, :number, :category, 'normal', 'open', 'handoff', 's', 'd',"
                        " 'web', '{}', :now, :now)"
                    ),
                    {"id": number, "number": f"T-{number}", "category": category, "now": NOW},
                )
                ticket_id = number
            connection.execute(
                text(
                    "INSERT INTO conversations (id, channel, external_id, owner, csat_state,"
                    " context, ticket_id, created_at, updated_at) VALUES (:id, 'web', :id,"
                    " 'human', 'none', :context, :ticket, :now, :now)"
                ),
                {"id": conversation_id, "context": context, "ticket": ticket_id, "now": NOW},
            )


def _reasons(engine: Engine) -> dict[str, tuple[str | None, str | None]]:
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT id, contact_reason, contact_reason_source FROM conversations")
        )
        return {row[0]: (row[1], row[2]) for row in rows}


def test_0011_stores_the_reason_the_reports_derived(empty_database_url: str) -> None:
    config = alembic_config(empty_database_url)
    command.upgrade(config, "0010")
    engine = make_engine(empty_database_url)
    try:
        _seed(engine)
        command.upgrade(config, "0011")
        assert _reasons(engine) == {
            "web-a": ("late_delivery", "bot"),
            "web-b": ("return_item", "bot"),
            "web-c": ("payment", "ticket"),
            "web-d": ("after_sales", "ticket"),
            "web-e": (None, None),
        }
        with engine.connect() as connection:
            marks = connection.execute(text("SELECT utc_day FROM report_rollup_marks")).all()
        assert [str(day) for (day,) in marks] == ["0001-01-01"]  # every day is rebuilt

        command.downgrade(config, "0010")
        columns = {c["name"] for c in inspect(engine).get_columns("conversations")}
        assert "contact_reason" not in columns and "contact_reason_source" not in columns
        with engine.connect() as connection:
            count = connection.execute(text("SELECT count(*) FROM conversations")).scalar_one()
        assert count == len(CONVERSATIONS)
    finally:
        engine.dispose()
