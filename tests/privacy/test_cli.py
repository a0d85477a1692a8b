"""`supportbot privacy`: help, and clear refusals when nobody or several people match."""

from __future__ import annotations

import pytest

from tests.factories import make_customer
from tests.privacy.helpers import dump, run_cli
from ticketing.cli import main


@pytest.mark.parametrize("command", [["privacy"], ["privacy", "export"], ["privacy", "erase"]])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])  # registered in the real `supportbot` parser

    assert exit_info.value.code == 0
    assert len(capsys.readouterr().out.splitlines()) > 5


@pytest.fixture
def shop(database):
    with database.session(write=True) as s:
        ada = make_customer(s, email="ada@example.com", phone="+49 151 1234 5678")
        twin = make_customer(s, email="twin@example.com", phone="0151 12345678")
        return {"ada": ada.id, "twin": twin.id}


@pytest.mark.parametrize(
    ("selector", "hint"),
    [
        (["--email", "nobody@example.com"], "no customer has that email; try --phone"),
        (["--phone", "+1 555 0100 999"], "no customer has that phone number; try --email"),
        (["--customer-id", "999"], "there is no customer with that id"),
        (["--channel", "telegram", "--external-id", "42"], "no conversation with that channel"),
    ],
)
@pytest.mark.parametrize("action", [["export"], ["erase", "--reason", "R-1", "--yes"]])
def test_nobody_matching_is_a_clear_error(shop, cli_env, capsys, database, selector, hint, action):
    before = dump(database)

    code = run_cli(["privacy", *action, *selector])

    err = capsys.readouterr().err
    assert code == 1
    assert "error: Nobody matches" in err and hint in err
    assert dump(database) == before  # not even an audit entry


def test_several_matches_are_refused_with_a_list(shop, cli_env, capsys, database):
    before = dump(database)

    code = run_cli(["privacy", "erase", "--phone", "+49 151 12345678", "--reason", "R", "--yes"])

    err = capsys.readouterr().err
    assert code == 1
    assert "2 customers match phone" in err and "nothing was done" in err
    assert f"--customer-id {shop['ada']}: a***@example.com" in err
    assert f"--customer-id {shop['twin']}: t***@example.com" in err
    assert "ada@example.com" not in err  # masked, like the logs
    assert dump(database) == before


def test_an_email_matches_in_any_case(shop, cli_env, capsys):
    code = run_cli(["privacy", "export", "--email", " ADA@Example.com "])

    assert code == 0
    assert '"email": "ada@example.com"' in capsys.readouterr().out


def test_a_short_phone_is_refused(shop, cli_env, capsys):
    assert run_cli(["privacy", "export", "--phone", "5678"]) == 1
    assert "fewer than 8 digits" in capsys.readouterr().err


def test_channel_and_external_id_go_together(cli_env, capsys):
    assert run_cli(["privacy", "export", "--channel", "web"]) == 2
    assert "--channel and --external-id go together" in capsys.readouterr().err


def test_erase_needs_a_reason(cli_env, capsys):
    with pytest.raises(SystemExit) as exit_info:
        run_cli(["privacy", "erase", "--customer-id", "1"])
    assert exit_info.value.code == 2
    assert "--reason" in capsys.readouterr().err

    assert run_cli(["privacy", "erase", "--customer-id", "1", "--reason", " "]) == 2
    assert "--reason must say why" in capsys.readouterr().err


def test_a_missing_tracker_store_is_a_loud_warning(shop, cli_env, capsys, tmp_path):
    missing = ["--rasa-tracker-db", str(tmp_path / "nowhere.db")]

    code = run_cli(
        ["privacy", "erase", "--customer-id", str(shop["ada"]), "--reason", "R"]
        + ["--yes", *missing]
    )

    err = capsys.readouterr().err
    assert code == 0
    assert "warning: no Rasa tracker store at" in err and "is not erased" in err


def test_an_unopenable_tracker_store_stops_before_anything(shop, cli_env, capsys, database):
    before = dump(database)
    broken = ["--rasa-tracker-db", "postgresql://nobody@127.0.0.1:1/rasa"]

    code = run_cli(
        ["privacy", "erase", "--customer-id", str(shop["ada"]), "--reason", "R", *broken]
    )

    assert code == 2
    assert "cannot open the Rasa tracker store 127.0.0.1:1/rasa" in capsys.readouterr().err
    assert dump(database) == before


def test_an_export_that_cannot_be_written_is_not_audited(shop, cli_env, capsys, database, tmp_path):
    before = dump(database)
    out = tmp_path / "missing-folder" / "ada.json"

    code = run_cli(["privacy", "export", "--customer-id", str(shop["ada"]), "--out", str(out)])

    assert code == 1
    assert "cannot write" in capsys.readouterr().err
    assert dump(database) == before
