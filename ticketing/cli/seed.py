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


def _count(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
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
    print(f"  {phase} {done}/{total}", file=sys.stderr, flush=True)


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
    finally:
        database.dispose()
    _report(summary)
    return 0


def seed_demo_if_empty() -> bool:
    """Seed the configured database (its tables must exist) when it has no orders yet.

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
    finally:
        database.dispose()
    _report(summary)
    return True


def add_parser(commands: Any) -> None:
    """Register `supportbot seed`."""
    parser = commands.add_parser(
        "seed",
        help="load demo data",
        description=(
            "Load a realistic, deterministic demo shop: customers, orders in every status, "
            "shipments (on time, late, lost), returns, refunds and demo staff logins. "
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
        "--reset", action="store_true", help="drop and recreate every table first (no question)"
    )
    parser.add_argument("--database-url", metavar="URL", help="default: SUPPORTBOT_DATABASE_URL")

    def handler(args: argparse.Namespace) -> int:
        return _run(args, parser)

    parser.set_defaults(handler=handler)
