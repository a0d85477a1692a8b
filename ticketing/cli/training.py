"""`supportbot training`: the training inbox's labelled examples as Rasa NLU data, and its
retention. The model rollout's commands (retrain, activate, restore) join the same group."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ticketing.db import Database, utcnow
from ticketing.model_rollout.cli import add_commands as add_rollout_commands
from ticketing.settings import REPO_ROOT, Settings, get_settings
from ticketing.training import export, service
from ticketing.training.retention import purge_expired

DEFAULT_OUTPUT = REPO_ROOT / "data" / "nlu" / "learned.yml"


def _database(settings: Settings) -> Database:
    return Database(settings.sqlalchemy_url)


def _say(text: str) -> None:
    print(text)  # noqa: T201 - a command's report


def run_export(args: argparse.Namespace, settings: Settings | None = None) -> int:
    settings = settings or get_settings()
    database = _database(settings)
    try:
        with database.session() as db_session:
            examples = export.collect(service.examples(db_session))
    finally:
        database.dispose()
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(export.to_yaml(examples), encoding="utf-8")
    intents = len(examples.by_intent)
    _say(f"wrote {output}: {examples.total} examples of {intents} intents")
    for intent, texts in examples.by_intent.items():
        _say(f"  {intent}: {len(texts)}")
    for text, names in examples.conflicts.items():
        _say(f"warning: {text!r} is labelled {' and '.join(names)}: undo one in the console")
    return 0


def run_purge(args: argparse.Namespace, settings: Settings | None = None) -> int:
    settings = settings or get_settings()
    days = args.days or settings.training_inbox_retention_days
    database = _database(settings)
    try:
        with database.session(write=True) as db_session:
            removed = purge_expired(db_session, now=utcnow(), days=days)
    finally:
        database.dispose()
    _say(f"removed {removed} unlabelled messages older than {days} days from the training inbox")
    return 0


def _positive(raw: str) -> int:
    value = int(raw)
    if value < 1:
        raise argparse.ArgumentTypeError("give a number of days, at least 1")
    return value


def add_parser(commands: Any) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    """Register `supportbot training` and its sub-commands; returns the sub-command group, so
    more can be added (the model rollout's are)."""
    parser = commands.add_parser(
        "training",
        help="teach the bot from real conversations: export labels, retrain, roll out",
        description=(
            "Teach the bot from what managers labelled in the console's Training page: "
            "export the examples as Rasa NLU data (data/nlu/learned.yml), train and compare a "
            "candidate model (retrain), load it into the running Rasa (activate) or put the "
            "previous one back (restore); purge deletes old unlabelled inbox messages."
        ),
    )
    subcommands: argparse._SubParsersAction[argparse.ArgumentParser] = parser.add_subparsers(
        dest="training_command", metavar="COMMAND", required=True
    )
    exporting = subcommands.add_parser(
        "export",
        help="write the labelled examples as Rasa NLU data",
        description=(
            "Write every labelled example (intents and out of scope; skipped messages are "
            "not examples) in Rasa's NLU format: one block per intent, examples deduplicated "
            "and sorted, so the file's git diff shows what changed. Masked personal data "
            "becomes neutral example values. Run it again after an undo or an erasure."
        ),
    )
    exporting.add_argument(
        "--output",
        default=str(DEFAULT_OUTPUT),
        help=f"the file to write (default: {DEFAULT_OUTPUT.relative_to(REPO_ROOT)})",
    )
    exporting.set_defaults(handler=run_export)
    purging = subcommands.add_parser(
        "purge",
        help="delete unlabelled inbox messages past retention",
        description=(
            "Delete unlabelled (and skipped) messages older than the retention "
            "(SUPPORTBOT_TRAINING_INBOX_RETENTION_DAYS, default 90); the backend also does "
            "this every hour. Labelled examples stay."
        ),
    )
    purging.add_argument("--days", type=_positive, help="override the retention (days)")
    purging.set_defaults(handler=run_purge)
    add_rollout_commands(subcommands)  # retrain, activate, restore
    return subcommands
