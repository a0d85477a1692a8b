"""`supportbot db`: apply migrations (alembic) to the configured database."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from alembic import command
from alembic.config import Config

from ticketing.settings import REPO_ROOT, get_settings


def alembic_config(url: str | None = None) -> Config:
    """The project's alembic config, pointed at `url` (default: the configured database)."""
    config = Config(str(REPO_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(REPO_ROOT / "ticketing" / "migrations"))
    config.set_main_option("sqlalchemy.url", url or get_settings().sqlalchemy_url)
    return config


def upgrade_head(url: str | None = None) -> None:
    """Bring the database schema to the newest migration."""
    command.upgrade(alembic_config(url), "head")


def _upgrade(args: argparse.Namespace) -> int:
    url = args.database_url or get_settings().sqlalchemy_url
    print(f"migrating {url.split('@')[-1]} to the newest schema ...", file=sys.stderr)
    upgrade_head(url)
    print("database schema is up to date", file=sys.stderr)
    return 0


def add_parser(commands: Any) -> None:
    """Register `supportbot db upgrade`."""
    parser = commands.add_parser(
        "db", help="database schema", description="Manage the database schema (alembic)."
    )
    actions = parser.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = actions.add_parser(
        "upgrade",
        help="apply every migration",
        description="Apply every alembic migration to the database (safe to repeat).",
    )
    upgrade.add_argument("--database-url", help="default: SUPPORTBOT_DATABASE_URL")
    upgrade.set_defaults(handler=_upgrade)
