"""`supportbot export nps`: the NPS answers given in a period as CSV, the CRM webhook's fields."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from integrations.crm.events import NPS_FIELDS
from tests.crm.helpers import outbox
from tests.factories import make_staff
from ticketing.cli import main
from ticketing.conversations import store
from ticketing.feedback import nps_service
from ticketing.settings import get_settings
from ticketing.staff.models import StaffRole


@pytest.fixture
def configured(database, monkeypatch):
    monkeypatch.setenv("SUPPORTBOT_DATABASE_URL", database.url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def at(month: int, day: int, hour: int = 12) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def answer(database, external_id: str, score: int, *, when: datetime, agent: str | None = None):
    """Ask and answer on a conversation of its own, as the hub does."""
    with database.session(write=True) as s:
        conversation, _ = store.get_or_create(s, channel="web", external_id=external_id, now=when)
        if agent is not None:
            conversation.assignee_id = make_staff(s, agent, StaffRole.AGENT).id
        nps_service.ask(db_session=s, conversation=conversation, now=when, actor="test")
        nps_service.save_answer(db_session=s, conversation=conversation, score=score, now=when)


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_csv_has_the_webhooks_fields_for_the_period(database, configured, tmp_path):
    answer(database, "october", 10, when=datetime(2026, 10, 31, 23, 59, 59, tzinfo=UTC))
    answer(database, "ada", 9, when=at(11, 1, 0), agent="grace")
    answer(database, "bob", 3, when=at(11, 30, 23))
    answer(database, "december", 7, when=at(12, 1, 0))
    output = tmp_path / "nps.csv"

    code = main(
        ["export", "nps", "--since", "2026-11-01", "--until", "2026-12-01", "-o", str(output)]
    )

    assert code == 0
    text = output.read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(NPS_FIELDS)
    exported = rows(text)
    assert [(r["conversation_id"], r["score"], r["group"]) for r in exported] == [
        ("web-ada", "9", "promoter"),
        ("web-bob", "3", "detractor"),
    ]
    assert (exported[0]["agent"], exported[1]["agent"]) == ("grace", "")
    webhook = {e.payload["conversation_id"]: e.payload for e in outbox(database)}
    for row in exported:
        sent = webhook[row["conversation_id"]]
        assert row == {key: "" if value is None else str(value) for key, value in sent.items()}


def test_since_takes_a_time_zone_and_until_defaults_to_now(database, configured, capsys):
    answer(database, "early", 5, when=at(10, 31, 22))
    answer(database, "late", 8, when=at(10, 31, 23))

    assert main(["export", "nps", "--since", "2026-11-01T00:00:00+01:00"]) == 0

    out, err = capsys.readouterr()
    assert [r["conversation_id"] for r in rows(out)] == ["web-late"]
    assert "exported 1 NPS answers" in err


def test_an_empty_period_is_just_the_header(database, configured, capsys):
    assert main(["export", "nps", "--since", "2030-01-01"]) == 0
    assert capsys.readouterr().out.splitlines() == [",".join(NPS_FIELDS)]


def test_help_says_what_it_writes(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "nps", "--help"])

    assert exit_info.value.code == 0
    shown = " ".join(capsys.readouterr().out.split())
    assert "usage: supportbot export nps" in shown
    assert "NPS answers given in [--since, --until) as CSV" in shown
    assert "promoter 9-10, passive 7-8, detractor 0-6" in shown
    assert "--since SINCE" in shown


@pytest.mark.parametrize("bad", ["2026-13-01", "last week"])
def test_a_bad_date_is_a_clear_error(bad, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "nps", "--since", bad])

    assert exit_info.value.code == 2
    assert f"argument --since: {bad!r} is not a date" in capsys.readouterr().err


def test_until_before_since_is_refused(capsys):
    assert main(["export", "nps", "--since", "2026-11-02", "--until", "2026-11-01"]) == 2
    assert "--until must be after --since" in capsys.readouterr().err
