"""`supportbot users`: create staff accounts (agents, managers, admins)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from ticketing.db import Database
from ticketing.errors import DomainError
from ticketing.settings import get_settings
from ticketing.staff import service
from ticketing.staff.models import StaffRole


def _create(args: argparse.Namespace) -> int:
    password = os.environ.get("SUPPORTBOT_NEW_USER_PASSWORD") or getpass.getpass("Password: ")
    if len(password) < 10:
        print("error: the password needs at least 10 characters", file=sys.stderr)
        return 2
    database = Database(get_settings().sqlalchemy_url)
    try:
        with database.session(write=True) as db_session:
            user = service.create(
                db_session=db_session,
                username=args.username,
                display_name=args.display_name or args.username,
                password=password,
                role=StaffRole(args.role),
            )
            print(f"created {user.role.value} {user.username!r}", file=sys.stderr)
    except DomainError as exc:
        print(f"error: {exc.msg}", file=sys.stderr)
        return 1
    finally:
        database.dispose()
    return 0


def add_parser(commands: Any) -> None:
    """Register `supportbot users create`."""
    parser = commands.add_parser(
        "users",
        help="staff accounts",
        description=(
            "Manage staff accounts. `supportbot seed --demo` creates demo logins (agent1, "
            "agent2, agent3, manager, admin; password from SUPPORTBOT_DEMO_PASSWORD, "
            "default 'demo-password')."
        ),
    )
    actions = parser.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    create = actions.add_parser(
        "create",
        help="create a staff account",
        description="Create a staff account. The password is read from "
        "SUPPORTBOT_NEW_USER_PASSWORD or asked for.",
    )
    create.add_argument("username")
    create.add_argument("--role", choices=[r.value for r in StaffRole], default="agent")
    create.add_argument("--display-name")
    create.set_defaults(handler=_create)
