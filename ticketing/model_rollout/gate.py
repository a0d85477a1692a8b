"""The comparison that decides whether a candidate may replace the active model.

A candidate is refused when, on any evaluation (cross-validation, fixed test), it is worse than
the active model by more than `margin` in accuracy or live accuracy, or in the F1 of an intent
with at least `min_support` test examples (fewer is noise: one example moves F1 by a lot).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ticketing.model_rollout.evaluate import Scores

OVERALL = "overall"
OVERALL_METRICS = ("accuracy", "live_accuracy")
# Score differences below this are rounding, not a change.
EPSILON = 1e-9


@dataclass(frozen=True)
class Rules:
    margin: float = 0.02
    min_support: int = 5


@dataclass(frozen=True)
class Change:
    """One metric of one evaluation, old against new; `subject` is OVERALL or an intent."""

    evaluation: str
    subject: str
    metric: str
    old: float
    new: float
    support: int

    @property
    def delta(self) -> float:
        return round(self.new - self.old, 4)

    def describe(self) -> str:
        what = self.metric if self.subject == OVERALL else f"{self.subject} F1"
        return (
            f"{self.evaluation}: {what} {self.old:.3f} -> {self.new:.3f} "
            f"({self.delta:+.3f}, {self.support} examples)"
        )


@dataclass(frozen=True)
class Verdict:
    passed: bool
    worse: list[Change]
    rules: Rules


def changes(evaluation: str, old: Scores, new: Scores) -> list[Change]:
    """The overall metrics, then every intent's F1 (intents of either side), old against new."""
    found = [
        Change(
            evaluation, OVERALL, metric, getattr(old, metric), getattr(new, metric), old.examples
        )
        for metric in OVERALL_METRICS
    ]
    for intent in sorted(set(old.per_intent) | set(new.per_intent)):
        before, after = old.per_intent.get(intent), new.per_intent.get(intent)
        support = max(before.support if before else 0, after.support if after else 0)
        found.append(
            Change(
                evaluation,
                intent,
                "f1",
                before.f1 if before else 0.0,
                after.f1 if after else 0.0,
                support,
            )
        )
    return found


def is_worse(change: Change, rules: Rules) -> bool:
    """Worse by more than the margin, on a metric with enough examples to mean it."""
    if change.subject != OVERALL and change.support < rules.min_support:
        return False
    return change.old - change.new > rules.margin + EPSILON


def judge(evaluations: Mapping[str, tuple[Scores, Scores]], rules: Rules) -> Verdict:
    """(old, new) scores per evaluation name -> whether the new model may replace the old."""
    worse = [
        change
        for name, (old, new) in evaluations.items()
        for change in changes(name, old, new)
        if is_worse(change, rules)
    ]
    return Verdict(passed=not worse, worse=worse, rules=rules)
