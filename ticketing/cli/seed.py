"""`supportbot seed --demo`: fill the database with a realistic, deterministic demo shop."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from ticketing.db import Base, Database
from ticketing.settings import get_settings, normalise_database_url

if TYPE_CHECKING:
    from ticketing.seed.demo import DemoSummary
    from ticketing.seed.history import HistorySummary

HISTORY_DAYS = 90
HISTORY_CONVERSATIONS = 1500


def _count(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _days(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return number


def existing_data(db_session: Session) -> str | None:
    """What the database already holds ('1000 orders, 200 customers'), or None when empty."""
    from ticketing.customers.models import Customer
    from ticketing.orders.models import Order

    orders = db_session.scalar(select(func.count()).select_from(Order)) or 0
    customers = db_session.scalar(select(func.count()).select_from(Customer)) or 0
    if not orders and not customers:
        return None
    return f"{orders} orders, {customers} customers"


def _progress(phase: str, done: int, total: int) -> None:
    print(f"seed: {phase} {done}/{total}", file=sys.stderr, flush=True)


def _rollup_progress(done: int, total: int) -> None:
    _progress("report days", done, total)


def _with_history(
    db_session: Session, summary: DemoSummary, rng_seed: int, days: int, conversations: int
) -> HistorySummary | None:
    """The demo's conversation history (`days` up to the seed's reference time), or None."""
    if days < 1:
        return None
    from ticketing.policy import service as policy_service
    from ticketing.seed.history import seed_history

    policy = policy_service.get_current(
        db_session=db_session, policy_file=get_settings().policy_file
    ).policy
    return seed_history(
        db_session=db_session,
        policy=policy,
        now=summary.now,
        rng_seed=rng_seed,
        days=days,
        conversations=conversations,
        progress=_progress,
    )


def _refresh_reports(database: Database) -> None:
    """Build the report rollups now, so the first report page is quick (a report would
    otherwise build them from the seed's marks)."""
    from ticketing.policy import service as policy_service
    from ticketing.reports.rollup.refresh import refresh

    with database.session() as db_session:
        timezone = policy_service.get_current(
            db_session=db_session, policy_file=get_settings().policy_file
        ).policy.timezone
    refresh(database, timezone, progress=_rollup_progress)


def _report_history(history: HistorySummary | None) -> None:
    if history is None or not history.conversations:
        return
    rows = history.rows
    print(
        f"Conversation history in {history.seconds:.1f} s: {history.conversations} "
        f"conversations from {history.first_day} to {history.last_day} "
        f"({rows.get('messages', 0)} messages, {rows.get('conversation_events', 0)} events, "
        f"{rows.get('tickets', 0)} tickets, {rows.get('csat_ratings', 0)} ratings, "
        f"{rows.get('nps_answers', 0)} NPS answers); {history.queued} waiting in the queue, "
        f"{history.with_agents} with an agent."
    )


def _report(summary: DemoSummary) -> None:
    statuses = ", ".join(
        f"{count} {status}" for status, count in sorted(summary.status_counts.items())
    )
    print(
        f"Seeded in {summary.seconds:.1f} s: {summary.customers} customers, {summary.orders} "
        f"orders ({statuses}), {summary.order_items} items, {summary.shipments} shipments, "
        f"{summary.tracking_events} tracking events, {summary.returns} returns, "
        f"{summary.refunds} refunds, {summary.staff_users} staff logins."
    )
    print(f"Reference date {summary.now:%Y-%m-%d} (UTC): every age below counts from it.\n")
    print("Try these orders (number, customer e-mail, situation):")
    width = max((len(item.email) for item in summary.showcase), default=0)
    for item in summary.showcase:
        print(f"  {item.number}  {item.email:<{width}}  {item.description}")
    from ticketing.seed.people import DEFAULT_DEMO_PASSWORD, DEMO_PASSWORD_ENV, STAFF

    logins = ", ".join(f"{username} ({role.value})" for username, _, role in STAFF)
    password = (
        f"the value of {DEMO_PASSWORD_ENV}"
        if os.environ.get(DEMO_PASSWORD_ENV)
        else f"'{DEFAULT_DEMO_PASSWORD}' (set {DEMO_PASSWORD_ENV} to choose another)"
    )
    print(f"\nDemo staff logins, for demos only: {logins}; password: {password}.")


def _run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if not args.demo:
        parser.print_help(sys.stderr)
        return 2
    if get_settings().environment == "production":
        print("error: demo data (with demo logins) is never seeded in production", file=sys.stderr)
        return 1
    from ticketing.seed.demo import seed_demo

    url = normalise_database_url(args.database_url or get_settings().sqlalchemy_url)
    shown = make_url(url).render_as_string(hide_password=True)
    database = Database(url)
    try:
        if args.reset:
            import ticketing.models  # noqa: F401 - registers every table on Base.metadata
            from ticketing.cli.db import upgrade_head

            print(f"dropping and recreating every table in {shown} ...", file=sys.stderr)
            Base.metadata.drop_all(database.write_engine)
            with database.write_engine.begin() as connection:
                connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
            upgrade_head(url)
        elif not inspect(database.engine).has_table("orders"):
            print(
                f"error: {shown} has no tables yet: run `supportbot db upgrade` first "
                "(or seed with --reset)",
                file=sys.stderr,
            )
            return 1
        print(f"seeding demo data into {shown} (seed {args.rng_seed}) ...", file=sys.stderr)
        with database.session(write=True) as db_session:
            found = existing_data(db_session)
            if found is not None:
                print(
                    f"error: the database is not empty ({found}); nothing was changed. "
                    "Use `supportbot seed --demo --reset` to drop every table and seed afresh.",
                    file=sys.stderr,
                )
                return 1
            summary = seed_demo(
                db_session=db_session,
                rng_seed=args.rng_seed,
                customers=args.customers,
                orders=args.orders,
                progress=_progress,
            )
            history = _with_history(
                db_session, summary, args.rng_seed, args.history_days, args.conversations
            )
        if history is not None:
            _refresh_reports(database)
    finally:
        database.dispose()
    _report(summary)
    _report_history(history)
    return 0


def seed_demo_if_empty(
    *, history_days: int = HISTORY_DAYS, conversations: int = HISTORY_CONVERSATIONS
) -> bool:
    """Seed the configured database (its tables must exist) when it has no orders yet: the
    demo shop and `history_days` days of conversations (0: none).

    Never in production: there the demo logins would be a way in.
    """
    if get_settings().environment == "production":
        return False
    from ticketing.seed.demo import seed_demo

    database = Database(get_settings().sqlalchemy_url)
    try:
        with database.session(write=True) as db_session:
            if existing_data(db_session) is not None:
                return False
            summary = seed_demo(db_session=db_session, progress=_progress)
            history = _with_history(db_session, summary, 42, history_days, conversations)
        if history is not None:
            _refresh_reports(database)
    finally:
        database.dispose()
    _report(summary)
    _report_history(history)
    return True


def add_parser(commands: Any) -> None:
    """Register `supportbot seed`."""
    parser = commands.add_parser(
        "seed",
        help="load demo data",
        description=(
            "Load a realistic, deterministic demo shop: customers, orders in every status, "
            "shipments (on time, late, lost), returns, refunds, demo staff logins and 90 days "
            "of conversations with the bot and agents (tickets, SLA steps, ratings, NPS). "
            "Refuses a database that already has data unless --reset is given."
        ),
    )
    parser.add_argument("--demo", action="store_true", help="load the demo data set (required)")
    parser.add_argument(
        "--seed",
        dest="rng_seed",
        metavar="N",
        type=int,
        default=42,
        help="random seed (default: 42)",
    )
    parser.add_argument("--customers", metavar="N", type=_count, default=200, help="default: 200")
    parser.add_argument("--orders", metavar="N", type=_count, default=1000, help="default: 1000")
    parser.add_argument(
        "--history-days",
        metavar="N",
        type=_days,
        default=HISTORY_DAYS,
        help=f"days of past conversations up to today (default: {HISTORY_DAYS}; 0: none)",
    )
    parser.add_argument(
        "--conversations",
        metavar="N",
        type=_count,
        default=HISTORY_CONVERSATIONS,
        help=f"about how many past conversations (default: {HISTORY_CONVERSATIONS})",
    )
    parser.add_argument(
        "--reset", action="store_true", help="drop and recreate every table first (no question)"
    )
    parser.add_argument("--database-url", metavar="URL", help="default: SUPPORTBOT_DATABASE_URL")

    def handler(args: argparse.Namespace) -> int:
        return _run(args, parser)

    parser.set_defaults(handler=handler)
