"""Entity extraction on examples not trained on, and what DIET costs to train.

One of Rasa's seeded stratified folds (a fifth of data/nlu) is held out; the pipeline of
`--config` (config.yml by default) without its intent classifiers is trained on the rest and
`rasa test nlu` scores the entities (DIET's learned ones and the regex ones) on the held-out
fifth. Intents are left out: in our pipeline DIET extracts entities only and the intents do not
depend on it (benchmarks/nlu/real_wording.py measures them).

    .venv/bin/python benchmarks/nlu/entities.py                  # config.yml, ~5-12 min
    .venv/bin/python benchmarks/nlu/entities.py --config X --label candidate
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ENV, FOLD_SEED, OUT, RASA, ROOT, WRITE_FOLDS, _rasa, _save  # noqa: E402

INTENT_STEPS = ("name: LogisticRegressionClassifier", "name: FallbackClassifier")
LEARNED = ("DIETClassifier", "CRFEntityExtractor")  # whichever the pipeline has
FOLDS = 5  # the held-out part is the first of five folds: a fifth of the examples


def entities_only_config(source: Path, target: Path) -> Path:
    """`source` without the intent classifiers (which do not feed the entity extractors)."""
    text = source.read_text(encoding="utf-8")
    pipeline, _ = text.split("\npolicies:", 1)
    steps = re.split(r"\n(?=  - name: |  #)", pipeline)
    kept = [s for s in steps if not any(name in s for name in INTENT_STEPS)]
    target.write_text("\n".join(kept) + "\npolicies: []\n", encoding="utf-8")
    return target


def scores(report: dict[str, Any]) -> dict[str, Any]:
    """Micro and macro F1 over the entity types, and each type's F1 and support."""
    types = {
        name: value
        for name, value in report.items()
        if isinstance(value, dict) and "support" in value and " avg" not in name
    }
    return {
        "micro_f1": round(report["micro avg"]["f1-score"], 4),
        "macro_f1": round(report["macro avg"]["f1-score"], 4),
        "per_entity": {
            name: {"f1": round(v["f1-score"], 3), "support": int(v["support"])}
            for name, v in sorted(types.items())
        },
    }


def run(config: Path, label: str) -> dict[str, Any]:
    split = OUT / "entities"
    command = [str(RASA.parent / "python"), "-c", WRITE_FOLDS, str(FOLDS), str(FOLD_SEED)]
    subprocess.run([*command, str(split)], cwd=ROOT, env=ENV, check=True)  # noqa: S603
    fold, out = split / "fold0", split / label
    out.mkdir(parents=True, exist_ok=True)
    pipeline = entities_only_config(config, out / "config.yml")
    print(f"{label}: training on four fifths (progress in Rasa's output)", flush=True)
    started = time.monotonic()
    _rasa("train", "nlu", "--nlu", str(fold / "train.yml"), "--config", str(pipeline),
          "--out", str(out), "--fixed-model-name", "model")  # fmt: skip
    train_seconds = time.monotonic() - started
    print(f"{label}: scoring the held-out fifth", flush=True)
    _rasa("test", "nlu", "--nlu", str(fold / "test.yml"), "--model", str(out / "model.tar.gz"),
          "--out", str(out / "test"), "--no-plot", "--quiet")  # fmt: skip
    result: dict[str, Any] = {
        "config": str(config.relative_to(ROOT) if config.is_relative_to(ROOT) else config),
        "train_minutes": round(train_seconds / 60, 1),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "command": f"benchmarks/nlu/entities.py --config {config.name} --label {label}",
    }
    for extractor in (*LEARNED, "RegexEntityExtractor"):
        report = out / "test" / f"{extractor}_report.json"
        if report.exists():
            result[extractor] = scores(json.loads(report.read_text()))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=Path, default=ROOT / "config.yml")
    parser.add_argument("--label", default="config", help="the key in results.json's entities")
    args = parser.parse_args()
    result = run(args.config.resolve(), args.label)
    previous = json.loads((Path(__file__).parent / "results.json").read_text()).get("entities", {})
    _save("entities", {**previous, args.label: result})
    for extractor in LEARNED:
        if extractor in result:
            found = result[extractor]
            print(
                f"{args.label}: {extractor} entity micro-F1 {found['micro_f1']}"
                f" (macro {found['macro_f1']}), trained in {result['train_minutes']} min",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
