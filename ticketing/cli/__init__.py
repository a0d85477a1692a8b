"""The `supportbot` command line: one sub-command per module in this package."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="supportbot",
        description="supportbot: the order and ticketing backend of the support assistant.",
    )
    # imported here, so importing one sub-module stays cheap
    from ticketing.cli import (
        crm,
        db,
        digest,
        export,
        privacy,
        reports,
        run,
        seed,
        telegram,
        training,
        users,
    )

    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in (
        db,
        seed,
        users,
        run,
        telegram,
        crm,
        export,
        digest,
        reports,
        privacy,
        training,
    ):
        module.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `supportbot` console script."""
    from ticketing.reports.rollup import marks

    marks.install()  # every write a command makes marks the report days it changes
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = args.handler
    code: int = handler(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
