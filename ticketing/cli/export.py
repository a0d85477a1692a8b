"""`supportbot export csat|nps`: satisfaction ratings or NPS answers as CSV (the CRM webhook's
data)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from integrations.crm.events import NPS_FIELDS, RATING_FIELDS
from integrations.crm.export import nps_answers_given, ratings_changed, write_csv
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


Rows = Callable[..., Iterator[dict[str, Any]]]


def _export(args: argparse.Namespace, rows_of: Rows, fields: Sequence[str], noun: str) -> int:
    if args.until is not None and args.until <= args.since:
        print("error: --until must be after --since", file=sys.stderr)
        return 2
    database = Database(get_settings().sqlalchemy_url)
    try:
        with database.session() as db_session:
            rows = rows_of(db_session, since=args.since, until=args.until)
            if args.output is None:
                count = write_csv(rows, sys.stdout, fields)
            else:
                with args.output.open("w", encoding="utf-8", newline="") as stream:
                    count = write_csv(rows, stream, fields)
    finally:
        database.dispose()
    where = f" to {args.output}" if args.output else ""
    print(f"exported {count} {noun}{where}", file=sys.stderr)
    return 0


def _csat(args: argparse.Namespace) -> int:
    return _export(args, ratings_changed, RATING_FIELDS, "ratings")


def _nps(args: argparse.Namespace) -> int:
    return _export(args, nps_answers_given, NPS_FIELDS, "NPS answers")


def _period_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", type=moment, required=True, help="e.g. 2026-11-01 (inclusive)")
    parser.add_argument("--until", type=moment, help="e.g. 2026-12-01 (exclusive); default: now")
    parser.add_argument("--output", "-o", type=Path, help="CSV file to write; default: stdout")


def add_parser(commands: Any) -> None:
    """Register `supportbot export csat` and `supportbot export nps`."""
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
    _period_arguments(csat)
    csat.set_defaults(handler=_csat)
    nps = kinds.add_parser(
        "nps",
        help="NPS answers (0-10, how likely to recommend)",
        description=(
            "Write the NPS answers given in [--since, --until) as CSV, with the same fields as "
            "the CRM webhook's nps.submitted events: conversation_id, score, group (promoter "
            "9-10, passive 7-8, detractor 0-6), channel, customer_id, agent, asked_at, "
            "created_at. Times are UTC."
        ),
    )
    _period_arguments(nps)
    nps.set_defaults(handler=_nps)
