"""Running `supportbot privacy ...` in-process and reading the whole database back."""

from __future__ import annotations

import argparse
import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select

import ticketing.models
from ticketing.cli import privacy
from ticketing.db import Database


def run_cli(argv: Sequence[str]) -> int:
    """Parse and run with only `privacy` registered (as `supportbot` does)."""
    parser = argparse.ArgumentParser(prog="supportbot")
    commands = parser.add_subparsers(dest="command", required=True)
    privacy.add_parser(commands)
    args = parser.parse_args(argv)
    code: int = args.handler(args)
    return code


def dump(database: Database) -> dict[str, list[str]]:
    """Every row of every table as canonical JSON text, by table."""
    tables: dict[str, list[str]] = {}
    with database.engine.connect() as connection:
        for table in ticketing.models.Base.metadata.sorted_tables:
            rows = connection.execute(select(table)).mappings().all()
            tables[table.name] = sorted(
                json.dumps(dict(row), sort_keys=True, default=str) for row in rows
            )
    return tables


def tracker_rows(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT sender_id, data FROM events ORDER BY id").fetchall()
    connection.close()
    return [(str(sender), str(data)) for sender, data in rows]


def where_found(tables: dict[str, list[str]], needles: Sequence[str]) -> dict[str, list[str]]:
    """For each needle (case-insensitive), the tables with a row containing it."""
    found: dict[str, list[str]] = {}
    for needle in needles:
        hits = [name for name, rows in tables.items() if any(needle in r.lower() for r in rows)]
        if hits:
            found[needle] = hits
    return found


def text_of(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, default=str).lower()
