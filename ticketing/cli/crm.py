"""`supportbot crm`: deliver queued CRM webhook events, show the queue, requeue dead events."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from integrations.crm import outbox
from integrations.crm.dispatcher import Dispatcher, Outcome
from integrations.crm.runner import make_dispatcher
from ticketing.db import Database, utcnow
from ticketing.settings import get_settings


def _print_outcome(outcome: Outcome) -> None:
    line = f"{outcome.state:<9} {outcome.event_id} {outcome.kind} (attempt {outcome.attempts})"
    if outcome.error:
        line += f": {outcome.error}"
    if outcome.state == "retrying" and outcome.next_attempt_at:
        line += f", next at {outcome.next_attempt_at:%Y-%m-%d %H:%M:%S} UTC"
    print(line, file=sys.stderr)


def _dispatch_round(dispatcher: Dispatcher, limit: int | None) -> None:
    summary = dispatcher.dispatch_due(limit=limit, on_result=_print_outcome)
    print(f"crm: {summary.describe()}", file=sys.stderr)


def _dispatch(args: argparse.Namespace) -> int:
    settings = get_settings()
    database = Database(settings.sqlalchemy_url)
    dispatcher = make_dispatcher(settings, database)
    if dispatcher is None:
        print("error: set SUPPORTBOT_CRM_WEBHOOK_URL (and _SECRET) first", file=sys.stderr)
        return 2
    try:
        _dispatch_round(dispatcher, args.limit)
        while not args.once:
            time.sleep(settings.crm_poll_seconds)
            _dispatch_round(dispatcher, args.limit)
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    finally:
        dispatcher.close()
        database.dispose()
    return 0


def _status(_args: argparse.Namespace) -> int:
    database = Database(get_settings().sqlalchemy_url)
    try:
        with database.session() as db_session:
            rows = outbox.counts(db_session, now=utcnow())
            dead = outbox.dead_events(db_session)
    finally:
        database.dispose()
    print(f"{'kind':<20} {'pending':>8} {'due now':>8} {'delivered':>10} {'dead':>6}")
    for row in rows:
        print(f"{row.kind:<20} {row.pending:>8} {row.due:>8} {row.delivered:>10} {row.dead:>6}")
    if not rows:
        print("(no events yet)")
    for event in dead:
        print(f"dead: {event.id} {event.kind} after {event.attempts} attempts: {event.last_error}")
    return 0


def _retry_dead(args: argparse.Namespace) -> int:
    database = Database(get_settings().sqlalchemy_url)
    try:
        with database.session(write=True) as db_session:
            count = outbox.retry_dead(db_session, now=utcnow(), kind=args.kind)
    finally:
        database.dispose()
    print(f"requeued {count} dead events", file=sys.stderr)
    return 0


def add_parser(commands: Any) -> None:
    """Register `supportbot crm dispatch|status|retry-dead`."""
    parser = commands.add_parser(
        "crm",
        help="CRM webhook events",
        description=(
            "Ratings and resolved tickets are queued for the CRM webhook "
            "(SUPPORTBOT_CRM_WEBHOOK_URL, signed with SUPPORTBOT_CRM_WEBHOOK_SECRET). The web "
            "app delivers them in the background; these commands do it by hand and show the queue."
        ),
    )
    actions = parser.add_subparsers(dest="crm_command", metavar="ACTION", required=True)
    dispatch = actions.add_parser(
        "dispatch",
        help="deliver due events",
        description="Deliver the events that are due, printing each outcome and a summary; "
        "without --once, keep going every SUPPORTBOT_CRM_POLL_SECONDS until interrupted.",
    )
    dispatch.add_argument("--once", action="store_true", help="one round, then exit")
    dispatch.add_argument("--limit", type=int, help="at most this many events per round")
    dispatch.set_defaults(handler=_dispatch)
    status = actions.add_parser(
        "status",
        help="show the queue",
        description="Count events per kind: pending (and due now), delivered, dead; "
        "list the newest dead events with their last error.",
    )
    status.set_defaults(handler=_status)
    retry = actions.add_parser(
        "retry-dead",
        help="requeue dead events",
        description="Give dead events (that ran out of attempts) a fresh set of attempts.",
    )
    retry.add_argument("--kind", help="only events of this kind, e.g. csat.rating")
    retry.set_defaults(handler=_retry_dead)
