"""Where the rollout reads and writes: candidates and the active-model record under `models/`
(next to the models, ignored by git), scratch work under `var/model_rollout/`."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "models"
CANDIDATES = MODELS / "candidates"
STATE_FILE = MODELS / "active.json"
WORK = ROOT / "var" / "model_rollout"
NLU_DIR = Path("data") / "nlu"
# What `supportbot training export` writes: the labelled examples of the training inbox.
LEARNED_FILE = NLU_DIR / "learned.yml"
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
RASA_SIDE = Path(__file__).resolve().parent / "rasa_side.py"
SHARED_DATASETS = ROOT.parent / "shared" / "datasets"
# The Rasa servers `supportbot run` started (comma-separated URLs): activation loads into each.
RASA_SERVERS_FILE = ROOT / "var" / "rasa_servers"


def shown(path: Path) -> str:
    """`path` relative to the checkout when inside it, for messages."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
