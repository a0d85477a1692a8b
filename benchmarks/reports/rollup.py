"""A prototype of daily rollups, to size the fix for long ranges and 10x data: per shop-local
day x channel x ticket category x agent, the counts behind volume and CSAT and log-scale
histograms of first response and resolution times. Builds `bench_rollup_*` tables in the
scratch database (nothing in `ticketing/` reads them), then times what a report would ask:
a range by month, with and without a filter.

Differences from the live queries, for whoever builds the real thing: category and agent are
the values at build time (the live report also uses the current ones); "handed off by the end
of the range" becomes "by the time of the rollup" (for ranges that end today, the same); the
median and p90 come from 8-bins-per-doubling histograms (within ~5%).

    .venv/bin/python benchmarks/reports/rollup.py --database-url postgresql+psycopg://...
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from benchmarks.reports import bulk  # noqa: E402 - needs ROOT on sys.path
from ticketing.policy.service import load_file  # noqa: E402
from ticketing.settings import REPO_ROOT  # noqa: E402

BINS_PER_DOUBLING = 8
BUILD = (
    "DROP TABLE IF EXISTS bench_rollup_conversations, bench_rollup_times, bench_rollup_ratings",
    """CREATE TABLE bench_rollup_conversations AS
       SELECT (c.created_at AT TIME ZONE %(tz)s)::date AS day, c.channel, t.category,
              c.assignee_id AS agent_id, count(*) AS conversations,
              count(*) FILTER (WHERE f.handed = 1) AS handed_off,
              count(*) FILTER (WHERE f.resolved = 1 AND coalesce(f.handed, 0) = 0) AS contained
       FROM conversations c
       LEFT JOIN tickets t ON t.id = c.ticket_id
       LEFT JOIN (SELECT conversation_id, max((kind = 'bot_handoff')::int) AS handed,
                         max((kind = 'bot_resolved')::int) AS resolved
                  FROM conversation_events WHERE kind IN ('bot_handoff', 'bot_resolved')
                  GROUP BY conversation_id) f ON f.conversation_id = c.id
       GROUP BY 1, 2, 3, 4""",
    """CREATE TABLE bench_rollup_times AS
       SELECT (e.at AT TIME ZONE %(tz)s)::date AS day, c.channel, t.category,
              e.staff_id AS agent_id, e.kind,
              floor(%(bins)s * ln(greatest((e.data ->> 'seconds')::float, 1)) / ln(2))::int AS bin,
              count(*) AS n
       FROM conversation_events e
       JOIN conversations c ON c.id = e.conversation_id
       LEFT JOIN tickets t ON t.id = c.ticket_id
       WHERE e.kind IN ('first_human_reply', 'resolved') AND e.data ->> 'seconds' IS NOT NULL
       GROUP BY 1, 2, 3, 4, 5, 6""",
    """CREATE TABLE bench_rollup_ratings AS
       SELECT (r.created_at AT TIME ZONE %(tz)s)::date AS day, r.channel, r.category,
              r.agent_id, count(*) AS ratings, count(*) FILTER (WHERE r.score >= 4) AS positive
       FROM csat_ratings r GROUP BY 1, 2, 3, 4""",
    "CREATE INDEX ON bench_rollup_conversations (day)",
    "CREATE INDEX ON bench_rollup_times (kind, day)",
    "CREATE INDEX ON bench_rollup_ratings (day)",
    "ANALYZE bench_rollup_conversations",
    "ANALYZE bench_rollup_times",
    "ANALYZE bench_rollup_ratings",
)
FILTERS = {
    "-": ("TRUE", {}),
    "channel": ("channel = %(channel)s", {"channel": "telegram"}),
    "category": ("category = %(category)s", {"category": "logistics"}),
    "agent": ("agent_id = %(agent)s", {"agent": 7}),
}


def percentile(bins: dict[int, int], fraction: float) -> float | None:
    """The value at `fraction` of the histogram, at the geometric middle of its bin."""
    total = sum(bins.values())
    if not total:
        return None
    seen = 0
    for key in sorted(bins):
        seen += bins[key]
        if seen >= fraction * total:
            return round(2 ** ((key + 0.5) / BINS_PER_DOUBLING), 1)
    return None


def report(
    conn: bulk.Connection, first: date, last: date, where: str, params: dict[str, Any]
) -> Any:
    """What the summary needs per month from the rollups (volume, CSAT, FRT, resolution)."""
    span = {"first": first, "last": last, **params}
    month = "date_trunc('month', day)::date"
    volume = conn.execute(
        f"SELECT {month}, sum(conversations), sum(handed_off), sum(contained) "  # noqa: S608
        f"FROM bench_rollup_conversations WHERE day BETWEEN %(first)s AND %(last)s "
        f"AND {where} GROUP BY 1 ORDER BY 1",
        span,
    ).fetchall()
    ratings = conn.execute(
        f"SELECT {month}, sum(ratings), sum(positive) FROM bench_rollup_ratings "  # noqa: S608
        f"WHERE day BETWEEN %(first)s AND %(last)s AND {where} GROUP BY 1 ORDER BY 1",
        span,
    ).fetchall()
    times = conn.execute(
        f"SELECT {month}, kind, bin, sum(n) FROM bench_rollup_times "  # noqa: S608
        f"WHERE day BETWEEN %(first)s AND %(last)s AND {where} GROUP BY 1, 2, 3",
        span,
    ).fetchall()
    histograms: dict[tuple[Any, str], dict[int, int]] = {}
    for bucket, kind, key, n in times:
        histograms.setdefault((bucket, kind), {})[int(key)] = int(n)
    medians = {key: percentile(bins, 0.5) for key, bins in histograms.items()}
    return volume, ratings, medians


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--database-url", default=os.environ.get("SUPPORTBOT_BENCH_DATABASE_URL"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--label", default="rollup-prototype")
    parser.add_argument("--output", type=Path, default=HERE / "results.json")
    args = parser.parse_args()
    if not args.database_url:
        parser.error("give --database-url or $SUPPORTBOT_BENCH_DATABASE_URL")
    timezone = load_file(REPO_ROOT / "policy.yml").timezone
    with bulk.connect(args.database_url, autocommit=True) as conn:
        conn.execute("SET jit = off")
        started = time.perf_counter()
        for statement in BUILD:
            conn.execute(statement, {"tz": timezone, "bins": BINS_PER_DOUBLING})  # type: ignore[arg-type]
        build_seconds = time.perf_counter() - started
        sizes = {
            table: bulk.row_counts(conn, [table])[table]
            for table in (
                "bench_rollup_conversations",
                "bench_rollup_times",
                "bench_rollup_ratings",
            )
        }
        found = conn.execute(
            "SELECT (max(created_at) AT TIME ZONE %s)::date FROM conversations", (timezone,)
        ).fetchone()
        assert found is not None and found[0] is not None
        last: date = found[0]  # type: ignore[assignment]
        print(f"built in {build_seconds:.1f} s: {sizes}", file=sys.stderr)
        results = []
        for range_name, back in (("12m/month", 364), ("2y/month", 729)):
            for filter_name, (where, params) in FILTERS.items():
                first = last - timedelta(days=back)
                report(conn, first, last, where, params)  # warm up
                timings = []
                for _ in range(args.runs):
                    begun = time.perf_counter()
                    report(conn, first, last, where, params)
                    timings.append((time.perf_counter() - begun) * 1000)
                results.append(
                    {
                        "case": f"{range_name} {filter_name}",
                        "median_ms": round(statistics.median(timings), 1),
                        "max_ms": round(max(timings), 1),
                    }
                )
                print(
                    f"{range_name} {filter_name}: median {results[-1]['median_ms']} ms",
                    file=sys.stderr,
                )
    stored = json.loads(args.output.read_text()) if args.output.exists() else {}
    stored[args.label] = {
        "command": "benchmarks/reports/rollup.py " + " ".join(sys.argv[1:]),
        "build_seconds": round(build_seconds, 1),
        "rows": sizes,
        "bins_per_doubling": BINS_PER_DOUBLING,
        "results": results,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "note": f"log2 histogram error bound: x{math.pow(2, 1 / BINS_PER_DOUBLING):.3f} per bin",
    }
    args.output.write_text(json.dumps(stored, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
