"""Cross-validation folds that are the same for the old and the new model.

The folds split the *new* data's examples (the labels a manager corrected are the truth) with
Rasa's own stratified split, seeded as `benchmarks/nlu/run.py cv` seeds it (`rasa_side.py`).
For fold i, the old model's config trains on the old data minus fold i's texts and the new
config on the new data minus them; both parse fold i. So both are scored on the same messages,
neither trained on what it is scored on, and the labelled examples only the new data has are in
the test folds too: the candidate gets credit for them only where the other folds taught it,
never for having seen the very message. Examples only the old data has (removed since) are
trained on, never tested.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ticketing.model_rollout.rasa_calls import rasa_side

# As `benchmarks/nlu/run.py` (FOLD_SEED): numpy's generator seeded before Rasa's split.
FOLD_SEED = 42


@dataclass(frozen=True)
class Example:
    text: str
    intent: str


def prepare(
    new_nlu: Sequence[Path], old_nlu: Sequence[Path], count: int, work: Path, seed: int = FOLD_SEED
) -> list[list[Example]]:
    """The `count` test folds of the new data (each text in exactly one), with each side's
    training file per fold written to `work/fold<i>/{old,new}/train.yml`."""
    answer = rasa_side(
        "cv",
        "--nlu",
        *map(str, new_nlu),
        "--old-nlu",
        *map(str, old_nlu),
        "--folds",
        str(count),
        "--seed",
        str(seed),
        "--out",
        str(work),
    )
    return [[Example(e["text"], e["intent"]) for e in fold] for fold in answer["folds"]]


def training_file(work: Path, fold: int, side: str) -> Path:
    return work / f"fold{fold}" / side / "train.yml"
