"""`supportbot privacy export|erase`: everything stored about a person as JSON, or their
personal data erased; both audited with the admin who ran them."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ticketing.db import Database, utcnow
from ticketing.privacy import tracker_store
from ticketing.privacy.erasure import Erasure
from ticketing.privacy.lookup import (
    AlreadyErasedError,
    AmbiguousMatchError,
    NoMatchError,
    Selector,
)
from ticketing.privacy.service import (
    PartialErasureError,
    Tools,
    erase_person,
    export_person,
)
from ticketing.security.rate_limit import make_failure_counter
from ticketing.settings import Settings, get_settings

CONFIRMATION = "erase"


def _selector(args: argparse.Namespace) -> Selector | None:
    if (args.channel is None) != (args.external_id is None):
        print("error: --channel and --external-id go together", file=sys.stderr)
        return None
    return Selector(
        email=args.email,
        phone=args.phone,
        customer_id=args.customer_id,
        channel=args.channel,
        external_id=args.external_id,
    )


def _actor(args: argparse.Namespace) -> str:
    name = args.actor
    if not name:
        try:
            name = getpass.getuser()
        except (OSError, KeyError):  # no login name (some containers)
            name = "unknown"
    return f"admin:{name}"


def _tools(settings: Settings, tracker_where: str | None) -> Tools:
    """The failure counters and Rasa's tracker store; RuntimeError when the store named
    cannot be opened."""
    tracker, tracker_note = tracker_store.locate(tracker_where)
    if not settings.redis_url:
        note = "not read: without SUPPORTBOT_REDIS_URL they are counted in each backend "
        return Tools(
            None, note + "process's memory only, gone within 15 minutes", tracker, tracker_note
        )
    counter = make_failure_counter(settings.redis_url, settings.verification_window_seconds)
    return Tools(counter, "counted in Redis", tracker, tracker_note)


def _refused(error: Exception) -> int:
    """A lookup that found nobody or too many people: say so and what to try."""
    print(f"error: {error}", file=sys.stderr)
    if isinstance(error, AmbiguousMatchError):
        for candidate in error.candidates:
            print(candidate.line(), file=sys.stderr)
    return 1


def _write(out: Path | None) -> Callable[[dict[str, Any]], None]:
    def write(document: dict[str, Any]) -> None:
        text = json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"
        if out is None:
            sys.stdout.write(text)
            return
        # personal data: readable by the owner only, created that way (no window of 0644)
        descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            stream.write(text)

    return write


def _export(args: argparse.Namespace) -> int:
    selector = _selector(args)
    if selector is None:
        return 2
    settings = get_settings()
    try:
        tools = _tools(settings, args.rasa_tracker_db)
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    database = Database(settings.sqlalchemy_url)
    print(f"looking up {selector.describe()} ...", file=sys.stderr)
    try:
        outcome = export_person(
            database=database,
            selector=selector,
            actor=_actor(args),
            reason=args.reason,
            secret=settings.secret_key.get_secret_value(),
            now=utcnow(),
            tools=tools,
            write=_write(args.out),
        )
    except (NoMatchError, AmbiguousMatchError, AlreadyErasedError) as error:
        return _refused(error)
    except OSError as error:
        print(f"error: cannot write {args.out}: {error}; nothing was exported", file=sys.stderr)
        return 1
    finally:
        database.dispose()
        if tools.tracker is not None:
            tools.tracker.dispose()
    for note in outcome.notes:
        print(f"note: {note}", file=sys.stderr)
    _say_where_the_assistant_is(tools, "is not in the export")
    counts = ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in outcome.counts.items())
    print(f"{outcome.subject}: {counts}", file=sys.stderr)
    where = f"wrote {args.out} (owner-only permissions)" if args.out else "written to stdout"
    print(f"{where}; recorded in the audit log as privacy.exported", file=sys.stderr)
    return 0


def _print_counts(erasure: Erasure) -> None:
    for kind, count in sorted(erasure.counts.items()):
        print(f"  {kind.replace('_', ' ')}: {count}", file=sys.stderr)


def _confirmed(subject: str) -> bool:
    print(
        f"This erases the personal data of {subject} and cannot be undone. "
        f"Type '{CONFIRMATION}' to go on: ",
        end="",
        file=sys.stderr,
        flush=True,
    )
    answer = sys.stdin.readline()
    return answer.strip().lower() == CONFIRMATION


def _erase(args: argparse.Namespace) -> int:
    selector = _selector(args)
    if selector is None:
        return 2
    if not args.reason.strip():
        print("error: --reason must say why (e.g. the request's ticket number)", file=sys.stderr)
        return 2
    settings = get_settings()
    try:
        tools = _tools(settings, args.rasa_tracker_db)
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    database = Database(settings.sqlalchemy_url)
    options: dict[str, Any] = {
        "database": database,
        "selector": selector,
        "actor": _actor(args),
        "reason": args.reason.strip(),
        "secret": settings.secret_key.get_secret_value(),
        "tools": tools,
    }
    print(f"looking up {selector.describe()} ...", file=sys.stderr)
    try:
        return _erase_steps(args, options)
    except AlreadyErasedError as error:
        print(f"{error} Nothing to change.", file=sys.stderr)
        return 0
    except (NoMatchError, AmbiguousMatchError) as error:
        return _refused(error)
    except PartialErasureError as error:
        print(f"error: {error}", file=sys.stderr)
        return 3
    finally:
        database.dispose()
        if tools.tracker is not None:
            tools.tracker.dispose()


def _say_where_the_assistant_is(tools: Tools, otherwise: str) -> None:
    """Rasa's copy of the chats lives elsewhere: say where it was found, or loudly not."""
    if tools.tracker is not None:
        print(f"note: {tools.tracker_note}", file=sys.stderr)
        return
    print(
        f"warning: {tools.tracker_note}. Rasa's copy of these chats {otherwise}: pass "
        "--rasa-tracker-db with its path or database URL.",
        file=sys.stderr,
    )


def _erase_steps(args: argparse.Namespace, options: dict[str, Any]) -> int:
    """Count first (a rolled-back run), then ask, then erase for real."""
    plan = erase_person(**options, dry_run=True)
    for note in plan.notes:
        print(f"note: {note}", file=sys.stderr)
    _say_where_the_assistant_is(options["tools"], "is not erased")
    if not plan.erasure.changed:
        print(f"{plan.subject}: already erased; nothing to change.", file=sys.stderr)
        return 0
    print(f"{plan.subject}: records to change:", file=sys.stderr)
    _print_counts(plan.erasure)
    if args.dry_run:
        print("dry run: nothing was changed.", file=sys.stderr)
        return 0
    if not args.yes and not _confirmed(plan.subject):
        print("cancelled: nothing was changed.", file=sys.stderr)
        return 1
    done = erase_person(**options, dry_run=False)
    print(
        f"erased {done.subject}: {done.erasure.changed} records changed in one transaction; "
        f"audit entry {done.audit_entry_id} (privacy.erased)",
        file=sys.stderr,
    )
    for line in done.erasure.still_open:
        print(f"note: {line}: its texts are erased, close it in the console", file=sys.stderr)
    if done.erasure.delivered_crm_events:
        print(
            f"note: {len(done.erasure.delivered_crm_events)} CRM events about this person were "
            "delivered before: ask the CRM to erase its copy (event ids: "
            f"{', '.join(done.erasure.delivered_crm_events)})",
            file=sys.stderr,
        )
    return 0


def _add_common(parser: argparse.ArgumentParser) -> None:
    who = parser.add_argument_group("who (exactly one of these)")
    one = who.add_mutually_exclusive_group(required=True)
    one.add_argument("--email", help="the customer's email (any case)")
    one.add_argument("--phone", help="the customer's phone, with or without country code")
    one.add_argument("--customer-id", type=int, help="the customer record's id")
    one.add_argument(
        "--channel",
        help="with --external-id: a chat's channel (web, telegram, rest); a chat linked to a "
        "customer selects that customer",
    )
    who.add_argument("--external-id", help="the chat's id on its channel (Telegram chat id)")
    parser.add_argument("--actor", help="who runs this, for the audit log (default: OS user)")
    parser.add_argument(
        "--rasa-tracker-db",
        help="Rasa's tracker store: a SQLite path or a database URL, e.g. "
        "postgresql://USER:PASSWORD@HOST:5432/rasa in production (default: "
        "SUPPORTBOT_RASA_TRACKER_DB, else var/rasa_tracker.db; skipped, with a warning, "
        "when missing)",
    )


def add_parser(commands: Any) -> None:
    """Register `supportbot privacy export|erase`."""
    parser = commands.add_parser(
        "privacy",
        help="a customer's data export and erasure",
        description=(
            "Answer a customer's request for their personal data (export) or to have it "
            "erased. Both are recorded in the audit log with the admin who ran them and how "
            "many records, never the data itself. What erasure keeps and why: the docstring "
            "of ticketing/privacy/erasure.py."
        ),
    )
    actions = parser.add_subparsers(dest="privacy_command", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export",
        help="everything stored about a person, as JSON",
        description=(
            "Write one JSON document with everything stored about a person: customer record, "
            "orders with items, addresses, shipments, returns and refunds; conversations with "
            "every message and event; tickets with their history; ratings and NPS answers; "
            "CRM events; audit entries; stored API answers; failed verification counts; "
            "Rasa's copy of the chats; the training inbox's messages and labels from their "
            "chats. It includes agents' internal notes: read it before "
            "sending it on. Progress and a summary go to stderr; exit 1 when nobody or "
            "several people match."
        ),
    )
    _add_common(export)
    export.add_argument("--out", "-o", type=Path, help="file to write (mode 600); default stdout")
    export.add_argument("--reason", help="why, for the audit log (e.g. the request's ticket)")
    export.set_defaults(handler=_export)
    erase = actions.add_parser(
        "erase",
        help="erase a person's personal data",
        description=(
            "Erase a person's personal data in one transaction: name, email, phone and "
            "addresses; message texts, attachments, notes, ticket texts, rating and NPS "
            "comments; their chats' identities; their messages in the training inbox and the "
            "examples labelled from them. Orders, refunds, scores and timings are kept "
            "without them, so accounting and reports stay right. Shows the counts and asks "
            "before erasing; running it again changes nothing."
        ),
    )
    _add_common(erase)
    erase.add_argument(
        "--reason",
        required=True,
        help="why, for the audit log (e.g. the request's ticket); no personal data",
    )
    erase.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    erase.add_argument("--dry-run", action="store_true", help="only show what would change")
    erase.set_defaults(handler=_erase)
