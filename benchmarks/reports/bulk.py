"""Loading many rows into PostgreSQL quickly: COPY, secondary indexes dropped during the load and
rebuilt after it (the same definitions, read from the catalogue), foreign-key triggers off for
the loading session (the generator writes consistent ids; `verify.py` checks them after)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import psycopg

from benchmarks.reports.progress import Progress

Connection = psycopg.Connection[tuple[object, ...]]
EPOCH_DATE = date(1970, 1, 1)

LOADED_TABLES = (
    "staff_users",
    "customers",
    "orders",
    "order_items",
    "returns",
    "return_items",
    "refunds",
    "tickets",
    "ticket_events",
    "conversations",
    "messages",
    "conversation_events",
    "csat_ratings",
)


@dataclass(frozen=True)
class Schema:
    """Parts of the schema other work is adding; the generator fills them when present."""

    nps: bool  # the nps_answers table and conversations.nps_asked_at
    teams: bool  # staff_users.team

    @property
    def tables(self) -> tuple[str, ...]:
        return (*LOADED_TABLES, "nps_answers") if self.nps else LOADED_TABLES


def read_schema(conn: Connection) -> Schema:
    def has_column(table: str, column: str) -> bool:
        found = conn.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_schema = 'public' "
            "AND table_name = %s AND column_name = %s",
            (table, column),
        ).fetchone()
        return found is not None

    return Schema(
        nps=has_column("nps_answers", "id") and has_column("conversations", "nps_asked_at"),
        teams=has_column("staff_users", "team"),
    )


def libpq_url(url: str) -> str:
    """`postgresql+psycopg://...` (SQLAlchemy) as the plain URL psycopg takes."""
    for prefix in ("postgresql+psycopg://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql://" + url[len(prefix) :]
    return url


def sqlalchemy_url(url: str) -> str:
    return "postgresql+psycopg://" + libpq_url(url)[len("postgresql://") :]


def connect(url: str, *, autocommit: bool = False) -> Connection:
    return psycopg.connect(libpq_url(url), autocommit=autocommit)


def has_rows(conn: Connection, table: str) -> bool:
    found = conn.execute("SELECT to_regclass(%s) IS NOT NULL", (f"public.{table}",)).fetchone()
    if not found or not found[0]:
        return False
    return conn.execute(f"SELECT EXISTS (SELECT 1 FROM {table})").fetchone() == (True,)  # noqa: S608


def reset_schema(conn: Connection) -> None:
    """Everything in the database's public schema is dropped."""
    conn.execute("DROP SCHEMA public CASCADE")
    conn.execute("CREATE SCHEMA public")
    conn.commit()


def secondary_indexes(conn: Connection, tables: Sequence[str]) -> list[tuple[str, str]]:
    """(name, CREATE INDEX ...) of every index on `tables` that backs no constraint."""
    rows = conn.execute(
        """
        SELECT i.indexname, i.indexdef
        FROM pg_indexes i
        WHERE i.schemaname = 'public' AND i.tablename = ANY(%s)
          AND NOT EXISTS (
            SELECT 1 FROM pg_constraint c
            WHERE c.conindid = format('%%I.%%I', i.schemaname, i.indexname)::regclass
          )
        ORDER BY i.tablename, i.indexname
        """,
        (list(tables),),
    ).fetchall()
    return [(str(name), str(definition)) for name, definition in rows]


def drop_indexes(conn: Connection, names: Iterable[str]) -> None:
    for name in names:
        conn.execute(f'DROP INDEX "{name}"')
    conn.commit()


def rebuild_indexes(conn: Connection, definitions: Sequence[tuple[str, str]]) -> None:
    """CREATE INDEX again, one core (a CI run shares this machine), with progress."""
    conn.execute("SET maintenance_work_mem = '512MB'")
    conn.execute("SET max_parallel_maintenance_workers = 0")
    progress = Progress("indexes", len(definitions), unit="indexes")
    for done, (_name, definition) in enumerate(definitions, 1):
        conn.execute(definition)
        conn.commit()
        progress.update(done, 0)
    progress.finish()


def triggers_off(conn: Connection) -> bool:
    """Skip foreign-key triggers in this session (superuser only); whether that worked."""
    superuser = conn.execute(
        "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
    ).fetchone()
    if not superuser or not superuser[0]:
        return False
    conn.execute("SET session_replication_role = replica")
    return True


_DAY_TEXT: dict[int, str] = {}
_TIME_TEXT = [f" {s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}." for s in range(86400)]


def timestamp(epoch: float) -> str:
    """UTC epoch seconds as timestamptz text with microseconds (faster than datetime)."""
    day, micros = divmod(int(epoch * 1_000_000), 86_400_000_000)
    prefix = _DAY_TEXT.get(day)
    if prefix is None:
        prefix = _DAY_TEXT[day] = (EPOCH_DATE + timedelta(days=day)).isoformat()
    seconds, micros = divmod(micros, 1_000_000)
    return f"{prefix}{_TIME_TEXT[seconds]}{micros:06d}+00"


def _escaped(value: object) -> str:
    if value is None:
        return "\\N"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_text(rows: Sequence[Sequence[object]], width: int) -> str:
    """Rows in COPY's text format. Values are written with str() (None is NULL); only when the
    counts show a tab, newline or backslash in a value is every value escaped (rarely needed,
    so the common case stays one join)."""
    text = "".join(
        [
            "\t".join(["\\N" if value is None else str(value) for value in row]) + "\n"
            for row in rows
        ]
    )
    if (
        "\\" in text.replace("\\N", "")
        or text.count("\n") != len(rows)
        or text.count("\t") != len(rows) * (width - 1)
    ):
        text = "".join(["\t".join([_escaped(value) for value in row]) + "\n" for row in rows])
    return text


def copy_block(conn: Connection, table: str, columns: Sequence[str], text: str) -> None:
    """COPY rows already in COPY's text format (`copy_text`) into `table`."""
    names = ", ".join(columns)
    with conn.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        copy.write(text)


def set_sequences(conn: Connection, tables: Sequence[str]) -> None:
    """Serial ids continue after the loaded rows, so the app can insert again."""
    for table in tables:
        sequence = conn.execute("SELECT pg_get_serial_sequence(%s, 'id')", (table,)).fetchone()
        if sequence and sequence[0]:
            conn.execute(
                f"SELECT setval(%s, COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)",  # noqa: S608
                (sequence[0],),
            )
    conn.commit()


def vacuum_analyze(url: str, tables: Sequence[str]) -> None:
    """Visibility map and statistics, as autovacuum would leave a long-lived database."""
    with connect(url, autocommit=True) as conn:
        progress = Progress("vacuum analyze", len(tables), unit="tables")
        for done, table in enumerate(tables, 1):
            conn.execute(f"VACUUM (ANALYZE) {table}")
            progress.update(done, 0)
        progress.finish()


def row_counts(conn: Connection, tables: Sequence[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        found = conn.execute(f"SELECT count(*) FROM {table}").fetchone()  # noqa: S608
        counts[table] = int(str(found[0])) if found else 0
    return counts


def database_size(conn: Connection) -> tuple[int, str]:
    found = conn.execute(
        "SELECT pg_database_size(current_database()), "
        "pg_size_pretty(pg_database_size(current_database()))"
    ).fetchone()
    assert found is not None
    return int(str(found[0])), str(found[1])


def table_sizes(conn: Connection, tables: Sequence[str]) -> dict[str, dict[str, str]]:
    """Heap and index size per table, as people read them."""
    sizes = {}
    for table in tables:
        found = conn.execute(
            "SELECT pg_size_pretty(pg_table_size(%s)), pg_size_pretty(pg_indexes_size(%s))",
            (table, table),
        ).fetchone()
        assert found is not None
        sizes[table] = {"table": str(found[0]), "indexes": str(found[1])}
    return sizes
