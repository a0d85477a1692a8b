"""NLU benchmarks: 5-fold cross-validation of our pipeline beside `rasa init`'s, and intent
accuracy on the Bitext rows we did not train on. Writes results.json and prints a summary.

    .venv/bin/python benchmarks/nlu/run.py cv          # ~35 min (ours) + more (default), 2 cores
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
# Rasa 3.6 splits the folds with StratifiedKFold(shuffle=True) and no random_state, i.e. from
# numpy's global generator: seeding it before the CLI starts gives both pipelines the same folds.
FOLD_SEED = 42
SEEDED_RASA = (
    "import sys, numpy; numpy.random.seed(int(sys.argv[1])); "
    "sys.argv = ['rasa', *sys.argv[2:]]; from rasa.__main__ import main; main()"
)


def _rasa(*args: str, seed: int | None = None) -> None:
    command = [str(RASA), *args]
    if seed is not None:
        command = [str(RASA.parent / "python"), "-c", SEEDED_RASA, str(seed), *args]
    print("$", " ".join(command), flush=True)
    subprocess.run(command, cwd=ROOT, env=ENV, check=True)  # noqa: S603 - fixed command


def _save(key: str, value: Any) -> None:
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[key] = value
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")


def _report(path: Path) -> dict[str, Any]:
    report: dict[str, Any] = json.loads(path.read_text())
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


def _with_fallback(out: Path, config: Path) -> dict[str, Any]:
    """`rasa test nlu` scores the intent under a FallbackClassifier prediction; the live bot
    would answer `nlu_fallback` for every message below the threshold (ambiguity not counted)."""
    found = re.search(r"^\s+threshold:\s*([0-9.]+)", config.read_text(), re.MULTILINE)
    successes, errors = out / "intent_successes.json", out / "intent_errors.json"
    if found is None or not successes.exists():
        return {}
    threshold = float(found.group(1))
    rows = json.loads(successes.read_text()) + json.loads(errors.read_text())
    low = [r for r in rows if r["intent_prediction"]["confidence"] < threshold]
    right = [
        r
        for r in rows
        if r["intent_prediction"]["name"] == r["intent"]
        and r["intent_prediction"]["confidence"] >= threshold
    ]
    return {
        "fallback_threshold": threshold,
        "below_threshold": len(low),
        "accuracy_fallback_as_error": round(len(right) / len(rows), 4),
    }


def cross_validation(folds: int, only: str | None) -> None:
    previous = (
        json.loads(RESULTS.read_text()).get("cross_validation", {}) if RESULTS.exists() else {}
    )
    # Keep the other pipeline's numbers when only one is run, unless the fold count differs.
    summary = {k: v for k, v in previous.items() if k in CONFIGS and previous.get("folds") == folds}
    for name, config in CONFIGS.items():
        if only is not None and name != only:
            continue
        started = time.monotonic()
        out = OUT / f"cv-{name}"
        _rasa(
            "test",
            "nlu",
            "--nlu",
            "data/nlu",
            "--config",
            str(config),
            "--cross-validation",
            "--folds",
            str(folds),
            "--out",
            str(out),
            "--no-plot",
            "--successes",
            "--quiet",
            seed=FOLD_SEED,
        )
        summary[name] = {
            **_report(out / "intent_report.json"),
            **_with_fallback(out, config),
            "minutes": round((time.monotonic() - started) / 60, 1),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "fold_seed": FOLD_SEED,
            "command": f"benchmarks/nlu/run.py cv --folds {folds} --only {name}",
        }
        print(f"{name}: macro-F1 {summary[name]['macro_f1']}", flush=True)
    _save(
        "cross_validation",
        {
            "folds": folds,
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
