"""The rows a retrain is judged on, chosen without randomness so every retrain sees the same.

- A share of the labelled examples (`data/nlu/learned.yml`) is never trained on: those whose
  text hashes below the share. The same text is held out in every round, so a candidate is
  never scored on a row an earlier candidate trained on.
- The project's held-back rows (`benchmarks/nlu/`): Bitext rows not in the training data (at
  most `per_intent` an intent, the lowest hashes, so parsing stays a minute), and the HINT3 and
  ABCD rows never trained on (real customers' wording, `real_wording.py`). Missing datasets
  (a shop's machine has no `../shared/datasets`) are skipped.
- Any row whose text either model trained on is dropped from the test: it proves nothing.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ticketing.model_rollout.paths import SHARED_DATASETS

# Bitext labels that are not ours (as benchmarks/nlu/run.py).
BITEXT_LABELS = {"refund_policy": "ask_policy"}
CSV_SOURCES = {
    "bitext": SHARED_DATASETS / "bitext" / "pool.csv",
    "hint3": SHARED_DATASETS / "hint3" / "train.csv",
    "abcd": SHARED_DATASETS / "abcd" / "dev_openings.csv",
}
LABELLED = "labelled"


@dataclass(frozen=True)
class Row:
    """One test message: where it comes from, its text and the intent it means."""

    source: str
    text: str
    intent: str


def normalise(text: str) -> str:
    """Lower case, punctuation as spaces, single spaces: how two texts count as the same."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def text_position(text: str) -> float:
    """Where the text's SHA-256 falls in [0, 1): stable across runs, machines and versions."""
    digest = hashlib.sha256(normalise(text).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def is_held_out(text: str, share: float) -> bool:
    """True for the labelled examples that are never trained on (`share` of them)."""
    return text_position(text) < share


def split_labelled(rows: Iterable[Row], share: float) -> tuple[list[Row], list[Row]]:
    """(trained on, held out) of the labelled rows."""
    trained: list[Row] = []
    held: list[Row] = []
    for row in rows:
        (held if is_held_out(row.text, share) else trained).append(row)
    return trained, held


def project_rows(per_intent: int, sources: dict[str, Path] = CSV_SOURCES) -> list[Row]:
    """The project's held-back candidates: every HINT3/ABCD row, Bitext capped per intent."""
    rows: list[Row] = []
    for source, path in sources.items():
        if not path.is_file():
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            found = [
                Row(
                    source, " ".join(r["text"].split()), BITEXT_LABELS.get(r["intent"], r["intent"])
                )
                for r in csv.DictReader(handle)
                if r["text"].strip()
            ]
        if source == "bitext":
            found = _capped(found, per_intent)
        rows += found
    return rows


def _capped(rows: list[Row], per_intent: int) -> list[Row]:
    by_intent: dict[str, list[Row]] = {}
    for row in sorted(rows, key=lambda r: text_position(r.text)):
        kept = by_intent.setdefault(row.intent, [])
        if len(kept) < per_intent:
            kept.append(row)
    return [row for kept in by_intent.values() for row in kept]


def fixed_test(candidates: Iterable[Row], trained: set[str]) -> tuple[list[Row], int]:
    """The rows neither model trained on (`trained`: normalised texts), each text once, and how
    many were dropped for being trained on."""
    rows: list[Row] = []
    seen: set[str] = set()
    dropped = 0
    for row in candidates:
        key = normalise(row.text)
        if not key or key in seen:
            continue
        seen.add(key)
        if key in trained:
            dropped += 1
        else:
            rows.append(row)
    return rows, dropped


def write_test_file(path: Path, rows: Iterable[tuple[str, str]]) -> None:
    """(text, intent) pairs as Rasa NLU YAML, intents sorted (texts JSON-escaped)."""
    by_intent: dict[str, list[str]] = {}
    for text, intent in rows:
        by_intent.setdefault(intent, []).append(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        handle.write('version: "3.1"\nnlu:\n')
        for intent, texts in sorted(by_intent.items()):
            handle.write(f"- intent: {intent}\n  examples: |\n")
            handle.writelines(f"    - {json.dumps(t, ensure_ascii=False)[1:-1]}\n" for t in texts)
