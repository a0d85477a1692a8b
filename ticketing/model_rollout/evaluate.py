"""A model's scores on one test set: accuracy, the accuracy the live bot sees, and per intent."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Prediction:
    """What a message means (`intent`), what the model said and how sure it was."""

    intent: str
    predicted: str
    confidence: float


@dataclass(frozen=True)
class IntentScore:
    support: int
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class Scores:
    """`accuracy`: the top intent is right. `live_accuracy`: right and at or above the fallback
    threshold (under it the bot asks instead of acting). `fallback_rate`: the share under it."""

    examples: int
    accuracy: float
    live_accuracy: float
    fallback_rate: float
    per_intent: dict[str, IntentScore]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scores:
        per_intent = {name: IntentScore(**value) for name, value in data["per_intent"].items()}
        return cls(**{**data, "per_intent": per_intent})


def from_rasa(rows: Iterable[Mapping[str, Any]]) -> list[Prediction]:
    """Rows of `rasa test nlu --successes` (intent_successes.json + intent_errors.json)."""
    return [
        Prediction(
            intent=str(row["intent"]),
            predicted=str((row.get("intent_prediction") or {}).get("name")),
            confidence=float((row.get("intent_prediction") or {}).get("confidence") or 0.0),
        )
        for row in rows
    ]


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def score(predictions: Iterable[Prediction], threshold: float) -> Scores:
    """The scores of `predictions`, with the pipeline's fallback `threshold`."""
    rows = list(predictions)
    right = [p.intent == p.predicted for p in rows]
    confident = [p.confidence >= threshold for p in rows]
    support = Counter(p.intent for p in rows)
    said = Counter(p.predicted for p in rows)
    hits = Counter(p.intent for p, ok in zip(rows, right, strict=True) if ok)
    per_intent: dict[str, IntentScore] = {}
    for intent in sorted(set(support) | set(said)):
        precision = _ratio(hits[intent], said[intent])
        recall = _ratio(hits[intent], support[intent])
        both = precision + recall
        f1 = round(2 * precision * recall / both, 4) if both else 0.0
        per_intent[intent] = IntentScore(support[intent], precision, recall, f1)
    return Scores(
        examples=len(rows),
        accuracy=_ratio(sum(right), len(rows)),
        live_accuracy=_ratio(
            sum(r and c for r, c in zip(right, confident, strict=True)), len(rows)
        ),
        fallback_rate=_ratio(confident.count(False), len(rows)),
        per_intent=per_intent,
    )
