"""Seed a PostgreSQL database with N conversations (default 1,000,000) over two years, with their
messages, events, handoff tickets (history and SLA steps), CSAT ratings, and the shop's
customers, orders, returns and refunds, for the manager reports benchmark.

The schema comes from the project's migrations (`upgrade_head`); rows are written with COPY in
batches while secondary indexes are dropped, then the indexes are rebuilt and the tables
vacuumed and analysed. The same `--seed` and arguments give the same data. Progress (rows/s,
time left) goes to stderr; at the end `verify.py`'s checks run.

    .venv/bin/python benchmarks/reports/generate.py --conversations 10000 --reset \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/helper_bench
"""

from __future__ import annotations

import argparse
import os
import queue
import random
import sys
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.reports import bulk, verify  # noqa: E402 - needs ROOT on sys.path
from benchmarks.reports.progress import Progress  # noqa: E402
from benchmarks.reports.shop import CUSTOMER_COLUMNS, Shop, ShopRows, customers  # noqa: E402
from benchmarks.reports.world import Calendar, build_staff  # noqa: E402
from ticketing.cli.db import upgrade_head  # noqa: E402
from ticketing.db import Database  # noqa: E402
from ticketing.policy.service import load_file  # noqa: E402
from ticketing.reports.rollup.refresh import refresh  # noqa: E402
from ticketing.reports.rollup.registry import ROLLUPS  # noqa: E402
from ticketing.seed.history.rows import Rows  # noqa: E402
from ticketing.seed.history.simulate import Simulator  # noqa: E402
from ticketing.settings import REPO_ROOT  # noqa: E402
from ticketing.staff.passwords import hash_password  # noqa: E402

ENV_URL = "SUPPORTBOT_BENCH_DATABASE_URL"
STAFF_COLUMNS = ("id", "username", "display_name", "password_hash", "role", "active", "created_at")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0] if __doc__ else None,
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--conversations", type=int, default=1_000_000, help="how many")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(ENV_URL),
        help=f"PostgreSQL URL (default: ${ENV_URL})",
    )
    parser.add_argument("--seed", type=int, default=1, help="same seed, same data")
    parser.add_argument("--days", type=int, default=730, help="how many days the data covers")
    parser.add_argument(
        "--end-date",
        type=date.fromisoformat,
        help="last day of data, shop time (default: yesterday in the policy's timezone)",
    )
    parser.add_argument("--orders-per-conversation", type=float, default=0.6)
    parser.add_argument("--customers-per-conversation", type=float, default=0.25)
    parser.add_argument("--agents", type=int, default=40)
    parser.add_argument("--batch", type=int, default=5000, help="conversations per COPY batch")
    parser.add_argument("--password", default="bench-password", help="every seeded staff login")
    parser.add_argument(
        "--reset", action="store_true", help="drop everything in the database's public schema first"
    )
    parser.add_argument("--skip-verify", action="store_true", help="skip the consistency checks")
    parser.add_argument(
        "--skip-rollups",
        action="store_true",
        help="leave the report rollups unbuilt (the first report, or `supportbot reports "
        "rebuild`, builds them)",
    )
    args = parser.parse_args(argv)
    if not args.database_url or not args.database_url.startswith(("postgresql", "postgres://")):
        parser.error(f"give a PostgreSQL URL with --database-url or ${ENV_URL}")
    if args.conversations < 100:
        parser.error("--conversations must be at least 100")
    return args


def _prepare(args: argparse.Namespace) -> tuple[bulk.Schema, list[tuple[str, str]]]:
    """Schema at head, refuses a database with data (unless --reset); what the schema has and
    the indexes dropped for the load."""
    with bulk.connect(args.database_url) as conn:
        if args.reset:
            bulk.reset_schema(conn)
        elif bulk.has_rows(conn, "conversations"):
            sys.exit(
                "The database already holds conversations: pass --reset to drop everything in it "
                "(only on a scratch database), or use another database."
            )
    print("migrating the schema to head ...", file=sys.stderr)
    upgrade_head(bulk.sqlalchemy_url(args.database_url))
    with bulk.connect(args.database_url) as conn:
        schema = bulk.read_schema(conn)
        indexes = bulk.secondary_indexes(conn, schema.tables)
        bulk.drop_indexes(conn, [name for name, _ in indexes])
    return schema, indexes


class Writer:
    """Rows become COPY text in the caller's thread; a second thread sends them and commits,
    so PostgreSQL loads one batch while Python makes the next."""

    def __init__(self, conn: bulk.Connection) -> None:
        self.conn = conn
        self.written: dict[str, int] = {}
        self.queue: queue.Queue[list[tuple[str, tuple[str, ...], str]] | None] = queue.Queue(3)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._send, name="copy", daemon=True)
        self.thread.start()

    def write(self, tables: list[tuple[str, tuple[str, ...], list[tuple[object, ...]]]]) -> None:
        if self.error is not None:
            raise RuntimeError("writing to PostgreSQL failed") from self.error
        blocks = []
        for table, columns, rows in tables:
            if rows:
                blocks.append((table, columns, bulk.copy_text(rows, len(columns))))
                self.written[table] = self.written.get(table, 0) + len(rows)
        self.queue.put(blocks)

    def _send(self) -> None:
        while (blocks := self.queue.get()) is not None:
            if self.error is not None:
                continue  # drain, so the producer never blocks on a dead writer
            try:
                for table, columns, text in blocks:
                    bulk.copy_block(self.conn, table, columns, text)
                self.conn.commit()
            except BaseException as error:  # noqa: BLE001 - re-raised in the main thread
                self.error = error

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise RuntimeError("writing to PostgreSQL failed") from self.error

    @property
    def total(self) -> int:
        return sum(self.written.values())


def _load(args: argparse.Namespace, calendar: Calendar, schema: bulk.Schema) -> dict[str, int]:
    rng = random.Random(args.seed)
    policy = load_file(REPO_ROOT / "policy.yml")
    staff = build_staff(
        rng,
        agents=args.agents,
        start=calendar.start,
        end=calendar.end,
        password_hash=hash_password(args.password),
        teams=schema.teams,
    )
    staff_columns = (*STAFF_COLUMNS, "team") if schema.teams else STAFF_COLUMNS
    with bulk.connect(args.database_url) as conn:
        if not bulk.triggers_off(conn):
            print("not a superuser: foreign keys are checked row by row (slower)", file=sys.stderr)
        writer = Writer(conn)
        customer_count = max(100, int(args.conversations * args.customers_per_conversation))
        customer_rows = list(customers(rng, customer_count, calendar.start))
        writer.write(
            [
                ("staff_users", staff_columns, staff.rows),
                ("customers", CUSTOMER_COLUMNS, customer_rows),
            ]
        )
        tiers = {int(str(row[0])): str(row[5]) for row in customer_rows}
        del customer_rows
        shop = _orders(args, rng, calendar, writer, customer_count)
        simulator = Simulator(
            rng,
            calendar,
            staff.staff,
            policy,
            shop.index,
            tiers,
            nps=schema.nps,
            stamp=bulk.timestamp,
        )
        progress = Progress("conversations", args.conversations)
        seq, next_event, rows = 1, 1, Rows(bulk.timestamp)
        base = writer.total
        for day, count in enumerate(calendar.day_counts(args.conversations)):
            for created in calendar.times_on(rng, day, count):
                simulator.conversation(rows, seq, created)
                seq += 1
                if len(rows.conversations) >= args.batch:
                    writer.write(rows.tables(next_event, nps=schema.nps))
                    next_event += len(rows.events)
                    rows = Rows(bulk.timestamp)
                    progress.update(seq - 1, writer.total - base)
        writer.write(rows.tables(next_event, nps=schema.nps))
        writer.close()
        progress.update(seq - 1, writer.total - base)
        progress.finish()
    return writer.written


def _orders(
    args: argparse.Namespace,
    rng: random.Random,
    calendar: Calendar,
    writer: Writer,
    customer_count: int,
) -> Shop:
    """Orders over the same days as the conversations, so handoffs find recent orders."""
    shop = Shop(rng, calendar, customer_count)
    order_count = int(args.conversations * args.orders_per_conversation)
    progress = Progress("orders", order_count, unit="orders")
    order_id, rows, base = 1, ShopRows(), writer.total
    for day, count in enumerate(calendar.day_counts(order_count)):
        for placed in calendar.times_on(rng, day, count):
            shop.order(rows, order_id, placed)
            order_id += 1
        if len(rows.orders) >= args.batch * 2 or day == calendar.days - 1:
            writer.write(rows.tables())
            rows = ShopRows()
            progress.update(order_id - 1, writer.total - base)
    progress.finish()
    return shop


def _rollups(url: str, timezone: str) -> None:
    """The report rollups of every day (COPY bypasses the marks that keep them up to date)."""
    database = Database(bulk.sqlalchemy_url(url))
    progress = Progress("report rollups", 1, unit="days")

    def show(done: int, total: int) -> None:
        progress.total = total
        progress.update(done, 0)

    try:
        outcome = refresh(database, timezone, rebuild=True, progress=show)
    finally:
        database.dispose()
    progress.finish()
    print(f"rollups: {outcome.days:,} days", file=sys.stderr)
    bulk.vacuum_analyze(url, [rollup.model.__tablename__ for rollup in ROLLUPS])


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    policy = load_file(REPO_ROOT / "policy.yml")
    zone = ZoneInfo(policy.timezone)
    end_day = args.end_date or datetime.now(zone).date() - timedelta(days=1)
    calendar = Calendar(policy, end_day, args.days)
    print(
        f"seeding {args.conversations:,} conversations, {calendar.first_day} .. {end_day} "
        f"({policy.timezone}), seed {args.seed}",
        file=sys.stderr,
    )
    schema, indexes = _prepare(args)
    print(
        f"schema: NPS table {'yes' if schema.nps else 'no'}, staff teams "
        f"{'yes' if schema.teams else 'no'}",
        file=sys.stderr,
    )
    written = _load(args, calendar, schema)
    with bulk.connect(args.database_url) as conn:
        bulk.rebuild_indexes(conn, indexes)
        bulk.set_sequences(conn, schema.tables)
    bulk.vacuum_analyze(args.database_url, schema.tables)
    seconds = time.monotonic() - started
    total = sum(written.values())
    print(f"\nwrote {total:,} rows in {seconds:,.0f} s ({total / seconds:,.0f} rows/s):")
    for table, count in written.items():
        print(f"  {table:<22}{count:>14,}")
    if not args.skip_rollups:
        _rollups(args.database_url, policy.timezone)
    with bulk.connect(args.database_url) as conn:
        print(f"database size: {bulk.database_size(conn)[1]}")
    if args.skip_verify:
        return 0
    return verify.run(args.database_url, end_day)


if __name__ == "__main__":
    sys.exit(main())
