"""The training inputs of the old and the new model, as directories Rasa can train from.

A candidate trains from a copy of the project's training inputs (exactly the files
`bot/model_cache.py` hashes) in which `data/nlu/learned.yml` lacks its held-out rows; it is
named by the hash of that copy, as `make model` names models. Next to each candidate its
inputs are kept (`<model>.inputs/`: config.yml and data/nlu/), so the next retrain compares
against what it really trained on. The project model has none: its inputs are the current ones
without learned.yml, which is checked against its name (the hash of those inputs).
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from ticketing.model_rollout.paths import LEARNED_FILE, NLU_DIR, RASA, ROOT


@dataclass(frozen=True)
class TrainingInputs:
    """What one side of the comparison trains with; `origin` says where it comes from."""

    label: str
    config: Path
    nlu: list[Path]
    origin: str


def model_cache() -> ModuleType:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import bot.model_cache

    return bot.model_cache


def nlu_files(root: Path) -> list[Path]:
    return sorted((root / NLU_DIR).glob("*.yml"))


def stage(target: Path, *, with_learned: bool) -> Path:
    """A fresh copy of the project's training inputs in `target` (learned.yml only if asked),
    with `.venv-rasa` linked so `bot/model_cache.py` can train there."""
    if target.exists():
        shutil.rmtree(target)
    for source in model_cache().training_inputs(ROOT):
        relative = source.relative_to(ROOT)
        if relative == LEARNED_FILE and not with_learned:
            continue
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target / relative)
    (target / RASA.parent.parent.name).symlink_to(RASA.parent.parent, target_is_directory=True)
    return target


def model_name(root: Path) -> str:
    """The file name `make model` gives a model of the inputs in `root`."""
    name: str = model_cache().model_path(root).name
    return name


def inputs_dir(model: Path) -> Path:
    return model.with_name(model.name.removesuffix(".tar.gz") + ".inputs")


def keep_inputs(model: Path, root: Path) -> None:
    """Store the config and NLU data `model` trained on beside it."""
    target = inputs_dir(model)
    if target.exists():
        shutil.rmtree(target)
    (target / NLU_DIR).mkdir(parents=True)
    shutil.copy2(root / "config.yml", target / "config.yml")
    for path in nlu_files(root):
        shutil.copy2(path, target / NLU_DIR / path.name)


def old_inputs(model: Path, work: Path) -> TrainingInputs:
    """The config and NLU data `model` trained on: its kept inputs, else the current inputs
    without learned.yml (saying whether the model's name confirms it)."""
    kept = inputs_dir(model)
    if kept.is_dir():
        return TrainingInputs("old", kept / "config.yml", nlu_files(kept), f"kept in {kept.name}/")
    root = stage(work / "old-inputs", with_learned=False)
    if model_name(root) == model.name:
        origin = "the current inputs without learned.yml (the model's name confirms it)"
    else:
        origin = (
            "the current inputs without learned.yml (NOT confirmed: the model was trained "
            "from other inputs, so its cross-validation is an approximation)"
        )
    return TrainingInputs("old", root / "config.yml", nlu_files(root), origin)
