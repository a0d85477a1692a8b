"""The Rasa project as Rasa sees it: `rasa data validate` and the test stories in tests/stories/
against the trained model (NLU and dialogue), with no prediction errors."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from bot.model_cache import latest_model_path

ROOT = Path(__file__).resolve().parents[2]
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}

pytestmark = [pytest.mark.rasa, pytest.mark.slow]


def _responses_used_by_code() -> set[str]:
    """Responses the actions dispatch and the forms ask with: Rasa's validator can't see them."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    used = {f"utter_ask_{slot}" for slot in domain["slots"]}
    for path in (ROOT / "actions").rglob("*.py"):
        used |= set(re.findall(r"response=\"(utter_\w+)\"", path.read_text()))
    return used


def test_rasa_data_validate_finds_nothing_but_responses_used_by_code() -> None:
    result = subprocess.run(  # noqa: S603 - fixed command
        [str(RASA), "data", "validate"],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    warnings = re.findall(r"UserWarning: (.*)", output)
    unused = {m for w in warnings for m in re.findall(r"The utterance '(\w+)' is not used", w)}
    others = [
        w for w in warnings if "is not used in any story or rule" not in w or "utterance" not in w
    ]
    assert others == [], "\n".join(others)
    assert unused <= _responses_used_by_code(), unused - _responses_used_by_code()


def test_test_stories_have_no_prediction_errors(tmp_path: Path) -> None:
    model = latest_model_path(ROOT)
    assert model is not None, "no trained model for the current inputs: run `make model`"
    stories = sorted((ROOT / "tests" / "stories").glob("test_*.yml"))
    count = sum(len(yaml.safe_load(p.read_text())["stories"]) for p in stories)
    assert count >= 40, f"only {count} test stories"
    result = subprocess.run(  # noqa: S603 - fixed command
        [
            str(RASA),
            "test",
            "core",
            "--model",
            str(model),
            "--stories",
            "tests/stories",
            "--out",
            str(tmp_path),
            "--fail-on-prediction-errors",
            "--no-plot",
        ],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=900,
    )
    failed = tmp_path / "failed_test_stories.yml"
    details = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:] + "\n" + details
