"""Where a report's time goes: every SQL statement `summary.build` runs for one request, with its
time and the report function that issued it, slowest first; `--explain N` prints
EXPLAIN (ANALYZE, BUFFERS) for the N slowest.

    .venv/bin/python benchmarks/reports/explain.py --from 2025-11-23 --to 2026-11-22 \\
        --group month --explain 3 --database-url postgresql+psycopg://...
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import traceback
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402

from benchmarks.reports import bulk  # noqa: E402 - needs ROOT on sys.path
from ticketing.db import Database  # noqa: E402
from ticketing.policy.service import load_file  # noqa: E402
from ticketing.reports import summary  # noqa: E402
from ticketing.reports.filters import ReportFilter  # noqa: E402
from ticketing.reports.periods import Grouping, ReportRange  # noqa: E402
from ticketing.settings import REPO_ROOT  # noqa: E402
from ticketing.tickets.models import TicketCategory  # noqa: E402

SHARED = ("sqlmath.py", "reading.py")  # helpers: name the report function that called them


@dataclass
class Statement:
    sql: str
    parameters: Any
    seconds: float
    caller: str


def _caller() -> str:
    for frame in reversed(traceback.extract_stack()):
        path = Path(frame.filename)
        in_reports = path.parent.name == "reports" and path.parent.parent.name == "ticketing"
        if in_reports and path.name not in SHARED:
            return f"{path.name}:{frame.name}"
    return "?"


def capture(database: Database) -> list[Statement]:
    found: list[Statement] = []
    started: dict[int, float] = {}

    @event.listens_for(database.engine, "before_cursor_execute")
    def _before(_conn: Any, cursor: Any, *_args: Any) -> None:
        started[id(cursor)] = time.perf_counter()

    @event.listens_for(database.engine, "after_cursor_execute")
    def _after(_conn: Any, cursor: Any, sql: str, parameters: Any, *_args: Any) -> None:
        seconds = time.perf_counter() - started.pop(id(cursor), time.perf_counter())
        found.append(Statement(sql, parameters, seconds, _caller()))

    return found


def print_buffers(conn: Any, statements: list[Statement]) -> None:
    """Shared buffers (hit + read) each statement touches, summed per report function."""
    pages: dict[str, int] = {}
    for statement in statements:
        found = conn.exec_driver_sql(
            "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + statement.sql, statement.parameters
        ).scalar()
        plan = (json.loads(found) if isinstance(found, str) else found)[0]["Plan"]
        touched = int(plan.get("Shared Hit Blocks", 0)) + int(plan.get("Shared Read Blocks", 0))
        pages[statement.caller] = pages.get(statement.caller, 0) + touched
    print(f"\nbuffers touched (8 kB pages): {sum(pages.values()):,}")
    for caller, count in sorted(pages.items(), key=lambda kv: -kv[1]):
        print(f"  {count:10,}  {caller}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--database-url", default=os.environ.get("SUPPORTBOT_BENCH_DATABASE_URL"))
    parser.add_argument("--from", dest="first", type=date.fromisoformat, required=True)
    parser.add_argument("--to", dest="last", type=date.fromisoformat, required=True)
    parser.add_argument("--group", choices=[g.value for g in Grouping], default="day")
    parser.add_argument("--channel")
    parser.add_argument("--category", choices=[c.value for c in TicketCategory])
    parser.add_argument("--agent-id", type=int)
    parser.add_argument("--team")
    parser.add_argument("--explain", type=int, default=0, help="EXPLAIN the N slowest")
    parser.add_argument("--top", type=int, default=15, help="statements listed")
    parser.add_argument("--show-sql", action="store_true", help="print the SQL of the listed")
    parser.add_argument(
        "--buffers",
        action="store_true",
        help="run every statement again under EXPLAIN (ANALYZE, BUFFERS): pages read per "
        "report function, a measure of work that does not depend on the machine's load",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="build this often; times are the medians"
    )
    parser.add_argument(
        "--prepare-threshold",
        type=int,
        help="psycopg's prepare_threshold (default 5: a statement run 5 times on a connection "
        "is prepared, and PostgreSQL may then plan it generically); 0 prepares at once",
    )
    args = parser.parse_args()
    if not args.database_url:
        parser.error("give --database-url or $SUPPORTBOT_BENCH_DATABASE_URL")
    return args


def main() -> int:
    args = parse_args()
    database = Database(bulk.sqlalchemy_url(args.database_url))
    if args.prepare_threshold is not None:

        @event.listens_for(database.engine, "connect")
        def _prepare(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.prepare_threshold = args.prepare_threshold

    timezone = load_file(REPO_ROOT / "policy.yml").timezone
    report_range = ReportRange(args.first, args.last, Grouping(args.group), timezone)
    filters = ReportFilter(
        args.channel,
        TicketCategory(args.category) if args.category else None,
        args.agent_id,
        args.team,
    )
    with database.session() as db_session:
        summary.build(database, db_session, report_range, filters)  # warm up
    statements = capture(database)
    totals, sql_totals, per_caller = [], [], []
    for _ in range(args.repeat):
        statements.clear()
        started = time.perf_counter()
        with database.session() as db_session:
            summary.build(database, db_session, report_range, filters)
        totals.append(time.perf_counter() - started)
        sql_totals.append(sum(s.seconds for s in statements))
        by_caller: dict[str, list[float]] = {}
        for statement in statements:
            by_caller.setdefault(statement.caller, []).append(statement.seconds)
        per_caller.append(by_caller)
    print(
        f"summary.build: {statistics.median(totals) * 1000:.0f} ms (median of {args.repeat}), "
        f"{len(statements)} statements, {statistics.median(sql_totals) * 1000:.0f} ms in SQL\n"
    )
    print("each build (ms):", ", ".join(f"{t * 1000:.0f}" for t in totals))
    print("by report function (median ms, statements):")
    callers = per_caller[-1]
    medians = {
        caller: statistics.median(sum(run.get(caller, [0.0])) for run in per_caller)
        for caller in callers
    }
    for caller, seconds in sorted(medians.items(), key=lambda kv: -kv[1]):
        print(f"  {seconds * 1000:8.0f} ms  {len(callers[caller]):3d} x  {caller}")
    ranked = sorted(statements, key=lambda s: -s.seconds)
    print("\nslowest statements:")
    for number, statement in enumerate(ranked[: args.top], 1):
        print(f"  #{number} {statement.seconds * 1000:8.1f} ms  {statement.caller}")
        if args.show_sql:
            print(statement.sql, statement.parameters, "", sep="\n")
    with database.engine.connect() as conn:
        if args.buffers:
            print_buffers(conn, list(ranked))  # a copy: these EXPLAINs are captured too
        for number, statement in enumerate(ranked[: args.explain], 1):
            plan = conn.exec_driver_sql(
                "EXPLAIN (ANALYZE, BUFFERS) " + statement.sql, statement.parameters
            ).all()
            print(f"\n#{number} {statement.caller}\n{statement.sql}\n{statement.parameters}")
            print("\n".join(str(row[0]) for row in plan))
    database.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
