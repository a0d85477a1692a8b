"""The pure parts of the learning-loop benchmark: which rows are traffic and which are held out,
which row is behind an inbox item, and how a manager labels a grouped inbox.

No Rasa, no servers: `tests/unit/test_learning_benchmark.py` tests this module.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATASETS = ROOT.parent / "shared" / "datasets"
SOURCES = {
    "hint3": DATASETS / "hint3" / "train.csv",
    "abcd": DATASETS / "abcd" / "dev_openings.csv",
}
# The NLU files of these rows: the "before" shop has not learnt from them yet.
SAMPLED_FILES = ("sampled_hint3.yml", "sampled_abcd.yml")
OUT_OF_SCOPE = "out_of_scope"
HELD_OUT_SHARE = 0.4
SENDER_PREFIX = "learn"


@dataclass(frozen=True)
class Row:
    """One real customer message: its source, its line in the CSV (1 = first data row), its
    text (spaces collapsed) and the intent its dataset label maps to (ours or out_of_scope)."""

    source: str
    line: int
    text: str
    intent: str

    @property
    def key(self) -> str:
        return f"{self.source}-{self.line}"

    @property
    def sender(self) -> str:
        """The REST sender of the row's conversation (one conversation per row)."""
        return f"{SENDER_PREFIX}-{self.key}"


def normalise(text: str) -> str:
    """Lower case, punctuation as spaces, single spaces (as `benchmarks/nlu/real_rows.py`)."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def position(text: str) -> float:
    """Where the SHA-256 of the normalised text falls in [0, 1): stable across runs."""
    digest = hashlib.sha256(normalise(text).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def is_held_out(text: str, share: float = HELD_OUT_SHARE) -> bool:
    return position(text) < share


def unique_rows(source: str, rows: Iterable[tuple[str, str]]) -> tuple[list[Row], dict[str, int]]:
    """(text, label) pairs of one source as rows: each normalised text once (its first row),
    texts the source labels two ways and empty ones left out; with the counts left out."""
    pairs = [(" ".join(text.split()), intent.strip()) for text, intent in rows]
    labels: dict[str, set[str]] = {}
    for text, intent in pairs:
        labels.setdefault(normalise(text), set()).add(intent)
    kept: list[Row] = []
    seen: set[str] = set()
    dropped = Counter[str]()
    for line, (text, intent) in enumerate(pairs, start=1):
        key = normalise(text)
        if not key or not intent:
            dropped["empty"] += 1
        elif len(labels[key]) > 1:
            dropped["conflicting_labels"] += 1
        elif key in seen:
            dropped["duplicate"] += 1
        else:
            seen.add(key)
            kept.append(Row(source, line, text, intent))
    return kept, dict(dropped)


def load(sources: Mapping[str, Path] = SOURCES) -> tuple[list[Row], dict[str, dict[str, int]]]:
    """Every usable row of the CSVs (their `intent` column is already mapped to our intents or
    out_of_scope), and per source what was left out."""
    rows: list[Row] = []
    dropped: dict[str, dict[str, int]] = {}
    for source, path in sources.items():
        with path.open(encoding="utf-8", newline="") as handle:
            pairs = [(r["text"], r["intent"]) for r in csv.DictReader(handle)]
        kept, dropped[source] = unique_rows(source, pairs)
        rows += kept
    return rows, dropped


def split(rows: Iterable[Row], share: float = HELD_OUT_SHARE) -> tuple[list[Row], list[Row]]:
    """(traffic, held out) by the hash of the normalised text: the same text is always on the
    same side, whatever the order or the other rows."""
    traffic: list[Row] = []
    held: list[Row] = []
    for row in rows:
        (held if is_held_out(row.text, share) else traffic).append(row)
    return traffic, held


def check_intents(rows: Iterable[Row], known: Iterable[str]) -> list[str]:
    """The labels that are not intents of the domain (should be none)."""
    names = set(known)
    return sorted({row.intent for row in rows if row.intent not in names})


def decision(intent: str) -> tuple[str, str | None]:
    """The label API's (decision, intent) for a dataset label."""
    if intent == OUT_OF_SCOPE:
        return "out_of_scope", None
    return "intent", intent


@dataclass(frozen=True)
class Item:
    """An inbox item as the Training page shows it."""

    id: int
    conversation_id: str
    text: str


def rows_of_items(
    items: Iterable[Item], row_of_conversation: Mapping[str, Row]
) -> tuple[dict[int, Row], list[int]]:
    """The row behind each item (by its conversation), and the items of no known row."""
    found: dict[int, Row] = {}
    unknown: list[int] = []
    for item in items:
        row = row_of_conversation.get(item.conversation_id)
        if row is None:
            unknown.append(item.id)
        else:
            found[item.id] = row
    return found, unknown


@dataclass(frozen=True)
class LabelAction:
    """One click of the manager: these items, this label; `whole_cluster` when it was a
    cluster labelled at once."""

    item_ids: tuple[int, ...]
    intent: str  # the dataset label (an intent or out_of_scope)
    whole_cluster: bool


def plan(clusters: Sequence[Sequence[int]], label_of: Mapping[int, str]) -> list[LabelAction]:
    """What a manager does with the inbox's clusters (item ids as shown): a cluster whose items
    all have one label in one action, any other item by item. Items of no label are skipped
    (left waiting)."""
    actions: list[LabelAction] = []
    for cluster in clusters:
        known = [item for item in cluster if item in label_of]
        labels = {label_of[item] for item in known}
        if not known:
            continue
        if len(labels) == 1 and len(known) == len(cluster):
            actions.append(LabelAction(tuple(known), label_of[known[0]], len(known) > 1))
        else:
            actions += [LabelAction((item,), label_of[item], False) for item in known]
    return actions


def actions_if_split_by_label(
    clusters: Sequence[Sequence[int]], label_of: Mapping[int, str]
) -> int:
    """How many actions it takes a manager who selects all items of one label in a mixed
    cluster at once (the page allows ticking several): one per distinct label per cluster."""
    return sum(len({label_of[i] for i in cluster if i in label_of}) for cluster in clusters)
