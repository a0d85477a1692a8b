"""`supportbot digest`: one day's report (with the day before for comparison) as CSV or HTML."""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ticketing.db import Database, utcnow
from ticketing.policy import service as policy_service
from ticketing.reports import summary
from ticketing.reports.csv_export import summary_csv
from ticketing.reports.filters import ReportFilter
from ticketing.reports.periods import Grouping, ReportRange
from ticketing.reports.sla import priorities_with_targets
from ticketing.reports.templates import digest_html
from ticketing.settings import Settings, get_settings


def render(database: Database, *, day: date | None, fmt: str, policy_file: Path) -> str:
    """The digest of `day` (default: yesterday in the shop's timezone)."""
    with database.session() as db_session:
        policy = policy_service.get_current(db_session=db_session, policy_file=policy_file).policy
        if day is None:
            day = utcnow().astimezone(ZoneInfo(policy.timezone)).date() - timedelta(days=1)
        report_range = ReportRange(day, day, Grouping.DAY, policy.timezone)
        report = summary.build(
            database,
            db_session,
            report_range,
            ReportFilter(),
            sla_priorities=priorities_with_targets(policy),
        )
    return summary_csv(report) if fmt == "csv" else digest_html(report)


def _run(args: argparse.Namespace, settings: Settings | None = None) -> int:
    settings = settings or get_settings()
    database = Database(settings.sqlalchemy_url)
    try:
        text = render(database, day=args.date, fmt=args.format, policy_file=settings.policy_file)
    finally:
        database.dispose()
    if args.output in (None, "-"):
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {args.format} digest to {args.output}", file=sys.stderr)  # noqa: T201
    return 0


def add_parser(commands: Any) -> None:
    """Register `supportbot digest`."""
    parser = commands.add_parser(
        "digest",
        help="a day's report as CSV or HTML",
        description=(
            "Write the daily digest: every report metric for one day (shop timezone) next to "
            "the day before (SLA breach rate included), top contact reasons and the agent table. "
            "NPS is marked as not available yet."
        ),
    )
    parser.add_argument(
        "--date", type=date.fromisoformat, help="the day, YYYY-MM-DD (default: yesterday)"
    )
    parser.add_argument("--format", choices=("csv", "html"), default="csv")
    parser.add_argument("--output", help="file to write (default: standard output)")
    parser.set_defaults(handler=_run)
