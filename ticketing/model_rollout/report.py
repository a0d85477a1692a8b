"""The comparison as people read it: overall metrics, then the intents that changed, worst first."""

from __future__ import annotations

from collections.abc import Mapping

from ticketing.model_rollout.evaluate import Scores
from ticketing.model_rollout.gate import OVERALL, Rules, Verdict, changes, is_worse

# Per-intent changes smaller than this are not listed (they are counted).
SHOWN_CHANGE = 0.005


def comparison_lines(name: str, old: Scores, new: Scores, rules: Rules) -> list[str]:
    """A table of one evaluation: overall metrics, then per intent F1 changes worst first."""
    title = f"{name} ({old.examples} examples)"
    lines = [f"{title:<30}{'old':>6}  {'new':>6}  change"]
    for label, before, after in (
        ("accuracy", old.accuracy, new.accuracy),
        ("live accuracy", old.live_accuracy, new.live_accuracy),
        ("fallback rate", old.fallback_rate, new.fallback_rate),
    ):
        lines.append(f"  {label:<28}{before:>6.3f}  {after:>6.3f}  {after - before:+.3f}")
    per_intent = [c for c in changes(name, old, new) if c.subject != OVERALL]
    moved = sorted((c for c in per_intent if abs(c.delta) >= SHOWN_CHANGE), key=lambda c: c.delta)
    if moved:
        lines.append(f"  per intent F1 (support; gated from {rules.min_support} examples):")
    for change in moved:
        flag = "  WORSE" if is_worse(change, rules) else ""
        label = f"{change.subject} ({change.support})"
        lines.append(
            f"    {label:<26}{change.old:>6.3f}  {change.new:>6.3f}  {change.delta:+.3f}{flag}"
        )
    unchanged = len(per_intent) - len(moved)
    if unchanged:
        lines.append(f"  {unchanged} intents within {SHOWN_CHANGE} F1")
    return lines


def verdict_lines(verdict: Verdict) -> list[str]:
    rules = verdict.rules
    if verdict.passed:
        return [
            f"gate: passed (nothing worse by more than {rules.margin:g}; intents gated from "
            f"{rules.min_support} examples)"
        ]
    lines = [f"gate: REFUSED, worse than the active model by more than {rules.margin:g}:"]
    lines += [f"  {change.describe()}" for change in verdict.worse]
    return lines


def report_lines(evaluations: Mapping[str, tuple[Scores, Scores]], verdict: Verdict) -> list[str]:
    lines: list[str] = []
    for name, (old, new) in evaluations.items():
        lines += comparison_lines(name, old, new, verdict.rules)
    return lines + verdict_lines(verdict)
