"""`supportbot training retrain`: train a candidate, score it beside the active model, judge it."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ticketing.model_rollout import state
from ticketing.model_rollout.cross_validation import cross_validate, parse_fixed_test
from ticketing.model_rollout.datasets import (
    LABELLED,
    Row,
    fixed_test,
    normalise,
    project_rows,
    split_labelled,
    write_test_file,
)
from ticketing.model_rollout.errors import RolloutError
from ticketing.model_rollout.evaluate import Scores
from ticketing.model_rollout.gate import Rules, Verdict, judge
from ticketing.model_rollout.paths import CANDIDATES, LEARNED_FILE, MODELS, ROOT, WORK, shown
from ticketing.model_rollout.rasa_calls import Say, rasa_side, require_rasa
from ticketing.model_rollout.record import Evaluation, save
from ticketing.model_rollout.staging import (
    TrainingInputs,
    keep_inputs,
    model_cache,
    model_name,
    nlu_files,
    old_inputs,
    stage,
)

CROSS_VALIDATION = "cross-validation"
FIXED_TEST = "fixed test"


@dataclass(frozen=True)
class RetrainOptions:
    folds: int = 3
    holdout_share: float = 0.2
    bitext_per_intent: int = 30
    baseline: Path | None = None
    # The labelled examples (default: data/nlu/learned.yml), e.g. an export not committed yet.
    learned: Path | None = None
    rules: Rules = field(default_factory=Rules)


def resolve_baseline(explicit: Path | None, say: Say) -> Path:
    """The model the candidate must beat: `--baseline`, else the one `activate` recorded, else
    the project model (`make model`'s, with or without learned.yml), else the newest."""
    if explicit is not None:
        if not explicit.is_file():
            raise RolloutError("no_baseline", f"{explicit} does not exist", "pass a model file")
        return explicit.resolve()
    recorded = state.load().active
    if recorded is not None and Path(recorded.model).is_file():
        say(f"old model: {shown(Path(recorded.model))} (active since {recorded.at})")
        return Path(recorded.model)
    without_learned = MODELS / model_name(stage(WORK / "old-inputs", with_learned=False))
    for candidate in (model_cache().latest_model_path(ROOT), without_learned):
        if candidate is not None and candidate.is_file():
            say(f"old model: {shown(candidate)} (the project model; none activated yet)")
            return Path(candidate)
    newest = sorted(MODELS.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not newest:
        raise RolloutError(
            "no_baseline", "there is no model to compare with", "run `make model` first"
        )
    say(f"old model: {shown(newest[-1])} (the newest in models/; none activated yet)")
    return newest[-1]


def labelled_rows(learned: Path) -> list[Row]:
    if not learned.is_file():
        return []
    found = rasa_side("examples", "--nlu", str(learned))
    return [Row(LABELLED, e["text"], e["intent"]) for e in found]


def _exclude(file: Path, rows: list[Row], work: Path) -> None:
    """Rewrite the NLU `file` without `rows`."""
    excluded = work / "held-out.json"
    excluded.write_text(json.dumps([r.text for r in rows]), encoding="utf-8")
    rasa_side("write", "--nlu", str(file), "--exclude", str(excluded), "--out", str(file))


def train_candidate(root: Path, say: Say) -> Path:
    """Train the inputs in `root` with `bot/model_cache.py` unless already trained; keep the
    model and its inputs in models/candidates/."""
    target = CANDIDATES / model_name(root)
    if target.is_file():
        say(f"candidate: {shown(target)} (already trained from these inputs)")
        return target
    if model_cache().train(root) != 0:
        raise RolloutError(
            "train_failed",
            "training the candidate failed (the lines above say why)",
            f"the whole output is in {shown(root / 'var' / 'logs' / 'train.log')}",
        )
    CANDIDATES.mkdir(parents=True, exist_ok=True)
    shutil.move(root / "models" / target.name, target)
    keep_inputs(target, root)
    say(f"candidate: {shown(target)}")
    return target


def _texts(*sides: TrainingInputs) -> set[str]:
    """Every text some side trains on, normalised."""
    found = rasa_side("examples", "--nlu", *(str(path) for side in sides for path in side.nlu))
    return {normalise(e["text"]) for e in found}


def retrain(options: RetrainOptions, say: Say) -> tuple[Path, Evaluation, Verdict]:
    """Train the candidate, score both models, save the evaluation; the gate's verdict."""
    require_rasa()
    WORK.mkdir(parents=True, exist_ok=True)
    baseline = resolve_baseline(options.baseline, say)
    old = old_inputs(baseline, WORK)
    say(f"old inputs: {old.origin}")
    learned = options.learned or ROOT / LEARNED_FILE
    if options.learned is not None and not learned.is_file():
        raise RolloutError("no_learned", f"{learned} does not exist", "pass an exported file")
    labelled = labelled_rows(learned)
    trained_labelled, held = split_labelled(labelled, options.holdout_share)
    say(
        f"labelled examples ({shown(learned)}): {len(labelled)}; {len(held)} held out for the "
        f"test, never trained on ({options.holdout_share:.0%}, by a hash of the text)"
    )
    root = stage(WORK / "candidate", with_learned=True)
    if options.learned is not None:
        shutil.copyfile(learned, root / LEARNED_FILE)
    if held:
        _exclude(root / LEARNED_FILE, held, WORK)
    candidate = train_candidate(root, say)
    new = TrainingInputs("new", root / "config.yml", nlu_files(root), "the candidate's inputs")

    rows, dropped = fixed_test([*held, *project_rows(options.bitext_per_intent)], _texts(old, new))
    sources = Counter(row.source for row in rows)
    counts = ", ".join(f"{source} {count}" for source, count in sorted(sources.items()))
    say(f"fixed test: {len(rows)} rows ({counts}); {dropped} left out: a model trained on them")
    test_file = WORK / "fixed_test.yml"
    write_test_file(test_file, ((row.text, row.intent) for row in rows))
    evaluations: dict[str, tuple[Scores, Scores]] = {}
    if rows:
        evaluations[FIXED_TEST] = (
            parse_fixed_test(baseline, test_file, old.config, WORK / "fixed-old", say),
            parse_fixed_test(candidate, test_file, new.config, WORK / "fixed-new", say),
        )
    if options.folds:
        evaluations[CROSS_VALIDATION] = cross_validate(old, new, options.folds, WORK / "cv", say)
    else:
        say("cv: skipped (--folds 0): judged on the fixed test alone")
    evaluation = Evaluation(
        candidate=str(candidate),
        baseline=str(baseline),
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        evaluations=evaluations,
        details={
            "folds": options.folds,
            "holdout_share": options.holdout_share,
            "labelled": len(labelled),
            "labelled_trained": len(trained_labelled),
            "labelled_held_out": len(held),
            "fixed_test_rows": dict(sources),
            "fixed_test_dropped": dropped,
            "old_inputs": old.origin,
        },
    )
    save(evaluation, candidate)
    return candidate, evaluation, judge(evaluations, options.rules)
