"""`supportbot training export` writes learned.yml and says what it wrote; retention deletes
unlabelled (and skipped) messages past `training_inbox_retention_days`, never examples."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.training.conftest import MANAGER
from tests.training.test_labels_api import OTHER, PARCEL, fill
from ticketing.cli import build_parser, main
from ticketing.settings import Settings, get_settings
from ticketing.training.models import InboxItem, TrainingLabel
from ticketing.training.retention import RetentionRunner, purge_expired


@pytest.fixture
def cli_env(database, monkeypatch):
    monkeypatch.setenv("SUPPORTBOT_ENVIRONMENT", "test")
    monkeypatch.setenv("SUPPORTBOT_DATABASE_URL", database.url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_export_writes_the_file_and_says_what_it_wrote(inbox, cli_env, tmp_path, capsys):
    ids = fill(inbox)
    inbox.label([ids[text] for text in PARCEL], intent="order_status")
    inbox.label([ids[OTHER]], "out_of_scope")
    out = tmp_path / "nlu" / "learned.yml"

    assert main(["training", "export", "--output", str(out)]) == 0

    printed = capsys.readouterr().out.splitlines()
    assert printed == [
        f"wrote {out}: 4 examples of 2 intents",
        "  order_status: 3",
        "  out_of_scope: 1",
    ]
    text = out.read_text(encoding="utf-8")
    assert "- intent: order_status" in text and "    - my parcel where is it" in text
    first = text
    assert main(["training", "export", "--output", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == first  # same labels, same bytes


def test_every_training_command_has_help(capsys):
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args(["training", "export", "--help"])
    assert done.value.code == 0
    assert "--output" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        build_parser().parse_args(["training", "purge", "--days", "0"])
    assert "at least 1" in capsys.readouterr().err


def test_retention_keeps_examples_and_recent_messages(inbox, database):
    ids = fill(inbox)  # created at the clock's now (one second apart)
    inbox.label([ids[PARCEL[0]]], intent="order_status")
    inbox.label([ids[PARCEL[1]]], "skip")
    inbox.clock.advance(days=90, seconds=2)
    recent = inbox.reported(inbox.conversation("late"), "brand new question")
    with database.session(write=True) as s:
        removed = purge_expired(s, now=inbox.clock(), days=90)
    assert removed == 3  # PARCEL[1] (skipped), PARCEL[2] and OTHER (unlabelled)
    with database.session() as s:
        left = sorted(s.scalars(select(InboxItem.id)))
        assert left == sorted([ids[PARCEL[0]], recent])
        assert [row.intent for row in s.scalars(select(TrainingLabel))] == ["order_status"]
    inbox._tokens.clear()  # the login expired in those 90 days
    assert inbox.inbox(MANAGER)["pending"] == 1


def test_the_runner_applies_the_configured_retention(inbox, database):
    fill(inbox)
    runner = RetentionRunner(database, inbox.clock, days=30, interval=0)
    assert runner.run_once() == 0
    inbox.clock.advance(days=31)
    assert runner.run_once() == 4
    assert Settings().training_inbox_retention_days == 90  # the default
    with pytest.raises(ValueError, match="greater than or equal to 1"):
        Settings(training_inbox_retention_days=0)
