"""learned.yml: Rasa's NLU format, intents and examples sorted, duplicates dropped, masked values
as neutral examples, stable output; and Rasa's own reader loads it (in .venv-rasa)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml

from ticketing.settings import REPO_ROOT
from ticketing.training.export import HEADER, collect, example_text, render
from ticketing.training.models import Decision, TrainingLabel

RASA_PYTHON = REPO_ROOT / ".venv-rasa" / "bin" / "python"


def labels(*rows: tuple[str | None, str]) -> list[TrainingLabel]:
    return [
        TrainingLabel(
            intent=intent,
            text=text,
            decision=Decision.INTENT if intent else Decision.SKIP,
        )
        for intent, text in rows
    ]


ROWS = (
    ("order_status", "where is  order {order_number}"),
    ("out_of_scope", "do you sell gift cards"),
    ("order_status", "Where is order {order_number}"),  # the same, other case and spacing
    ("late_delivery", "my [urgent] parcel is late"),
    ("order_status", "a parcel for {name}?"),
    (None, "asdf"),  # skipped: not an example
)
EXPECTED = (
    HEADER
    + """version: "3.1"
nlu:
- intent: late_delivery
  examples: |
    - my (urgent) parcel is late
- intent: order_status
  examples: |
    - a parcel for Alex?
    - Where is order 10234
- intent: out_of_scope
  examples: |
    - do you sell gift cards
"""
)


def test_examples_are_sorted_deduplicated_and_unmasked():
    assert HEADER.startswith("# Learned from real conversations") and HEADER.count("\n") == 2
    assert render(labels(*ROWS)) == EXPECTED
    assert render(labels(*reversed(ROWS))) == EXPECTED  # stable whatever the label order
    assert yaml.safe_load(EXPECTED)["version"] == "3.1"


def test_an_example_labelled_with_two_intents_is_reported():
    found = collect(labels(("order_status", "my parcel"), ("late_delivery", "My parcel")))
    assert found.conflicts == {"my parcel": ["late_delivery", "order_status"]}


def test_nothing_labelled_is_still_valid_yaml():
    assert yaml.safe_load(render([])) == {"version": "3.1", "nlu": []}


def test_control_characters_and_line_breaks_do_not_break_the_file():
    assert example_text("two\nlines\tand\x07bell  ") == "two lines andbell"


@pytest.mark.slow
def test_rasa_reads_the_file_as_training_data(tmp_path: Path):
    if not RASA_PYTHON.exists():
        pytest.fail(f"{RASA_PYTHON} is missing: run `make install`")
    path = tmp_path / "learned.yml"
    path.write_text(render(labels(*ROWS)), encoding="utf-8")
    script = (
        "import json, sys\n"
        "from rasa.shared.nlu.training_data.loading import load_data\n"
        "data = load_data(sys.argv[1])\n"
        "print(json.dumps({m.get('text'): m.get('intent') for m in data.intent_examples}))\n"
    )
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run(  # noqa: S603 - the project's own interpreter and script
        [str(RASA_PYTHON), "-c", script, str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded == {
        "my (urgent) parcel is late": "late_delivery",
        "a parcel for Alex?": "order_status",
        "Where is order 10234": "order_status",
        "do you sell gift cards": "out_of_scope",
    }
