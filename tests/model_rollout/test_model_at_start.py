"""Which model `supportbot run` starts: a restart keeps the model `supportbot training activate`
rolled out, unless the current training data's model was trained after it or it is gone."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ticketing.model_rollout.state import Served, State, model_to_start, save


def _model(folder: Path, name: str, trained: datetime) -> Path:
    path = folder / f"{name}.tar.gz"
    path.write_bytes(b"model")
    os.utime(path, (trained.timestamp(), trained.timestamp()))
    return path


def _activated(folder: Path, model: Path, at: datetime) -> Path:
    record = folder / "active.json"
    save(State(active=Served(str(model), at.isoformat(timespec="seconds"))), record)
    return record


NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def test_without_an_activation_the_current_data_model_starts(tmp_path: Path) -> None:
    trained = _model(tmp_path, "current", NOW)
    model, why = model_to_start(trained, tmp_path / "active.json")
    assert model == trained
    assert "current training data" in why
    assert model_to_start(None, tmp_path / "active.json")[0] is None


def test_the_activated_model_starts_after_a_restart(tmp_path: Path) -> None:
    trained = _model(tmp_path, "current", NOW - timedelta(days=1))
    candidate = _model(tmp_path, "candidate", NOW - timedelta(hours=2))
    record = _activated(tmp_path, candidate, NOW - timedelta(hours=1))
    model, why = model_to_start(trained, record)
    assert model == candidate
    assert "activated" in why and "restore" in why and "current.tar.gz is older" in why
    # also when nothing is trained for the current data
    assert model_to_start(None, record)[0] == candidate


def test_a_model_trained_after_the_activation_wins(tmp_path: Path) -> None:
    candidate = _model(tmp_path, "candidate", NOW - timedelta(days=2))
    record = _activated(tmp_path, candidate, NOW - timedelta(days=1))
    trained = _model(tmp_path, "current", NOW)
    model, why = model_to_start(trained, record)
    assert model == trained
    assert "trained after candidate.tar.gz was activated" in why


def test_a_missing_activated_model_falls_back_and_says_so(tmp_path: Path) -> None:
    trained = _model(tmp_path, "current", NOW - timedelta(days=1))
    record = _activated(tmp_path, tmp_path / "deleted.tar.gz", NOW)
    model, why = model_to_start(trained, record)
    assert model == trained
    assert "deleted.tar.gz is missing" in why


def test_an_unreadable_record_is_no_activation(tmp_path: Path) -> None:
    trained = _model(tmp_path, "current", NOW)
    record = tmp_path / "active.json"
    record.write_text("{not json", encoding="utf-8")
    assert model_to_start(trained, record)[0] == trained
