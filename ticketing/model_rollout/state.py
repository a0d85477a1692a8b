"""Which model the running Rasa serves and which it served before (`models/active.json`), so
`restore` knows what to put back and `retrain` what to compare with."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from ticketing.model_rollout import paths


@dataclass(frozen=True)
class Served:
    """A model file (absolute path) and since when (ISO 8601, UTC) it was served."""

    model: str
    at: str


@dataclass(frozen=True)
class State:
    active: Served | None = None
    previous: Served | None = None


def _served(value: object) -> Served | None:
    if isinstance(value, dict) and isinstance(value.get("model"), str):
        return Served(model=value["model"], at=str(value.get("at", "")))
    return None


def load(path: Path | None = None) -> State:
    """The recorded state; empty when nothing was activated yet (or the file is unreadable)."""
    path = path or paths.STATE_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return State()
    if not isinstance(data, dict):
        return State()
    return State(active=_served(data.get("active")), previous=_served(data.get("previous")))


def save(state: State, path: Path | None = None) -> None:
    """Write atomically: a crash leaves the old record or the new one, never half of one."""
    path = path or paths.STATE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".json.partial")
    data = {
        "active": asdict(state.active) if state.active else None,
        "previous": asdict(state.previous) if state.previous else None,
    }
    partial.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, path)


def model_to_start(trained: Path | None, path: Path | None = None) -> tuple[Path | None, str]:
    """The model `supportbot run` starts, and why in one line: the activated one (so a
    restart keeps what `supportbot training activate` rolled out), unless the model of the
    current training data (`trained`) was trained after that activation, or the activated
    file is gone."""
    active = load(path).active
    if active is None:
        return trained, "the model of the current training data"
    chosen = Path(active.model)
    if not chosen.is_file():
        return trained, (
            f"the model of the current training data: the activated {chosen.name} is missing"
        )
    if trained is None or trained.resolve() == chosen.resolve():
        return chosen, f"the activated model (since {active.at})"
    try:
        activated_at = datetime.fromisoformat(active.at).timestamp()
    except ValueError:
        activated_at = 0.0
    if trained.stat().st_mtime > activated_at:
        return trained, (
            f"the model of the current training data, trained after {chosen.name} was "
            f"activated on {active.at}"
        )
    return chosen, (
        f"the activated model (since {active.at}); the current training data's "
        f"{trained.name} is older (`supportbot training restore` or delete "
        f"{paths.shown(path or paths.STATE_FILE)} to serve it)"
    )
