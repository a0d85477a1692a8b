"""Real customers' wording as training data: rows of HINT3 (live shop-bot queries) and ABCD
(role-played shop chats' first messages) written to `data/nlu/sampled_hint3.yml` and
`data/nlu/sampled_abcd.yml`, each file under its source's license (see data/nlu/LICENSES.md).

    .venv-rasa/bin/python benchmarks/nlu/real_rows.py            # rewrite both files
    .venv-rasa/bin/python benchmarks/nlu/real_rows.py --check    # exit 1 if they are stale

Kept: every row whose text (lower-cased, punctuation dropped) is unique in its source with one
label and appears nowhere else in `data/nlu/`. Dropped: rows that hold only a greeting or a
name ("good day agent i'm David" is labelled refund_request in ABCD: nothing in the text says
so). Product names from the `item` lookup table are annotated as `item` entities, so that the
rows don't teach the entity extractor that "these boots" holds no item.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DATASETS = ROOT.parent / "shared" / "datasets"
NLU = ROOT / "data" / "nlu"
SOURCES = {
    "hint3": (DATASETS / "hint3" / "train.csv", NLU / "sampled_hint3.yml"),
    "abcd": (DATASETS / "abcd" / "dev_openings.csv", NLU / "sampled_abcd.yml"),
}
HEADERS = {
    "hint3": (
        "# Rows of HINT3 v2 train (SOFMattress, Curekart; Arora et al., EMNLP 2020 Insights\n"
        "# workshop, github.com/hellohaptik/HINT3), mapped in ../shared/datasets/hint3/train.csv.\n"
        "# Open Database License 1.0 (contents: DbCL 1.0); this file is a derived database under\n"
        "# the same license, see LICENSES.md. Written by benchmarks/nlu/real_rows.py: don't edit.\n"
    ),
    "abcd": (
        "# First customer messages of ABCD's dev split (ASAPP Research; MIT License,\n"
        "# Copyright (c) 2021 ASAPP Research), mapped in ../shared/datasets/abcd/\n"
        "# dev_openings.csv. See LICENSES.md. Written by benchmarks/nlu/real_rows.py: don't edit.\n"
    ),
}
GREETING_OR_NAME = re.compile(
    r"^\W*(?:(?:hi|hello|hey|hiya|howdy|greetings|good\s+(?:morning|afternoon|evening|day))\b"
    r"[\s,!.]*(?:there|agent|team|guys|all)?[\s,!.]*)?"
    r"(?:(?:my\s+name\s+is|my\s+name's|this\s+is|i\s+am|i'm|im)\s+[a-z][\w'-]*(?:\s+[a-z][\w'-]*)?)?"
    r"[\s,!.]*$",
    re.IGNORECASE,
)


def normalise(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def clean(text: str) -> str:
    """One line, no Rasa entity markup, no characters a YAML block scalar can't hold."""
    text = "".join(c for c in text if c.isprintable())
    return " ".join(text.replace("[", "(").replace("]", ")").split())


def existing_texts(skip: set[Path]) -> set[str]:
    found: set[str] = set()
    for path in sorted(NLU.glob("*.yml")):
        if path in skip:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith("- "):
                found.add(normalise(re.sub(r"\]\([^)]*\)|\]\{[^}]*\}", "", stripped[2:])))
    return found


def item_words() -> list[str]:
    text = (NLU / "lookups.yml").read_text(encoding="utf-8")
    block = text.split("- lookup: item", 1)[1].split("- lookup:", 1)[0]
    words = [line.strip()[2:] for line in block.splitlines() if line.strip().startswith("- ")]
    return sorted(words, key=len, reverse=True)


def annotate(text: str, items: list[str]) -> list[dict[str, Any]]:
    """The first product name of the lookup table in the text, as an `item` entity."""
    for word in items:
        found = re.search(rf"\b{re.escape(word)}\b", text, re.IGNORECASE)
        if found:
            value = found.group(0)
            return [{"start": found.start(), "end": found.end(), "value": value, "entity": "item"}]
    return []


def select(source: str, taken: set[str]) -> list[tuple[str, str]]:
    """(text, intent) rows of a source that can be trained on, in the source's order."""
    path = SOURCES[source][0]
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [(clean(r["text"]), r["intent"]) for r in csv.DictReader(handle)]
    labels: dict[str, set[str]] = defaultdict(set)
    for text, intent in rows:
        labels[normalise(text)].add(intent)
    kept: list[tuple[str, str]] = []
    seen: set[str] = set()
    for text, intent in rows:
        key = normalise(text)
        if not key or key in seen or key in taken or len(labels[key]) > 1:
            continue
        if GREETING_OR_NAME.match(text):
            continue
        seen.add(key)
        kept.append((text, intent))
    return kept


def render(source: str, rows: list[tuple[str, str]]) -> str:
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    items = item_words()
    messages = []
    for text, intent in rows:
        data: dict[str, Any] = {"text": text, "intent": intent}
        entities = annotate(text, items)
        if entities:
            data["entities"] = entities
        messages.append(Message(data=data))
    return HEADERS[source] + TrainingData(training_examples=messages).nlu_as_yaml()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a file is out of date")
    args = parser.parse_args(argv)
    outputs = {out for _, out in SOURCES.values()}
    taken = existing_texts(skip=outputs)
    stale = []
    for source, (csv_path, out) in SOURCES.items():
        if not csv_path.exists():
            print(f"missing {csv_path}: the shared datasets are needed", file=sys.stderr)
            return 2
        rows = select(source, taken)
        taken |= {normalise(t) for t, _ in rows}
        text = render(source, rows)
        if args.check:
            if not out.exists() or out.read_text(encoding="utf-8") != text:
                stale.append(out.name)
            continue
        out.write_text(text, encoding="utf-8")
        print(f"{out.relative_to(ROOT)}: {len(rows)} rows")
    if stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
