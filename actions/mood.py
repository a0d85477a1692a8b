"""A small, explainable anger detector: strong words, shouting, piles of exclamation marks."""

from __future__ import annotations

import re

STRONG = (
    "furious",
    "outrageous",
    "unacceptable",
    "disgusting",
    "ridiculous",
    "pathetic",
    "scam",
    "fraud",
    "worst",
    "useless",
    "incompetent",
    "lawyer",
    "sue you",
    "rip off",
    "ripoff",
    "fed up",
    "sick of",
    "wtf",
    "damn",
    "hell",
    "shit",
    "fuck",
    "crap",
    "stupid",
    "angry",
    "pissed",
    "joke",
    "never again",
    "horrible",
    "terrible",
    "awful",
)


def anger_score(text: str | None) -> int:
    """0 calm, 1 annoyed, 2+ angry."""
    if not text:
        return 0
    lowered = text.lower()
    score = sum(1 for word in STRONG if re.search(rf"\b{re.escape(word)}\b", lowered))
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 12 and sum(c.isupper() for c in letters) / len(letters) > 0.7:
        score += 1
    if "!!" in text:
        score += 1
    return score


def is_angry(text: str | None) -> bool:
    return anger_score(text) >= 2
