"""Evaluation results built by hand: a Scores from (intent, predicted, confidence) rows."""

from __future__ import annotations

from ticketing.model_rollout.evaluate import Prediction, Scores, score

THRESHOLD = 0.4


def scores(*groups: tuple[str, str, int], confidence: float = 0.9) -> Scores:
    """Scores of `count` predictions per (intent, predicted, count) group."""
    rows = [
        Prediction(intent, predicted, confidence)
        for intent, predicted, count in groups
        for _ in range(count)
    ]
    return score(rows, THRESHOLD)


def balanced(wrong: dict[str, int] | None = None, each: int = 20) -> Scores:
    """Three intents of `each` examples; `wrong[intent]` of them predicted as `other`."""
    wrong = wrong or {}
    groups: list[tuple[str, str, int]] = []
    for intent in ("order_status", "return_item", "complaint"):
        groups += [
            (intent, intent, each - wrong.get(intent, 0)),
            (intent, "other", wrong.get(intent, 0)),
        ]
    return scores(*groups)
