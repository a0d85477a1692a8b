"""`supportbot export csat`: satisfaction ratings as CSV (the CRM webhook's data)."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from integrations.crm.export import ratings_changed, write_csv
from ticketing.db import Database
from ticketing.settings import get_settings


def moment(text: str) -> datetime:
    """`2026-11-01` (midnight UTC) or an ISO date-time (UTC unless it names a zone)."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date: use YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][+HH:MM]"
        ) from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _csat(args: argparse.Namespace) -> int:
    if args.until is not None and args.until <= args.since:
        print("error: --until must be after --since", file=sys.stderr)
        return 2
    database = Database(get_settings().sqlalchemy_url)
    try:
        with database.session() as db_session:
            rows = ratings_changed(db_session, since=args.since, until=args.until)
            if args.output is None:
                count = write_csv(rows, sys.stdout)
            else:
                with args.output.open("w", encoding="utf-8", newline="") as stream:
                    count = write_csv(rows, stream)
    finally:
        database.dispose()
    where = f" to {args.output}" if args.output else ""
    print(f"exported {count} ratings{where}", file=sys.stderr)
    return 0


def add_parser(commands: Any) -> None:
    """Register `supportbot export csat`."""
    parser = commands.add_parser(
        "export", help="export data as CSV", description="Export data as CSV files."
    )
    kinds = parser.add_subparsers(dest="export_command", metavar="WHAT", required=True)
    csat = kinds.add_parser(
        "csat",
        help="satisfaction ratings",
        description=(
            "Write the satisfaction ratings given or changed in [--since, --until) as CSV, "
            "with the same fields as the CRM webhook's csat.rating events: conversation_id, "
            "score, comment, channel, category, agent, ticket_number, customer_id, created_at, "
            "updated_at. Times are UTC."
        ),
    )
    csat.add_argument("--since", type=moment, required=True, help="e.g. 2026-11-01 (inclusive)")
    csat.add_argument("--until", type=moment, help="e.g. 2026-12-01 (exclusive); default: now")
    csat.add_argument("--output", "-o", type=Path, help="CSV file to write; default: stdout")
    csat.set_defaults(handler=_csat)
