"""Rasa's commands as the rollout runs them: quiet, logged to a file, with a line of progress for
each component that takes a while (`bot.model_cache.TrainingProgress`, as `make model` shows)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from ticketing.cli.run import OFFLINE_ENV
from ticketing.model_rollout.errors import RolloutError
from ticketing.model_rollout.paths import RASA, RASA_PYTHON, RASA_SIDE, ROOT, shown

Say = Callable[[str], None]


def _training_progress() -> Any:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from bot.model_cache import TrainingProgress

    return TrainingProgress()


def require_rasa() -> None:
    """Refuse early, with what to do, when `.venv-rasa` is not installed."""
    if not (RASA.is_file() and RASA_PYTHON.is_file()):
        raise RolloutError("no_rasa", f"{shown(RASA)} is missing", "run `make install` first")


def rasa_side(command: str, *args: str) -> Any:
    """Run `rasa_side.py command args` in `.venv-rasa`; its JSON answer."""
    argv = [str(RASA_PYTHON), str(RASA_SIDE), command, *args]
    done = subprocess.run(  # noqa: S603 - the repository's own script and interpreter
        argv, cwd=ROOT, env={**os.environ, **OFFLINE_ENV}, capture_output=True, text=True
    )
    if done.returncode != 0:
        tail = "\n".join(done.stderr.splitlines()[-15:])
        raise RolloutError(
            "rasa_data", f"reading the training data failed:\n{tail}", "fix the YAML it names"
        )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_logged(argv: list[str], log: Path, say: Say, prefix: str) -> None:
    """Run a Rasa command with its whole output in `log`; `say` gets its progress lines."""
    log.parent.mkdir(parents=True, exist_ok=True)
    progress = _training_progress()
    with log.open("w", encoding="utf-8") as handle:
        handle.write(" ".join(argv) + "\n")
        handle.flush()
        # Universal newlines: a progress bar's carriage return ends a line too.
        process = subprocess.Popen(  # noqa: S603 - the repository's own rasa
            argv,
            cwd=ROOT,
            env={**os.environ, **OFFLINE_ENV},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
        )
        assert process.stdout is not None  # noqa: S101 - stdout=PIPE guarantees it
        for line in process.stdout:
            handle.write(line if line.endswith("\n") else line + "\n")
            for shown_line in progress.feed(line.rstrip("\n")):
                say(f"{prefix}: {shown_line.removeprefix('train: ')}")
        code = process.wait()
    if code != 0:
        tail = "\n".join(f"  {x}" for x in log.read_text(errors="replace").splitlines()[-20:])
        raise RolloutError(
            "rasa_failed",
            f"{argv[1]} {argv[2]} failed (exit code {code}):\n{tail}",
            f"the whole output is in {shown(log)}",
        )


def train_nlu(data: Path, config: Path, out: Path, say: Say, prefix: str) -> Path:
    """`rasa train nlu` on one file; the model's path."""
    argv = [str(RASA), "train", "nlu", "--nlu", str(data), "--config", str(config)]
    argv += ["--out", str(out), "--fixed-model-name", "model"]
    run_logged(argv, out / "train.log", say, prefix)
    return out / "model.tar.gz"


def test_nlu(model: Path, data: Path, out: Path, say: Say, prefix: str) -> list[dict[str, Any]]:
    """`rasa test nlu`: one row per example (text, intent, intent_prediction)."""
    argv = [str(RASA), "test", "nlu", "--nlu", str(data), "--model", str(model)]
    argv += ["--out", str(out), "--no-plot", "--successes"]
    say(f"{prefix}: parsing the test rows (loading the model first)")
    started = time.monotonic()
    run_logged(argv, out / "test.log", say, prefix)
    say(f"{prefix}: parsed in {time.monotonic() - started:.0f} s")
    rows: list[dict[str, Any]] = []
    for name in ("intent_successes.json", "intent_errors.json"):
        if (out / name).is_file():
            rows += json.loads((out / name).read_text(encoding="utf-8"))
    return rows


def intents_only_config(source: Path, target: Path) -> Path:
    """`source` without the DIET steps that classify no intents (ours extracts entities only):
    the intents come out the same, each fold trains minutes faster (as `real_wording.py`)."""
    config = yaml.safe_load(source.read_text(encoding="utf-8"))
    config["pipeline"] = [
        step
        for step in config.get("pipeline", [])
        if not (step.get("name") == "DIETClassifier" and step.get("intent_classification") is False)
    ]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return target


def fallback_threshold(config: Path) -> float:
    """The FallbackClassifier's threshold (0 without one): under it the bot asks, not acts."""
    config_data = yaml.safe_load(config.read_text(encoding="utf-8"))
    for step in config_data.get("pipeline", []):
        if step.get("name") == "FallbackClassifier":
            return float(step.get("threshold", 0.3))
    return 0.0
