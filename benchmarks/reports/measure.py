"""Time every report page over real HTTP against a seeded database (see generate.py).

Starts the app (`ticketing.app.create_app`) with uvicorn on loopback, logs in as the seeded
manager through the console's login form, and requests the summary JSON, the HTML page, the
CSV and the agents JSON for four ranges (the last 30 days by day, 12 weeks by week, 12 months by
month, two years by month), each without a filter and with a channel, a category and an agent
filter. Ranges end on the last day that has data. Each case is requested once to warm up and
then `--runs` times; the table shows the median and the max, the SQL statements per request and
the median time spent in them. Results are merged into results.json under `--label`.

    .venv/bin/python benchmarks/reports/measure.py --label 1M \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/helper_bench
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from benchmarks.reports import bulk  # noqa: E402 - needs ROOT on sys.path
from benchmarks.reports.server import log_in, running_app  # noqa: E402
from ticketing.policy.service import load_file  # noqa: E402
from ticketing.settings import REPO_ROOT  # noqa: E402

LIMIT_MS = 1000.0
RANGES = {  # name: (days back from the last day, grouping)
    "30d/day": (29, "day"),
    "12w/week": (83, "week"),
    "12m/month": (364, "month"),
    "2y/month": (729, "month"),
}
FILTERS = {
    "-": {},
    "channel": {"channel": "telegram"},
    "category": {"category": "logistics"},
    "agent": {"agent": "agent07"},
}
PAGES = {  # name: (path, expected content type)
    "json": ("/api/reports/summary", "application/json"),
    "html": ("/reports/", "text/html"),
    "csv": ("/api/reports/summary.csv", "text/csv"),
    "agents": ("/api/reports/agents", "application/json"),
    "at-risk": ("/api/reports/at-risk", "application/json"),
    "at-risk-html": ("/reports/at-risk", "text/html"),  # the page's section, fetched after it
    "training": ("/api/reports/training", "application/json"),
}


@dataclass(frozen=True)
class Case:
    range_name: str
    filter_name: str
    page: str
    params: dict[str, str]

    @property
    def name(self) -> str:
        return f"{self.range_name} {self.filter_name} {self.page}"


def cases(last: date, pages: list[str], schema: bulk.Schema) -> list[Case]:
    filters = {**FILTERS, **({"team": {"team": "logistics"}} if schema.teams else {})}
    found = []
    for range_name, (back, group) in RANGES.items():
        span = {"from": (last - timedelta(days=back)).isoformat(), "to": last.isoformat()}
        for filter_name, extra in filters.items():
            for page in pages:
                found.append(Case(range_name, filter_name, page, {**span, "group": group, **extra}))
    return found


def last_day(url: str) -> date:
    timezone = load_file(REPO_ROOT / "policy.yml").timezone
    with bulk.connect(url) as conn:
        found = conn.execute(
            "SELECT (max(created_at) AT TIME ZONE %s)::date FROM conversations", (timezone,)
        ).fetchone()
    if not found or found[0] is None:
        sys.exit("The database has no conversations: run generate.py first.")
    return found[0]  # type: ignore[return-value]


def database_facts(url: str, schema: bulk.Schema) -> dict[str, Any]:
    with bulk.connect(url) as conn:
        counts = bulk.row_counts(conn, schema.tables)
        size_bytes, size = bulk.database_size(conn)
        settings = {
            name: str(conn.execute(f"SHOW {name}").fetchone()[0])  # type: ignore[index]
            for name in (
                "server_version",
                "shared_buffers",
                "work_mem",
                "jit",
                "max_parallel_workers_per_gather",
                "random_page_cost",
            )
        }
        sizes = bulk.table_sizes(conn, schema.tables)
    return {
        "rows": counts,
        "size": size,
        "size_bytes": size_bytes,
        "tables": sizes,
        "settings": settings,
    }


def machine() -> dict[str, Any]:
    model = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split("\n")[0].split()[1])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "system": platform.platform(),
    }


def measure(client: httpx.Client, meter: Any, case: Case, runs: int, warmup: int) -> dict[str, Any]:
    path, content_type = PAGES[case.page]
    timings, sql_ms, statements, size, status = [], [], 0, 0, 0
    for attempt in range(warmup + runs):
        meter.reset()
        started = time.perf_counter()
        answer = client.get(path, params=case.params)
        elapsed = (time.perf_counter() - started) * 1000
        status, size = answer.status_code, len(answer.content)
        if status != 200 or not answer.headers.get("content-type", "").startswith(content_type):
            raise RuntimeError(f"{case.name}: {status} {answer.text[:300]}")
        if attempt >= warmup:  # the first requests only warm caches
            timings.append(elapsed)
            sql_ms.append(meter.seconds * 1000)
            statements = meter.statements
    return {
        "case": case.name,
        "range": case.range_name,
        "filter": case.filter_name,
        "page": case.page,
        "params": case.params,
        "median_ms": round(statistics.median(timings), 1),
        "max_ms": round(max(timings), 1),
        "min_ms": round(min(timings), 1),
        "runs_ms": [round(t, 1) for t in timings],
        "sql_median_ms": round(statistics.median(sql_ms), 1),
        "statements": statements,
        "bytes": size,
        "status": status,
        "runs": runs,
        "warmup": warmup,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def with_options(url: str, options: str | None) -> str:
    """The URL with libpq `options` (SQLAlchemy hands query parameters to psycopg)."""
    if not options:
        return url
    return f"{url}{'&' if '?' in url else '?'}options={quote(options)}"


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| range | filter | page | median ms | max ms | SQL ms (median) | statements | bytes |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        flag = " **(>= 1 s)**" if r["max_ms"] >= LIMIT_MS else ""
        lines.append(
            f"| {r['range']} | {r['filter']} | {r['page']} | {r['median_ms']:.0f} | "
            f"{r['max_ms']:.0f}{flag} | {r['sql_median_ms']:.0f} | {r['statements']} | "
            f"{r['bytes']:,} |"
        )
    return "\n".join(lines)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0] if __doc__ else None,
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("SUPPORTBOT_BENCH_DATABASE_URL"),
        help="the seeded PostgreSQL database (default: $SUPPORTBOT_BENCH_DATABASE_URL)",
    )
    parser.add_argument("--label", required=True, help="key in results.json, e.g. 1M")
    parser.add_argument("--runs", type=int, default=5, help="timed requests per case")
    parser.add_argument("--warmup", type=int, default=1, help="untimed requests first")
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated subset")
    parser.add_argument(
        "--only", help="only cases whose name contains one of these (comma-separated): '2y/month'"
    )
    parser.add_argument("--username", default="manager")
    parser.add_argument("--password", default="bench-password")
    parser.add_argument(
        "--pg-options",
        help="libpq options for the app's connections, e.g. '-c jit=off' (added to the URL)",
    )
    parser.add_argument("--note", default="", help="kept with the results (what was changed)")
    parser.add_argument("--output", type=Path, default=HERE / "results.json")
    parser.add_argument(
        "--append",
        action="store_true",
        help="keep the label's other cases (measure some cases again, or in several runs)",
    )
    args = parser.parse_args()
    if not args.database_url:
        parser.error("give --database-url or $SUPPORTBOT_BENCH_DATABASE_URL")
    unknown = set(args.pages.split(",")) - set(PAGES)
    if unknown:
        parser.error(f"unknown pages {sorted(unknown)}; choose from {list(PAGES)}")
    return args


def main() -> int:
    args = parse_args()
    url = bulk.sqlalchemy_url(args.database_url)
    last = last_day(url)
    with bulk.connect(url) as conn:
        schema = bulk.read_schema(conn)
    todo = [
        case
        for case in cases(last, args.pages.split(","), schema)
        if not args.only or any(part in case.name for part in args.only.split(","))
    ]
    facts = database_facts(url, schema)
    print(
        f"{facts['rows']['conversations']:,} conversations, {facts['size']}, last day {last}; "
        f"{len(todo)} cases x ({args.warmup} + {args.runs}) requests",
        file=sys.stderr,
    )
    load_before = os.getloadavg()
    started = time.monotonic()
    stored = json.loads(args.output.read_text()) if args.output.exists() else {}
    kept: list[dict[str, Any]] = []
    commands = ["benchmarks/reports/measure.py " + " ".join(sys.argv[1:])]
    if args.append and args.label in stored:
        names = {case.name for case in todo}
        kept = [r for r in stored[args.label]["results"] if r["case"] not in names]
        commands = stored[args.label].get("commands", []) + commands
    results: list[dict[str, Any]] = []

    def save(*, complete: bool) -> dict[str, Any]:
        """Written after every case, so an interrupted run keeps what it measured."""
        merged = kept + results
        order = {case.name: index for index, case in enumerate(cases(last, list(PAGES), schema))}
        merged.sort(key=lambda r: order.get(r["case"], len(order)))
        entry = {
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "complete": complete,
            "commands": commands,
            "note": args.note,
            "pg_options": args.pg_options,
            "last_day": last.isoformat(),
            "wall_seconds": round(time.monotonic() - started, 1),
            "load_average": {
                "before": [round(x, 2) for x in load_before],
                "after": [round(x, 2) for x in os.getloadavg()],
            },
            "machine": machine(),
            "database": facts,
            "slow_cases": sum(1 for r in merged if r["max_ms"] >= LIMIT_MS),
            "results": merged,
        }
        current = json.loads(args.output.read_text()) if args.output.exists() else {}
        current[args.label] = entry
        args.output.write_text(json.dumps(current, indent=2) + "\n")
        return entry

    app_url = with_options(url, args.pg_options)
    with (
        running_app(app_url) as (base_url, meter),
        httpx.Client(base_url=base_url, timeout=900) as client,
    ):
        for name in ("httpx", "supportbot.access"):  # one line per request is too much here
            logging.getLogger(name).setLevel(logging.WARNING)
        log_in(client, args.username, args.password)
        for number, case in enumerate(todo, 1):
            result = measure(client, meter, case, args.runs, args.warmup)
            results.append(result)
            save(complete=False)
            print(
                f"[{number}/{len(todo)}] {case.name}: median {result['median_ms']:.0f} ms, "
                f"max {result['max_ms']:.0f} ms",
                file=sys.stderr,
            )
    entry = save(complete=True)
    print(table(results))
    print(
        f"\n{entry['slow_cases']} of {len(results)} cases took >= 1 s at least once; "
        f"written to {args.output} under {args.label!r}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
