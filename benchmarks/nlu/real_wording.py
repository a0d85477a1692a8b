"""Out-of-fold intent accuracy on real customers' wording (HINT3, ABCD openings), and the 5-fold
cross-validation of our own examples, from the same five trainings of `config.yml`.

    .venv/bin/python benchmarks/nlu/real_wording.py            # ~15 min on 2 idle cores
    .venv/bin/python benchmarks/nlu/real_wording.py --folds 3  # quicker, rougher

The HINT3 and ABCD rows are training data too (`data/nlu/sampled_hint3.yml`,
`sampled_abcd.yml`), so each is scored by the fold that did not train on it: every training
example gets a fold (per file and intent, shuffled with a fixed seed), each fold trains on the
others (`rasa train nlu`) and parses its own examples plus the CSV rows whose text falls in it
(rows never trained on, e.g. greeting-only ones, get a fold from a hash of their text).
Scores per source: in-scope accuracy (rows labelled with one of our intents), out-of-scope
recall and precision, both as the classifier's top intent ("strict") and as the live bot sees
it ("live": a top intent under the fallback threshold is not acted on, so it counts as not in
scope: the bot asks instead of starting a flow). The folds train `config.yml` without DIET,
which in our pipeline extracts entities only: the intents are the same, the training faster.
Writes `real_wording` into results.json.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import ENV, OUT, RASA, ROOT, _rasa, _save, _scores  # noqa: E402

DATASETS = ROOT.parent / "shared" / "datasets"
SOURCES = {
    "hint3": DATASETS / "hint3" / "train.csv",
    "abcd": DATASETS / "abcd" / "dev_openings.csv",
}
REAL_FILES = ("sampled_hint3.yml", "sampled_abcd.yml")
SEED = 42
OOS = "out_of_scope"

# Runs in .venv-rasa: every example of data/nlu gets a fold; writes each fold's train.yml and
# own_test.yml (our own examples of that fold) and prints {normalised text: fold} as JSON.
WRITE_FOLDS = """
import json, random, re, sys
from collections import defaultdict
from pathlib import Path
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.training_data import TrainingData
folds, seed, out, real = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]), sys.argv[4:]
norm = lambda t: " ".join(re.sub(r"[^\\w\\s]", " ", t.lower()).split())
groups = defaultdict(list)
for path in sorted(Path("data/nlu").glob("*.yml")):
    data = load_data(str(path))
    for example in data.intent_examples:
        groups[(path.name, example.get("intent"))].append(example)
fold_of, train, own = {}, defaultdict(list), defaultdict(list)
rng = random.Random(seed)
for key in sorted(groups):
    examples = sorted(groups[key], key=lambda e: e.get("text"))
    rng.shuffle(examples)
    for index, example in enumerate(examples):
        fold = index % folds
        fold_of[norm(example.get("text"))] = fold
        for other in range(folds):
            if other != fold:
                train[other].append(example)
        if key[0] not in real:
            own[fold].append(example)
files = sorted(str(p) for p in Path("data/nlu").glob("*.yml"))
everything = load_data(files[0]).merge(*(load_data(f) for f in files[1:]))
for fold in range(folds):
    target = out / f"fold{fold}"
    target.mkdir(parents=True, exist_ok=True)
    data = TrainingData(
        training_examples=train[fold], regex_features=everything.regex_features,
        lookup_tables=everything.lookup_tables, entity_synonyms=everything.entity_synonyms,
    )
    (target / "train.yml").write_text(data.nlu_as_yaml())
    (target / "own_test.yml").write_text(TrainingData(training_examples=own[fold]).nlu_as_yaml())
print(json.dumps(fold_of))
"""


def normalise(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def hashed_fold(text: str, folds: int) -> int:
    return int(hashlib.sha256(normalise(text).encode()).hexdigest(), 16) % folds


def real_rows(folds: int, fold_of: dict[str, int]) -> dict[int, list[dict[str, str]]]:
    """Every CSV row, in the fold that never trained on its text."""
    by_fold: dict[int, list[dict[str, str]]] = {f: [] for f in range(folds)}
    for source, path in SOURCES.items():
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                text = " ".join(row["text"].split())
                fold = fold_of.get(normalise(text), hashed_fold(text, folds))
                by_fold[fold].append({"source": source, "text": text, "intent": row["intent"]})
    return by_fold


def write_test(path: Path, rows: list[dict[str, str]]) -> None:
    by_intent: dict[str, list[str]] = {}
    for row in rows:
        by_intent.setdefault(row["intent"], []).append(row["text"])
    with path.open("w", encoding="utf-8") as handle:
        handle.write('version: "3.1"\nnlu:\n')
        for intent, texts in sorted(by_intent.items()):
            handle.write(f"  - intent: {intent}\n    examples: |\n")
            handle.writelines(f"      - {json.dumps(t, ensure_ascii=False)[1:-1]}\n" for t in texts)


def predictions(out: Path) -> dict[str, dict[str, Any]]:
    """text -> Rasa's prediction, from `rasa test nlu --successes` output."""
    found: dict[str, dict[str, Any]] = {}
    for name in ("intent_successes.json", "intent_errors.json"):
        if (out / name).exists():
            for row in json.loads((out / name).read_text()):
                found[row["text"]] = row["intent_prediction"]
    return found


def score(rows: list[dict[str, Any]], threshold: float, *, live: bool) -> dict[str, Any]:
    def guess(row: dict[str, Any]) -> str:
        below = live and row["confidence"] < threshold
        return OOS if below else str(row["predicted"])

    in_scope = [r for r in rows if r["intent"] != OOS]
    correct = sum(guess(r) == r["intent"] for r in in_scope)
    said_oos = [r for r in rows if guess(r) == OOS]
    true_oos = sum(r["intent"] == OOS for r in said_oos)
    all_oos = sum(r["intent"] == OOS for r in rows)
    return {
        "in_scope_accuracy": round(correct / max(len(in_scope), 1), 3),
        "oos_recall": round(true_oos / max(all_oos, 1), 3),
        "oos_precision": round(true_oos / max(len(said_oos), 1), 3),
        "rows": len(rows),
        "in_scope_rows": len(in_scope),
    }


def top_errors(rows: list[dict[str, Any]], limit: int = 12) -> list[str]:
    pairs = Counter(
        f"{r['intent']} -> {r['predicted']}" for r in rows if r["predicted"] != r["intent"]
    )
    return [f"{pair}: {count}" for pair, count in pairs.most_common(limit)]


def intents_only_config(target: Path) -> Path:
    """config.yml without DIETClassifier: in our pipeline DIET extracts entities only and
    feeds nothing to the intent classifier, so the intents come out the same, minutes faster."""
    text = (ROOT / "config.yml").read_text(encoding="utf-8")
    pipeline, policies = text.split("\npolicies:", 1)
    steps = re.split(r"\n(?=  - name: |  #)", pipeline)
    kept = [s for s in steps if "name: DIETClassifier" not in s]
    if len(kept) == len(steps):
        raise SystemExit("config.yml has no DIETClassifier step: update intents_only_config")
    target.write_text("\n".join(kept) + "\npolicies:" + policies, encoding="utf-8")
    return target


def run(folds: int) -> dict[str, Any]:
    split = OUT / "real-wording"
    split.mkdir(parents=True, exist_ok=True)
    config = intents_only_config(split / "config.yml")
    threshold = float(re.search(r"threshold:\s*([0-9.]+)", config.read_text()).group(1))  # type: ignore[union-attr]
    command = [str(RASA.parent / "python"), "-c", WRITE_FOLDS, str(folds), str(SEED), str(split)]
    written = subprocess.run(  # noqa: S603 - fixed command
        [*command, *REAL_FILES], cwd=ROOT, env=ENV, check=True, capture_output=True, text=True
    )
    fold_of = json.loads(written.stdout.strip().splitlines()[-1])
    by_fold = real_rows(folds, fold_of)
    started = time.monotonic()
    scored: list[dict[str, Any]] = []
    own: list[dict[str, Any]] = []
    for fold in range(folds):
        target = split / f"fold{fold}"
        print(f"real wording: fold {fold + 1}/{folds} (train, then parse)", flush=True)
        _rasa("train", "nlu", "--nlu", str(target / "train.yml"), "--config", str(config),
              "--out", str(target), "--fixed-model-name", "model", "--quiet")  # fmt: skip
        write_test(target / "real_test.yml", by_fold[fold])
        for test in ("real_test.yml", "own_test.yml"):
            out = target / test.removesuffix(".yml")
            _rasa("test", "nlu", "--nlu", str(target / test), "--model",
                  str(target / "model.tar.gz"), "--out", str(out), "--no-plot",
                  "--successes", "--quiet")  # fmt: skip
        found = predictions(target / "real_test")
        for row in by_fold[fold]:
            guess = found.get(row["text"]) or {"name": None, "confidence": 0.0}
            scored.append({**row, "predicted": guess["name"], "confidence": guess["confidence"]})
        for name in ("intent_successes.json", "intent_errors.json"):
            if (target / "own_test" / name).exists():
                own += json.loads((target / "own_test" / name).read_text())
    result: dict[str, Any] = {
        "folds": folds,
        "seed": SEED,
        "fallback_threshold": threshold,
        "minutes": round((time.monotonic() - started) / 60, 1),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "command": f"benchmarks/nlu/real_wording.py --folds {folds}",
        "own_examples_cv": _scores(own, config),
    }
    for source in SOURCES:
        rows = [r for r in scored if r["source"] == source]
        result[source] = {
            "strict": score(rows, threshold, live=False),
            "live": score(rows, threshold, live=True),
            "top_errors": top_errors(rows),
        }
    return result


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--folds", type=int, default=5, help="number of folds (default 5)")
    args = parser.parse_args()
    if args.folds < 2:
        parser.error("--folds must be at least 2")
    result = run(args.folds)
    _save("real_wording", result)
    for source in SOURCES:
        print(
            source,
            json.dumps(result[source]["strict"]),
            "live:",
            json.dumps(result[source]["live"]),
        )
    print("own examples, macro-F1", result["own_examples_cv"]["macro_f1"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
