"""Two independent parts of one report read side by side on PostgreSQL.

Each part runs in its own connection, both on the snapshot of the caller's transaction
(`pg_export_snapshot` / `SET TRANSACTION SNAPSHOT`, as `pg_dump --jobs` does), so together
they see exactly what one REPEATABLE READ transaction would, and the server works on them on
several cores. On SQLite they run one after the other in the caller's session.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from sqlalchemy import text
from sqlalchemy.orm import Session

from ticketing.db import Database

A = TypeVar("A")
B = TypeVar("B")

SNAPSHOT_ID = re.compile(r"[0-9A-F]+(-[0-9A-F]+)+")
ISOLATION = {"isolation_level": "REPEATABLE READ"}


def read_side_by_side(
    database: Database,
    db_session: Session,
    first: Callable[[Session], A],
    second: Callable[[Session], B],
) -> tuple[A, B]:
    """Both parts' results. `first` runs in `db_session`, whose transaction is ended first and
    then held open at REPEATABLE READ until both are done; `second` in a thread of its own."""
    if database.dialect != "postgresql":
        return first(db_session), second(db_session)
    db_session.commit()
    db_session.connection(execution_options=ISOLATION)
    snapshot = str(db_session.scalar(text("SELECT pg_export_snapshot()")))
    if not SNAPSHOT_ID.fullmatch(snapshot):
        raise RuntimeError(f"unexpected snapshot id from PostgreSQL: {snapshot!r}")
    with ThreadPoolExecutor(max_workers=1) as pool:
        other = pool.submit(_on_snapshot, database, snapshot, second)
        return first(db_session), other.result()


def _on_snapshot(database: Database, snapshot: str, part: Callable[[Session], B]) -> B:
    with database.session() as db_session:
        db_session.connection(execution_options=ISOLATION)
        db_session.execute(text(f"SET TRANSACTION SNAPSHOT '{snapshot}'"))  # checked id
        return part(db_session)
