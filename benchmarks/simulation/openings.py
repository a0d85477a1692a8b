"""Real customers' first messages, read at run time from the shared datasets by row number
(ABCD's dev openings, MIT; HINT3 v2 train, ODbL 1.0 / DbCL 1.0: see README.md)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATASETS = ROOT.parent / "shared" / "datasets"
FILES = {
    "abcd": DATASETS / "abcd" / "dev_openings.csv",
    "hint3": DATASETS / "hint3" / "train.csv",
}


@dataclass(frozen=True)
class RealOpening:
    """Row `row` (0-based, header not counted) of a dataset; `intent` is the label the row
    must carry, so a changed file is noticed instead of opening with the wrong request."""

    dataset: str
    row: int
    intent: str

    def text(self) -> str:
        found = _rows(self.dataset)[self.row]
        if found["intent"] != self.intent:
            raise ValueError(
                f"{self.dataset} row {self.row} is labelled {found['intent']!r}, "
                f"not {self.intent!r}: {found['text']!r}"
            )
        return found["text"].strip()

    def describe(self) -> dict[str, object]:
        text = self.text()
        return {
            "dataset": self.dataset,
            "row": self.row,
            "intent": self.intent,
            "text": text,
            # the NLU trained on these very words (data/nlu/sampled_*.yml): not an unseen test
            "in_training_data": _normalise(text) in _training_texts(),
        }


@cache
def _rows(dataset: str) -> list[dict[str, str]]:
    path = FILES[dataset]
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: the real openings are read from it")
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def abcd(row: int, intent: str) -> RealOpening:
    return RealOpening("abcd", row, intent)


def hint3(row: int, intent: str) -> RealOpening:
    return RealOpening("hint3", row, intent)


def _normalise(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


@cache
def _training_texts() -> frozenset[str]:
    """Every example in data/nlu/, entity markup removed, normalised."""
    found: set[str] = set()
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith("- "):
                example = re.sub(r"\]\([^)]*\)|\]\{[^}]*\}", "", stripped[2:]).replace("[", "")
                found.add(_normalise(example))
    return frozenset(found)
