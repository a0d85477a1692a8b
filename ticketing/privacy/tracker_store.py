"""Rasa's tracker store: the assistant's own copy of every chat (texts, slots such as the email
and order number), in Rasa's SQL `events` table under `sender_id` = the hub's conversation id.

`supportbot run` points Rasa at `SUPPORTBOT_RASA_TRACKER_DB` (default `var/rasa_tracker.db`,
see `endpoints.yml`); a production setup may use a database URL instead.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, bindparam, create_engine, inspect, text

from ticketing.settings import REPO_ROOT, normalise_database_url

DEFAULT_PATH = REPO_ROOT / "var" / "rasa_tracker.db"
TABLE = "events"

_SELECT = text(
    "SELECT id, type_name, timestamp, intent_name, action_name, data FROM events "
    "WHERE sender_id IN :senders ORDER BY sender_id, id"
).bindparams(bindparam("senders", expanding=True))
_COUNT = text("SELECT count(*) FROM events WHERE sender_id IN :senders").bindparams(
    bindparam("senders", expanding=True)
)
_DELETE = text("DELETE FROM events WHERE sender_id IN :senders").bindparams(
    bindparam("senders", expanding=True)
)


class TrackerStore:
    """Reading and deleting one person's events in Rasa's SQL tracker store."""

    def __init__(self, url: str, shown: str) -> None:
        self.engine: Engine = create_engine(url)
        self.shown = shown

    def events(self, sender_ids: list[str]) -> list[dict[str, Any]]:
        if not sender_ids:
            return []
        with self.engine.connect() as connection:
            rows = connection.execute(_SELECT, {"senders": sender_ids}).mappings().all()
        return [{**row, "data": _parsed(row["data"])} for row in rows]

    def count(self, sender_ids: list[str]) -> int:
        if not sender_ids:
            return 0
        with self.engine.connect() as connection:
            return int(connection.execute(_COUNT, {"senders": sender_ids}).scalar_one())

    @contextmanager
    def deleting(self, sender_ids: list[str]) -> Iterator[int]:
        """Delete the senders' events in a transaction that commits when the block ends
        without an error (so the caller can commit its own database first)."""
        with self.engine.begin() as connection:
            deleted = 0
            if sender_ids:
                result = connection.execute(_DELETE, {"senders": sender_ids})
                deleted = int(getattr(result, "rowcount", 0) or 0)
            yield deleted

    def dispose(self) -> None:
        self.engine.dispose()


def _parsed(data: Any) -> Any:
    try:
        return json.loads(data) if isinstance(data, str) else data
    except ValueError:
        return data


def locate(where: str | None) -> tuple[TrackerStore | None, str]:
    """The tracker store at `where` (a path or a database URL; default
    SUPPORTBOT_RASA_TRACKER_DB, then var/rasa_tracker.db), or None and why not."""
    where = where or os.environ.get("SUPPORTBOT_RASA_TRACKER_DB") or str(DEFAULT_PATH)
    if "://" in where:
        url, shown = normalise_database_url(where), where.split("@")[-1]  # never print a password
    else:
        path = Path(where)
        if not path.is_file():
            return None, f"no Rasa tracker store at {path}: skipped"
        url, shown = f"sqlite:///{path}", str(path)
    store = TrackerStore(url, shown)
    try:
        found = inspect(store.engine).has_table(TABLE)
    except Exception as error:  # noqa: BLE001 - any driver error: say it and stop
        store.dispose()
        raise RuntimeError(f"cannot open the Rasa tracker store {shown}: {error}") from error
    if not found:
        store.dispose()
        return None, f"the Rasa tracker store {shown} has no {TABLE} table yet: skipped"
    return store, f"Rasa tracker store {shown}"
