"""`supportbot users create|list|set-team`: staff accounts and their teams from the shell."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from ticketing.cli import build_parser
from ticketing.db import Database
from ticketing.settings import get_settings
from ticketing.staff.models import StaffUser


@pytest.fixture
def configured(database: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("SUPPORTBOT_DATABASE_URL", database.url)
    monkeypatch.setenv("SUPPORTBOT_NEW_USER_PASSWORD", "a long enough password")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def run(*argv: str) -> int:
    args = build_parser().parse_args(["users", *argv])
    code: int = args.handler(args)
    return code


def teams(database: Database) -> dict[str, str | None]:
    with database.session() as s:
        return dict(s.execute(select(StaffUser.username, StaffUser.team)).tuples().all())


def test_create_with_a_team_then_move_and_leave(configured, database, capsys):  # noqa: ARG001
    assert run("create", "ann", "--team", "Returns") == 0
    assert run("create", "bob", "--role", "manager") == 0
    assert "created agent 'ann' in team 'returns'" in capsys.readouterr().err
    assert teams(database) == {"ann": "returns", "bob": None}

    assert run("set-team", "bob", "logistics") == 0
    assert "'bob' is in team 'logistics'" in capsys.readouterr().err
    assert run("set-team", "ann", "--none") == 0
    assert teams(database) == {"ann": None, "bob": "logistics"}

    assert run("list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split() for line in lines] == [
        ["bob", "manager", "logistics"],
        ["ann", "agent", "-"],
    ]


def test_refusals_change_nothing(configured, database, capsys):  # noqa: ARG001
    assert run("create", "ann") == 0
    assert run("create", "cy", "--team", "after sales") == 1
    assert "not a team name" in capsys.readouterr().err
    assert run("set-team", "ann", "two words") == 1
    assert run("set-team", "nobody", "returns") == 1
    assert "no staff member 'nobody'" in capsys.readouterr().err
    assert run("set-team", "ann") == 2  # neither a team nor --none
    assert run("set-team", "ann", "returns", "--none") == 2  # both
    assert teams(database) == {"ann": None}


def test_help_says_what_set_team_does(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["users", "set-team", "--help"])
    assert "reports filter by team" in capsys.readouterr().out
