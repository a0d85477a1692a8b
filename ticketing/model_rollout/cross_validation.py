"""Cross-validate the old and the new inputs on the same folds (see `folds`), with progress."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from ticketing.model_rollout import folds as fold_split
from ticketing.model_rollout.datasets import write_test_file
from ticketing.model_rollout.evaluate import Prediction, Scores, from_rasa, score
from ticketing.model_rollout.rasa_calls import (
    Say,
    fallback_threshold,
    intents_only_config,
    test_nlu,
    train_nlu,
)
from ticketing.model_rollout.staging import TrainingInputs


def _duration(seconds: float) -> str:
    return f"{seconds // 60:.0f} min {seconds % 60:02.0f} s"


def cross_validate(
    old: TrainingInputs,
    new: TrainingInputs,
    count: int,
    work: Path,
    say: Say,
    clock: Callable[[], float] = time.monotonic,
) -> tuple[Scores, Scores]:
    """Per fold, train each side's config (intents only) on its data minus the fold and parse
    the fold; the scores over every fold's predictions, (old, new)."""
    say(f"cv: splitting the new data into {count} folds (Rasa's stratified split)")
    test_folds = fold_split.prepare(new.nlu, old.nlu, count, work)
    sizes = ", ".join(str(len(f)) for f in test_folds)
    say(f"cv: {count} folds of the new data's {sum(map(len, test_folds))} examples ({sizes})")
    predictions: dict[str, list[Prediction]] = {old.label: [], new.label: []}
    sides = [
        (side, intents_only_config(side.config, work / f"{side.label}-config.yml"))
        for side in (old, new)
    ]
    started, steps, step = clock(), 2 * count, 0
    for index, fold in enumerate(test_folds):
        test_file = work / f"fold{index + 1}" / "test.yml"
        write_test_file(test_file, ((e.text, e.intent) for e in fold))
        for side, config in sides:
            step += 1
            elapsed = clock() - started
            left = (
                f", about {_duration(elapsed / (step - 1) * (steps - step + 1))} left"
                if step > 1
                else ""
            )
            prefix = f"cv fold {index + 1}/{count} {side.label}"
            say(f"{prefix}: training (step {step}/{steps}, {_duration(elapsed)} elapsed{left})")
            out = work / f"fold{index + 1}" / side.label
            data = fold_split.training_file(work, index + 1, side.label)
            model = train_nlu(data, config, out, say, prefix)
            rows = test_nlu(model, test_file, out / "test", say, prefix)
            predictions[side.label] += from_rasa(rows)
    say(f"cv: done in {_duration(clock() - started)}")
    return (
        score(predictions[old.label], fallback_threshold(old.config)),
        score(predictions[new.label], fallback_threshold(new.config)),
    )


def parse_fixed_test(model: Path, test_file: Path, config: Path, work: Path, say: Say) -> Scores:
    """Scores of a whole trained model (the one that would serve customers) on the fixed test."""
    rows = test_nlu(model, test_file, work, say, f"fixed test {model.name}")
    return score(from_rasa(rows), fallback_threshold(config))
