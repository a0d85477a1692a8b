"""`supportbot crm dispatch|status|retry-dead` and every `--help`."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.crm.cli import run_cli
from tests.crm.helpers import outbox, rate
from ticketing.settings import get_settings


@pytest.fixture
def configured(database, crm, monkeypatch):
    monkeypatch.setenv("SUPPORTBOT_DATABASE_URL", database.url)
    monkeypatch.setenv("SUPPORTBOT_CRM_WEBHOOK_URL", crm.url)
    monkeypatch.setenv("SUPPORTBOT_CRM_WEBHOOK_SECRET", crm.secret)
    monkeypatch.setenv("SUPPORTBOT_CRM_MAX_ATTEMPTS", "1")
    crm.clock = lambda: datetime.now(UTC)  # the CLI signs with the real time
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.parametrize(
    "command",
    [
        ["crm"],
        ["crm", "dispatch"],
        ["crm", "status"],
        ["crm", "retry-dead"],
        ["export"],
        ["export", "csat"],
    ],
)
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        run_cli([*command, "--help"])

    assert exit_info.value.code == 0
    assert len(capsys.readouterr().out.splitlines()) > 3


def test_dispatch_once_status_and_retry_dead(database, clock, crm, configured, capsys):
    rate(database, "web-ada", 4, now=clock.now)
    rate(database, "web-bob", 5, now=clock.now)
    crm.mode = "error"

    assert run_cli(["crm", "dispatch", "--once", "--limit", "1"]) == 0
    err = capsys.readouterr().err
    assert "dead      " in err and "csat.rating (attempt 1): HTTP 500" in err
    assert "crm: 0 delivered, 0 to retry, 1 dead" in err

    assert run_cli(["crm", "status"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[1].split() == ["csat.rating", "1", "1", "0", "1"]
    assert "after 1 attempts: HTTP 500" in out

    assert run_cli(["crm", "retry-dead"]) == 0
    assert "requeued 1 dead events" in capsys.readouterr().err
    crm.mode = "ok"
    assert run_cli(["crm", "dispatch", "--once"]) == 0
    assert "crm: 2 delivered, 0 to retry, 0 dead" in capsys.readouterr().err
    assert {e.state for e in outbox(database)} == {"delivered"}
    assert len(crm.accepted) == 2


def test_dispatch_needs_a_webhook_url(database, monkeypatch, capsys):
    monkeypatch.setenv("SUPPORTBOT_DATABASE_URL", database.url)
    monkeypatch.delenv("SUPPORTBOT_CRM_WEBHOOK_URL", raising=False)
    get_settings.cache_clear()
    try:
        assert run_cli(["crm", "dispatch", "--once"]) == 2
    finally:
        get_settings.cache_clear()
    assert "SUPPORTBOT_CRM_WEBHOOK_URL" in capsys.readouterr().err
