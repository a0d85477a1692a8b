"""Checks that seeded data is consistent and that every report metric has something to show.

- Every reference points at an existing row (the loader skips foreign-key triggers).
- The state machine holds: one `created` event first; conversations with a person = handoffs
  minus endings (what `reports/backlog.py` relies on); one `csat_submitted` per rating; columns
  such as `resolved_at` agree with the events.
- `summary.build` over the last 30 days (by day) and the last 12 months (by month), with and
  without each filter, gives no null metric except those the report lists as unavailable;
  every day has conversations, ratings and first replies; most agents handled conversations.

    .venv/bin/python benchmarks/reports/verify.py --database-url postgresql+psycopg://...
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import fields
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.reports import bulk  # noqa: E402 - needs ROOT on sys.path
from ticketing.db import Database  # noqa: E402
from ticketing.policy.service import load_file  # noqa: E402
from ticketing.reports import summary  # noqa: E402
from ticketing.reports.filters import ReportFilter  # noqa: E402
from ticketing.reports.periods import Grouping, ReportRange  # noqa: E402
from ticketing.settings import REPO_ROOT  # noqa: E402
from ticketing.tickets.models import TicketCategory  # noqa: E402

# (child table, column, parent table): every non-null value must exist as the parent's id
REFERENCES = (
    ("messages", "conversation_id", "conversations"),
    ("conversation_events", "conversation_id", "conversations"),
    ("conversation_events", "staff_id", "staff_users"),
    ("conversations", "ticket_id", "tickets"),
    ("conversations", "customer_id", "customers"),
    ("conversations", "assignee_id", "staff_users"),
    ("tickets", "order_id", "orders"),
    ("tickets", "customer_id", "customers"),
    ("tickets", "assignee_id", "staff_users"),
    ("tickets", "conversation_id", "conversations"),
    ("ticket_events", "ticket_id", "tickets"),
    ("csat_ratings", "conversation_id", "conversations"),
    ("csat_ratings", "ticket_id", "tickets"),
    ("csat_ratings", "agent_id", "staff_users"),
    ("csat_ratings", "customer_id", "customers"),
    ("orders", "customer_id", "customers"),
    ("order_items", "order_id", "orders"),
    ("returns", "order_id", "orders"),
    ("return_items", "return_id", "returns"),
    ("return_items", "order_item_id", "order_items"),
    ("refunds", "order_id", "orders"),
    ("refunds", "return_id", "returns"),
)

# (what, SQL giving the number of rows that break it)
INVARIANTS = (
    (
        "one `created` event per conversation, at its start",
        """SELECT count(*) FROM conversations c WHERE (SELECT count(*) FROM conversation_events e
           WHERE e.conversation_id = c.id AND e.kind = 'created' AND e.at = c.created_at) <> 1""",
    ),
    (
        "no event before its conversation started",
        """SELECT count(*) FROM conversation_events e JOIN conversations c
           ON c.id = e.conversation_id WHERE e.at < c.created_at""",
    ),
    (
        "with a person = handoffs - resolved - handed_back",
        """SELECT abs((SELECT count(*) FROM conversations WHERE owner = 'human')
           - (SELECT count(*) FILTER (WHERE kind = 'bot_handoff')
                   - count(*) FILTER (WHERE kind IN ('resolved', 'handed_back'))
              FROM conversation_events))""",
    ),
    (
        "one csat_submitted event per rating",
        """SELECT abs((SELECT count(*) FROM csat_ratings) - (SELECT count(*)
           FROM conversation_events WHERE kind = 'csat_submitted'))""",
    ),
    (
        "a rating follows a survey of its conversation",
        """SELECT count(*) FROM csat_ratings r WHERE NOT EXISTS (SELECT 1 FROM conversation_events
           e WHERE e.conversation_id = r.conversation_id AND e.kind = 'csat_requested'
           AND e.at <= r.created_at)""",
    ),
    (
        "resolved_at = the last resolution event",
        """SELECT count(*) FROM conversations c WHERE c.resolved_at IS DISTINCT FROM (SELECT
           max(e.at) FROM conversation_events e WHERE e.conversation_id = c.id
           AND e.kind IN ('resolved', 'bot_resolved'))""",
    ),
    (
        "a first reply only after a handoff",
        """SELECT count(*) FROM conversation_events r WHERE r.kind = 'first_human_reply'
           AND NOT EXISTS (SELECT 1 FROM conversation_events h WHERE h.conversation_id =
           r.conversation_id AND h.kind = 'bot_handoff' AND h.at <= r.at)""",
    ),
    (
        "a handoff ticket per conversation with a person",
        """SELECT count(*) FROM conversations WHERE owner = 'human' AND ticket_id IS NULL""",
    ),
)


NPS_CHECKS = (
    (
        "nps_answers.conversation_id -> conversations",
        """SELECT count(*) FROM nps_answers a WHERE NOT EXISTS
           (SELECT 1 FROM conversations c WHERE c.id = a.conversation_id)""",
    ),
    (
        "one nps_submitted event per NPS answer",
        """SELECT abs((SELECT count(*) FROM nps_answers) - (SELECT count(*)
           FROM conversation_events WHERE kind = 'nps_submitted'))""",
    ),
    (
        "a waiting NPS question was asked",
        """SELECT count(*) FROM conversations c WHERE c.nps_asked_at IS NOT NULL AND NOT EXISTS
           (SELECT 1 FROM conversation_events e WHERE e.conversation_id = c.id
           AND e.kind = 'nps_requested' AND e.at = c.nps_asked_at)""",
    ),
)


def _count(conn: bulk.Connection, sql: str) -> int:
    found = conn.execute(sql).fetchone()  # type: ignore[call-overload]
    return int(str(found[0])) if found else -1


def _report_problems(
    report: dict[str, Any], name: str, *, daily: bool, filtered: bool
) -> list[str]:
    problems = []
    unavailable = set(report["unavailable"])
    for key, value in report["totals"].items():
        if value is None and key not in unavailable:
            problems.append(f"{name}: totals.{key} is null")
    if daily and report["totals"]["conversations"] < 100 * len(report["series"]):
        print(f"    {name}: per-day checks skipped (under 100 conversations a day)")
    elif daily:
        for row in report["series"]:
            for key in ("conversations", "ratings", "first_responses", "resolved"):
                if not row[key]:
                    problems.append(f"{name}: {row['label']} has no {key}")
    if len(report["top_reasons"]) < (1 if filtered else 3):
        problems.append(f"{name}: too few contact reasons")
    return problems


def report_filters(schema: bulk.Schema) -> dict[str, ReportFilter]:
    filters = {
        "no filter": ReportFilter(),
        "channel=telegram": ReportFilter(channel="telegram"),
        "category=logistics": ReportFilter(category=TicketCategory.LOGISTICS),
        "agent=5": ReportFilter(agent_id=5),
    }
    if schema.teams and "team" in {f.name for f in fields(ReportFilter)}:
        filters["team=logistics"] = ReportFilter(team="logistics")  # type: ignore[call-arg]
    return filters


def report_checks(url: str, last: date, schema: bulk.Schema) -> list[tuple[str, int]]:
    """(what, problems found) for the reports built straight from the database."""
    timezone = load_file(REPO_ROOT / "policy.yml").timezone
    database = Database(bulk.sqlalchemy_url(url))
    ranges = {
        "30 days by day": ReportRange(last - timedelta(days=29), last, Grouping.DAY, timezone),
        "12 months by month": ReportRange(
            last - timedelta(days=364), last, Grouping.MONTH, timezone
        ),
    }
    filters = report_filters(schema)
    results = []
    with database.session() as db_session:
        for range_name, report_range in ranges.items():
            for filter_name, report_filter in filters.items():
                report = summary.build(database, db_session, report_range, report_filter)
                name = f"report {range_name}, {filter_name}"
                daily = report_range.group == Grouping.DAY and report_filter.empty
                problems = _report_problems(
                    report, name, daily=daily, filtered=not report_filter.empty
                )
                if report_filter.empty:
                    busy = [a for a in report["agents"] if a["handled"] > 0]
                    if len(busy) < len(report["agents"]) * 0.7:
                        problems.append(f"{name}: only {len(busy)} agents handled anything")
                for problem in problems[:5]:
                    print(f"    {problem}", file=sys.stderr)
                results.append((name, len(problems)))
    database.dispose()
    return results


def run(url: str, last: date | None = None, show: Callable[[str], None] = print) -> int:
    """Run every check, print them; 0 when all pass."""
    results: list[tuple[str, int]] = []
    with bulk.connect(url) as conn:
        if last is None:
            timezone = load_file(REPO_ROOT / "policy.yml").timezone
            found = conn.execute(
                "SELECT (max(created_at) AT TIME ZONE %s)::date FROM conversations", (timezone,)
            ).fetchone()
            assert found is not None and found[0] is not None, "no conversations"
            last = found[0]  # type: ignore[assignment]
        for child, column, parent in REFERENCES:
            sql = (
                f"SELECT count(*) FROM {child} c WHERE c.{column} IS NOT NULL AND NOT EXISTS "  # noqa: S608
                f"(SELECT 1 FROM {parent} p WHERE p.id = c.{column})"
            )
            results.append((f"{child}.{column} -> {parent}", _count(conn, sql)))
        schema = bulk.read_schema(conn)
        for name, sql in INVARIANTS + (NPS_CHECKS if schema.nps else ()):
            results.append((name, _count(conn, sql)))
    assert last is not None
    results.extend(report_checks(url, last, schema))
    show("\nchecks (problems found):")
    for name, problems in results:
        show(f"  {'ok  ' if problems == 0 else 'FAIL'} {name}: {problems}")
    failed = sum(1 for _, problems in results if problems)
    show("all checks passed" if not failed else f"{failed} checks failed")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("SUPPORTBOT_BENCH_DATABASE_URL"),
        help="PostgreSQL URL (default: $SUPPORTBOT_BENCH_DATABASE_URL)",
    )
    args = parser.parse_args()
    if not args.database_url:
        parser.error("give --database-url or $SUPPORTBOT_BENCH_DATABASE_URL")
    return run(args.database_url)


if __name__ == "__main__":
    sys.exit(main())
