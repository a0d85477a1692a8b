"""NLU benchmarks: 5-fold cross-validation of our pipeline beside `rasa init`'s, and intent
accuracy on the Bitext rows we did not train on. Writes results.json and prints a summary.

    .venv/bin/python benchmarks/nlu/run.py cv          # ~25 min a pipeline on 2 idle cores
    .venv/bin/python benchmarks/nlu/run.py heldout     # needs a trained model (make model)
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
POOL = ROOT.parent / "shared" / "datasets" / "bitext" / "pool.csv"
RESULTS = HERE / "results.json"
OUT = ROOT / "results" / "nlu-benchmarks"
CONFIGS = {"supportbot": ROOT / "config.yml", "rasa_init_default": HERE / "default_config.yml"}
# Bitext labels that are not ours.
LABELS = {"refund_policy": "ask_policy"}
ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
# The folds are Rasa's own stratified split, drawn from numpy's generator seeded with this.
FOLD_SEED = 42


def _rasa(*args: str) -> None:
    command = [str(RASA), *args]
    print("$", " ".join(command), flush=True)
    subprocess.run(command, cwd=ROOT, env=ENV, check=True)  # noqa: S603 - fixed command


def _save(key: str, value: Any) -> None:
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[key] = value
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")


def _summary(report: dict[str, Any]) -> dict[str, Any]:
    """Accuracy and F1 from a classification report (Rasa's `intent_report.json` or sklearn's)."""
    return {
        "accuracy": round(report["accuracy"], 4),
        "macro_f1": round(report["macro avg"]["f1-score"], 4),
        "weighted_f1": round(report["weighted avg"]["f1-score"], 4),
        "per_intent_f1": {
            name: round(v["f1-score"], 3)
            for name, v in sorted(report.items())
            if isinstance(v, dict)
            and "support" in v
            and name not in ("macro avg", "weighted avg", "micro avg")
        },
    }


def _report(path: Path) -> dict[str, Any]:
    return _summary(json.loads(path.read_text()))


# Runs in .venv-rasa: Rasa's own stratified folds (`generate_folds`), seeded, written as YAML.
WRITE_FOLDS = """
import sys, numpy
from pathlib import Path
from rasa.nlu.test import generate_folds
from rasa.shared.nlu.training_data.loading import load_data
folds, seed, out = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
files = sorted(Path("data/nlu").glob("*.yml"))
data = load_data(str(files[0])).merge(*(load_data(str(f)) for f in files[1:]))
numpy.random.seed(seed)
for index, (train, test) in enumerate(generate_folds(folds, data)):
    (out / f"fold{index}").mkdir(parents=True, exist_ok=True)
    (out / f"fold{index}" / "train.yml").write_text(train.nlu_as_yaml())
    (out / f"fold{index}" / "test.yml").write_text(test.nlu_as_yaml())
"""


def _fold_predictions(out: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for name in ("intent_successes.json", "intent_errors.json"):
        if (out / name).exists():
            rows += json.loads((out / name).read_text())
    return rows


def _scores(rows: list[dict[str, Any]], config: Path) -> dict[str, Any]:
    """Accuracy and F1 over every fold's test predictions (as `rasa test nlu` reports them),
    plus the stricter accuracy the live bot sees with the fallback threshold applied."""
    from sklearn.metrics import classification_report  # type: ignore[import-untyped]

    truth = [r["intent"] for r in rows]
    predicted = [r["intent_prediction"]["name"] for r in rows]
    report = classification_report(truth, predicted, output_dict=True, zero_division=0)
    found = re.search(r"^\s+threshold:\s*([0-9.]+)", config.read_text(), re.MULTILINE)
    threshold = float(found.group(1)) if found else 0.0
    confident = [r["intent_prediction"]["confidence"] >= threshold for r in rows]
    return {
        **_summary(report),
        "examples": len(rows),
        "fallback_threshold": threshold,
        "below_threshold": confident.count(False),
        "accuracy_fallback_as_error": round(
            sum(ok and t == p for ok, t, p in zip(confident, truth, predicted, strict=True))
            / len(rows),
            4,
        ),
    }


def cross_validation(folds: int, only: str | None) -> None:
    """Per fold: `rasa train nlu` on the other folds, `rasa test nlu` on this one. (`rasa test
    nlu --cross-validation` also scores every training fold, which takes longer than training.)"""
    previous = (
        json.loads(RESULTS.read_text()).get("cross_validation", {}) if RESULTS.exists() else {}
    )
    # Keep the other pipeline's numbers when only one is run, unless the folds differ.
    same_folds = previous.get("folds") == folds and previous.get("fold_seed") == FOLD_SEED
    summary = {k: v for k, v in previous.items() if k in CONFIGS and same_folds}
    split = OUT / "folds"
    command = [str(RASA.parent / "python"), "-c", WRITE_FOLDS, str(folds), str(FOLD_SEED)]
    subprocess.run([*command, str(split)], cwd=ROOT, env=ENV, check=True)  # noqa: S603
    for name, config in CONFIGS.items():
        if only is not None and name != only:
            continue
        started = time.monotonic()
        rows: list[dict[str, Any]] = []
        for index in range(folds):
            fold, out = split / f"fold{index}", OUT / f"cv-{name}" / f"fold{index}"
            print(f"{name}: fold {index + 1}/{folds}", flush=True)
            _rasa(
                "train",
                "nlu",
                "--nlu",
                str(fold / "train.yml"),
                "--config",
                str(config),
                "--out",
                str(out),
                "--fixed-model-name",
                "model",
                "--quiet",
            )
            _rasa(
                "test",
                "nlu",
                "--nlu",
                str(fold / "test.yml"),
                "--model",
                str(out / "model.tar.gz"),
                "--out",
                str(out),
                "--no-plot",
                "--successes",
                "--quiet",
            )
            rows += _fold_predictions(out)
        summary[name] = {
            **_scores(rows, config),
            "minutes": round((time.monotonic() - started) / 60, 1),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "command": f"benchmarks/nlu/run.py cv --folds {folds} --only {name}",
        }
        print(f"{name}: macro-F1 {summary[name]['macro_f1']}", flush=True)
        _save(
            "cross_validation",
            {
                "folds": folds,
                "fold_seed": FOLD_SEED,
                "command": f"benchmarks/nlu/run.py cv --folds {folds}",
                **summary,
            },
        )


def _trained_texts() -> set[str]:
    texts: set[str] = set()
    for path in (ROOT / "data" / "nlu").glob("*.yml"):
        for line in path.read_text().splitlines():
            line = line.strip()
            if line.startswith("- "):
                plain = re.sub(
                    r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}",
                    lambda m: m.group(1) or m.group(2),
                    line[2:],
                )
                texts.add(plain.strip().lower())
    return texts


def heldout(model: str | None) -> None:
    trained = _trained_texts()
    rows = [r for r in csv.DictReader(POOL.open()) if r["text"].strip().lower() not in trained]
    by_intent: dict[str, list[str]] = {}
    for row in rows:
        text = " ".join(row["text"].split())
        if text:
            by_intent.setdefault(LABELS.get(row["intent"], row["intent"]), []).append(text)
    OUT.mkdir(parents=True, exist_ok=True)
    data = OUT / "bitext_heldout.yml"
    with data.open("w") as handle:
        handle.write('version: "3.1"\nnlu:\n')
        for intent, texts in sorted(by_intent.items()):
            handle.write(f"  - intent: {intent}\n    examples: |\n")
            handle.writelines(f"      - {json.dumps(t)[1:-1]}\n" for t in texts)
    if model is None:
        sys.path.insert(0, str(ROOT))
        from bot.model_cache import latest_model_path

        found = latest_model_path(ROOT)
        if found is None:
            raise SystemExit("no trained model for the current data: run `make model` first")
        model = str(found)
    out = OUT / "heldout"
    _rasa(
        "test",
        "nlu",
        "--nlu",
        str(data),
        "--model",
        model,
        "--out",
        str(out),
        "--no-plot",
        "--quiet",
    )
    result = _report(out / "intent_report.json")
    result["rows"] = sum(len(t) for t in by_intent.values())
    result["excluded_trained_rows"] = sum(1 for _ in csv.DictReader(POOL.open())) - len(rows)
    result["command"] = "benchmarks/nlu/run.py heldout"
    _save("bitext_heldout", result)
    print(f"held-out Bitext: accuracy {result['accuracy']} on {result['rows']} rows", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    cv = commands.add_parser("cv", help="cross-validate config.yml and rasa init's pipeline")
    cv.add_argument("--folds", type=int, default=5)
    cv.add_argument(
        "--only", choices=sorted(CONFIGS), help="run one pipeline (the other's numbers are kept)"
    )
    held = commands.add_parser("heldout", help="intent accuracy on Bitext rows not trained on")
    held.add_argument(
        "--model", help="model archive (default: the cached model of the current inputs)"
    )
    args = parser.parse_args()
    if args.command == "cv":
        cross_validation(args.folds, args.only)
    else:
        heldout(args.model)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
