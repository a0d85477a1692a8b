"""`supportbot export csat`: the ratings given or changed in a period, as the CRM gets them."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from tests.crm.cli import run_cli
from tests.crm.helpers import outbox, rate
from ticketing.settings import get_settings


@pytest.fixture
def configured(database, monkeypatch):
    monkeypatch.setenv("SUPPORTBOT_DATABASE_URL", database.url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_csv_has_the_webhooks_data_for_the_period(database, configured, tmp_path):
    rate(database, "web-october", 5, now=datetime(2026, 10, 31, 23, 59, tzinfo=UTC))
    rate(database, "web-ada", 4, now=at(2), comment='Fast, "friendly"; thanks')
    rate(database, "tg-bob", 1, now=at(20))
    rate(database, "web-december", 3, now=datetime(2026, 12, 1, tzinfo=UTC))
    output = tmp_path / "csat.csv"

    code = run_cli(
        [
            "export",
            "csat",
            "--since",
            "2026-11-01",
            "--until",
            "2026-12-01",
            "--output",
            str(output),
        ]
    )

    assert code == 0
    exported = rows(output.read_text(encoding="utf-8"))
    assert [r["conversation_id"] for r in exported] == ["web-ada", "tg-bob"]
    assert list(exported[0]) == [
        "conversation_id",
        "score",
        "comment",
        "channel",
        "category",
        "agent",
        "ticket_number",
        "customer_id",
        "created_at",
        "updated_at",
    ]
    assert exported[0]["comment"] == 'Fast, "friendly"; thanks'
    webhook = {e.payload["conversation_id"]: e.payload for e in outbox(database)}
    for row in exported:
        sent = webhook[row["conversation_id"]]
        assert row == {key: "" if value is None else str(value) for key, value in sent.items()}


def test_a_changed_rating_is_exported_by_its_last_change(database, configured, capsys):
    rate(database, "web-ada", 4, now=datetime(2026, 10, 30, tzinfo=UTC))
    rate(database, "web-ada", 2, now=at(3), comment="It broke")

    assert run_cli(["export", "csat", "--since", "2026-11-01T00:00:00+01:00"]) == 0

    out, err = capsys.readouterr()
    [row] = rows(out)
    assert (row["score"], row["comment"]) == ("2", "It broke")
    assert row["created_at"] == "2026-10-30T00:00:00+00:00"
    assert "exported 1 ratings" in err


def test_an_empty_period_is_just_the_header(database, configured, capsys):
    assert run_cli(["export", "csat", "--since", "2030-01-01"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "conversation_id,score,comment,channel,category,agent,ticket_number,customer_id,"
        "created_at,updated_at"
    ]


@pytest.mark.parametrize("bad", ["2026-13-01", "yesterday", "01/11/2026"])
def test_a_bad_date_is_a_clear_error(bad, capsys):
    with pytest.raises(SystemExit) as exit_info:
        run_cli(["export", "csat", "--since", bad])

    assert exit_info.value.code == 2
    assert f"argument --since: {bad!r} is not a date: use YYYY-MM-DD" in capsys.readouterr().err


def test_until_before_since_is_refused(capsys):
    assert run_cli(["export", "csat", "--since", "2026-11-02", "--until", "2026-11-01"]) == 2
    assert "--until must be after --since" in capsys.readouterr().err
