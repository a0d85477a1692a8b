"""Running `supportbot crm ...` and `supportbot export ...` in-process."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from ticketing.cli import crm, export


def run_cli(argv: Sequence[str]) -> int:
    """Parse and run with only this package's commands registered (as `supportbot` does)."""
    parser = argparse.ArgumentParser(prog="supportbot")
    commands = parser.add_subparsers(dest="command", required=True)
    for module in (crm, export):
        module.add_parser(commands)
    args = parser.parse_args(argv)
    code: int = args.handler(args)
    return code
