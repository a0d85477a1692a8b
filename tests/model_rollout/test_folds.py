"""Cross-validation folds: Rasa's seeded split of the new data, the same on every run, and the
same test folds for the old and the new side (each trains on its data minus the fold)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ticketing.model_rollout.datasets import normalise
from ticketing.model_rollout.folds import prepare, training_file
from ticketing.model_rollout.paths import RASA_PYTHON

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not RASA_PYTHON.is_file(), reason=".venv-rasa is not installed"),
]

WORDS = ("parcel", "package", "order", "delivery", "shipment", "box")
OLD = {
    "order_status": [f"where is my {w}" for w in WORDS],
    "cancel_order": [f"cancel my {w}" for w in WORDS],
    "greet": ["hi", "hello", "hey", "good morning", "good evening", "hiya"],
}
LEARNED = {"order_status": ["wheres my stuff", "has my thing shipped"]}
OLD_ONLY = {"greet": ["yo there"]}


def _write(path: Path, intents: dict[str, list[str]]) -> Path:
    lines = ['version: "3.1"', "nlu:"]
    for intent, texts in intents.items():
        lines += [f"- intent: {intent}", "  examples: |", *(f"    - {t}" for t in texts)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _texts(path: Path) -> set[str]:
    data = yaml.safe_load(path.read_text("utf-8"))
    return {
        normalise(line.removeprefix("- "))
        for block in data["nlu"]
        if "intent" in block
        for line in block["examples"].splitlines()
        if line.strip()
    }


def test_folds_are_deterministic_and_shared_by_old_and_new(tmp_path: Path) -> None:
    old = [_write(tmp_path / "old.yml", OLD), _write(tmp_path / "old_only.yml", OLD_ONLY)]
    new = [_write(tmp_path / "new.yml", OLD), _write(tmp_path / "learned.yml", LEARNED)]
    first = prepare(new, old, 3, tmp_path / "first")
    second = prepare(list(reversed(new)), old, 3, tmp_path / "second")
    assert first == second  # the same split whatever the file order, run after run

    new_texts = {normalise(t) for texts in (*OLD.values(), *LEARNED.values()) for t in texts}
    tested = [normalise(e.text) for fold in first for e in fold]
    assert sorted(tested) == sorted(new_texts)  # every new example in exactly one fold
    for fold in first:  # stratified: each intent in every fold
        assert {e.intent for e in fold} == {"order_status", "cancel_order", "greet"}

    old_texts = {normalise(t) for texts in (*OLD.values(), *OLD_ONLY.values()) for t in texts}
    for index, fold in enumerate(first, start=1):
        held = {normalise(e.text) for e in fold}
        assert _texts(training_file(tmp_path / "first", index, "new")) == new_texts - held
        assert _texts(training_file(tmp_path / "first", index, "old")) == old_texts - held
        assert normalise("yo there") in _texts(training_file(tmp_path / "first", index, "old"))
