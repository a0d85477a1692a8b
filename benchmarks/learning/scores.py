"""Scores of one model on the held-out rows, from what the live bot would do with each message
(pure: tested in `tests/unit/test_learning_benchmark.py`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

OUT_OF_SCOPE = "out_of_scope"
NLU_FALLBACK = "nlu_fallback"


@dataclass(frozen=True)
class Parsed:
    """A held-out message: its dataset label (`intent`), what the bot acts on (`acted`, maybe
    nlu_fallback) with its confidence, and the classifier's own top intent (`top`)."""

    source: str
    intent: str
    acted: str
    confidence: float
    top: str

    def fallback(self, threshold: float) -> bool:
        """The bot asks instead of acting: the FallbackClassifier fired (low or ambiguous)."""
        return self.acted == NLU_FALLBACK or self.confidence < threshold

    def live(self, threshold: float) -> str:
        """What the message counts as for the customer: a fallback is not acting on a request,
        so it counts as out of scope (as `benchmarks/nlu/real_wording.py`'s live scores)."""
        return OUT_OF_SCOPE if self.fallback(threshold) else self.acted


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def score(rows: Sequence[Parsed], threshold: float) -> dict[str, Any]:
    """in_scope_accuracy: rows of one of our intents the bot acts on rightly (live) or whose
    top intent is right (strict); the rest it does not act on (in_scope_not_acted: fallback
    or out of scope) or acts on as another request (in_scope_wrong_intent).
    oos_recall/precision: out-of-scope rows the bot does not act on (fallback or out_of_scope),
    and how many of the rows it does not act on are out of scope. fallback_rate: the
    FallbackClassifier fired; out_of_scope_share: confidently out of scope;
    misunderstood_share: either (what the action server reports to the training inbox)."""
    in_scope = [r for r in rows if r.intent != OUT_OF_SCOPE]
    oos = [r for r in rows if r.intent == OUT_OF_SCOPE]
    said_oos = [r for r in rows if r.live(threshold) == OUT_OF_SCOPE]
    fallbacks = sum(r.fallback(threshold) for r in rows)
    confident_oos = sum(not r.fallback(threshold) and r.acted == OUT_OF_SCOPE for r in rows)
    return {
        "rows": len(rows),
        "in_scope_rows": len(in_scope),
        "out_of_scope_rows": len(oos),
        "in_scope_accuracy": _ratio(
            sum(r.live(threshold) == r.intent for r in in_scope), len(in_scope)
        ),
        "in_scope_accuracy_strict": _ratio(sum(r.top == r.intent for r in in_scope), len(in_scope)),
        "in_scope_not_acted": _ratio(
            sum(r.live(threshold) == OUT_OF_SCOPE for r in in_scope), len(in_scope)
        ),
        "in_scope_wrong_intent": _ratio(
            sum(r.live(threshold) not in (OUT_OF_SCOPE, r.intent) for r in in_scope), len(in_scope)
        ),
        "oos_recall": _ratio(sum(r.live(threshold) == OUT_OF_SCOPE for r in oos), len(oos)),
        "oos_precision": _ratio(sum(r.intent == OUT_OF_SCOPE for r in said_oos), len(said_oos)),
        "accuracy": _ratio(sum(r.live(threshold) == r.intent for r in rows), len(rows)),
        "fallback_rate": _ratio(fallbacks, len(rows)),
        "out_of_scope_share": _ratio(confident_oos, len(rows)),
        "misunderstood_share": _ratio(fallbacks + confident_oos, len(rows)),
    }


def by_source(rows: Iterable[Parsed], threshold: float) -> dict[str, dict[str, Any]]:
    """`score` per source and over all rows ("overall")."""
    everything = list(rows)
    sources = sorted({r.source for r in everything})
    found = {
        source: score([r for r in everything if r.source == source], threshold)
        for source in sources
    }
    found["overall"] = score(everything, threshold)
    return found


def top_errors(rows: Iterable[Parsed], threshold: float, limit: int = 10) -> list[str]:
    """The commonest (label -> what the bot did) mistakes."""
    pairs = Counter(
        f"{r.intent} -> {r.live(threshold)}" for r in rows if r.live(threshold) != r.intent
    )
    return [f"{pair}: {count}" for pair, count in pairs.most_common(limit)]


def parsed(source: str, intent: str, answer: Mapping[str, Any]) -> Parsed:
    """A `Parsed` from one answer of `parse.py`."""
    ranking = answer.get("ranking") or []
    top = str(ranking[0]["intent"]) if ranking else str(answer.get("intent"))
    return Parsed(
        source=source,
        intent=intent,
        acted=str(answer.get("intent")),
        confidence=float(answer.get("confidence") or 0.0),
        top=top,
    )
