"""`supportbot users`: create staff accounts (agents, managers, admins), list them and put
them in teams."""

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
                team=args.team,
            )
            team = f" in team {user.team!r}" if user.team else ""
            print(f"created {user.role.value} {user.username!r}{team}", file=sys.stderr)
    except DomainError as exc:
        print(f"error: {exc.msg}", file=sys.stderr)
        return 1
    finally:
        database.dispose()
    return 0


def _set_team(args: argparse.Namespace) -> int:
    if args.no_team == (args.team is not None):
        print("error: give either a TEAM or --none", file=sys.stderr)
        return 2
    team = None if args.no_team else args.team
    database = Database(get_settings().sqlalchemy_url)
    try:
        with database.session(write=True) as db_session:
            user = service.set_team(
                db_session=db_session, username=args.username, team=team, actor="cli"
            )
            where = f"team {user.team!r}" if user.team else "no team"
            print(f"{user.username!r} is in {where}", file=sys.stderr)
    except DomainError as exc:
        print(f"error: {exc.msg}", file=sys.stderr)
        return 1
    finally:
        database.dispose()
    return 0


def _list(_args: argparse.Namespace) -> int:
    database = Database(get_settings().sqlalchemy_url)
    try:
        with database.session() as db_session:
            for user in service.list_staff(db_session=db_session):
                state = "" if user.active else "  (inactive)"
                print(f"{user.username:<20} {user.role.value:<8} {user.team or '-'}{state}")
    finally:
        database.dispose()
    return 0


def add_parser(commands: Any) -> None:
    """Register `supportbot users create|list|set-team`."""
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
    create.add_argument("--team", help="short team name, e.g. returns (default: no team)")
    create.set_defaults(handler=_create)
    listing = actions.add_parser(
        "list", help="list staff accounts", description="Every staff account: role and team."
    )
    listing.set_defaults(handler=_list)
    set_team = actions.add_parser(
        "set-team",
        help="put a staff member in a team",
        description="Put a staff member in a team (reports filter by team; the console's team "
        "overview shows it), or in none with --none. A team is 1-40 lowercase letters, "
        "digits, '-' or '_', starting with a letter.",
    )
    set_team.add_argument("username")
    set_team.add_argument("team", nargs="?", help="e.g. returns or logistics")
    set_team.add_argument(
        "--none", dest="no_team", action="store_true", help="take them out of their team"
    )
    set_team.set_defaults(handler=_set_team)
