"""`supportbot reports rebuild`: recompute the daily rollups behind the report pages."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from ticketing.db import Database
from ticketing.policy import service as policy_service
from ticketing.reports.rollup.refresh import refresh
from ticketing.settings import get_settings


def _progress(started: float) -> Any:
    def show(done: int, total: int) -> None:
        elapsed = time.monotonic() - started
        print(f"\r{done}/{total} days ({elapsed:.0f} s)", end="", file=sys.stderr, flush=True)  # noqa: T201

    return show


def _rebuild(args: argparse.Namespace) -> int:
    settings = get_settings()
    database = Database(args.database_url or settings.sqlalchemy_url)
    try:
        timezone = args.timezone
        if timezone is None:
            with database.session() as db_session:
                current = policy_service.get_current(
                    db_session=db_session, policy_file=settings.policy_file
                )
                timezone = current.policy.timezone
        started = time.monotonic()
        outcome = refresh(database, timezone, rebuild=True, progress=_progress(started))
    finally:
        database.dispose()
    seconds = time.monotonic() - started
    print(f"\nrebuilt {outcome.days} days ({timezone}) in {seconds:.1f} s", file=sys.stderr)  # noqa: T201
    return 0


def add_parser(commands: Any) -> None:
    """Register `supportbot reports rebuild`."""
    parser = commands.add_parser(
        "reports", help="report rollups", description="Maintain the daily report rollups."
    )
    actions = parser.add_subparsers(dest="reports_command", metavar="ACTION", required=True)
    rebuild = actions.add_parser(
        "rebuild",
        help="recompute every day",
        description=(
            "Recompute the daily rollups of every day from the raw rows. Reports keep them up "
            "to date by themselves; run this after loading data with bulk SQL (which the "
            "change marking does not see)."
        ),
    )
    rebuild.add_argument("--database-url", help="default: SUPPORTBOT_DATABASE_URL")
    rebuild.add_argument("--timezone", help="default: the policy's timezone")
    rebuild.set_defaults(handler=_rebuild)
