"""The part of the rollout that needs Rasa itself: run by `.venv-rasa/bin/python` (the backend's
environment has no Rasa), stdlib and Rasa only, one JSON answer on stdout.

    examples --nlu FILE...                      the intent examples as [{"text", "intent"}]
    write --nlu FILE... --exclude JSON --out F  the merged data minus the excluded texts, as YAML
    cv --nlu NEW... --old-nlu OLD... --folds K --seed S --out DIR
        Rasa's stratified split of the new data's examples: {"folds": [[example]...]}, and for
        each fold DIR/fold<i>/{old,new}/train.yml: that side's data minus the fold's texts

The folds are Rasa's own `generate_folds` (`rasa/nlu/test.py`, a shuffled StratifiedKFold drawn
from numpy's global generator), seeded as `benchmarks/nlu/run.py cv` seeds it; the examples are
sorted and de-duplicated first, so the split depends on the data, not on file order.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any


def normalise(text: str) -> str:
    """Lower case, punctuation as spaces, single spaces (as `datasets.normalise`)."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def _load(files: list[str]) -> Any:
    from rasa.shared.nlu.training_data.loading import load_data  # type: ignore[import-not-found]

    first, *rest = files
    return load_data(first).merge(*(load_data(path) for path in rest))


def _training_data_class() -> Any:
    from rasa.shared.nlu.training_data.training_data import (  # type: ignore[import-not-found]
        TrainingData,
    )

    return TrainingData


def _unique_examples(data: Any) -> list[Any]:
    """Intent examples sorted by (intent, text), the first of each normalised text kept."""
    seen: set[str] = set()
    unique = []
    ordered = sorted(data.intent_examples, key=lambda e: (e.get_full_intent(), e.get("text")))
    for example in ordered:
        key = normalise(example.get("text"))
        if key and key not in seen:
            seen.add(key)
            unique.append(example)
    return unique


def examples(files: list[str]) -> list[dict[str, str]]:
    return [
        {"text": e.get("text"), "intent": e.get_full_intent()}
        for e in _unique_examples(_load(files))
    ]


def folds(files: list[str], count: int, seed: int) -> list[list[dict[str, str]]]:
    import numpy
    from rasa.nlu.test import generate_folds  # type: ignore[import-not-found]

    pool = _training_data_class()(training_examples=_unique_examples(_load(files)))
    numpy.random.seed(seed)
    return [
        [{"text": e.get("text"), "intent": e.get_full_intent()} for e in test.intent_examples]
        for _, test in generate_folds(count, pool)
    ]


def write(files: list[str], exclude: Path, out: Path) -> int:
    excluded = {normalise(text) for text in json.loads(exclude.read_text(encoding="utf-8"))}
    return _write_without(_load(files), excluded, out)


def _write_without(data: Any, excluded: set[str], out: Path) -> int:
    kept = [e for e in data.training_examples if normalise(e.get("text", "")) not in excluded]
    filtered = _training_data_class()(
        training_examples=kept,
        entity_synonyms=data.entity_synonyms,
        regex_features=data.regex_features,
        lookup_tables=data.lookup_tables,
        responses=data.responses,
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(filtered.nlu_as_yaml(), encoding="utf-8")
    return len(data.training_examples) - len(kept)


def cross_validation_files(
    new_files: list[str], old_files: list[str], count: int, seed: int, out: Path
) -> list[list[dict[str, str]]]:
    test_folds = folds(new_files, count, seed)
    new, old = _load(new_files), _load(old_files)
    for index, fold in enumerate(test_folds):
        texts = {normalise(example["text"]) for example in fold}
        for side, data in (("old", old), ("new", new)):
            _write_without(data, texts, out / f"fold{index + 1}" / side / "train.yml")
    return test_folds


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", choices=("examples", "folds", "write", "cv"))
    parser.add_argument("--nlu", nargs="+", required=True)
    parser.add_argument("--old-nlu", nargs="+")
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--exclude", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    answer: object
    if args.command == "examples":
        answer = examples(args.nlu)
    elif args.command == "folds":
        answer = {"folds": folds(args.nlu, args.folds, args.seed)}
    elif args.command == "cv":
        found = cross_validation_files(args.nlu, args.old_nlu, args.folds, args.seed, args.out)
        answer = {"folds": found}
    else:
        answer = {"excluded": write(args.nlu, args.exclude, args.out)}
    sys.stdout.write(json.dumps(answer) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
