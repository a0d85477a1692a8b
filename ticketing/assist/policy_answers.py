"""The answers the bot gives to policy questions, as suggestions: the same texts, written from
the policy in force by `actions.policy_faq.entries` (one source for the wording), matched to
the customer's message by the questions each answer answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from actions import policy_faq
from ticketing.assist.embedder import Embedder, Vectors

MIN_SIMILARITY = policy_faq.MIN_SIMILARITY  # what the bot needs to give the answer


@dataclass(frozen=True)
class PolicyMatch:
    topic: str
    answer: str
    score: float
    question: str  # the question of the answer closest to the message


class PolicyAnswers:
    """The policy's answers with their questions embedded once."""

    def __init__(self, policy: dict[str, Any], embedder: Embedder) -> None:
        self.entries = policy_faq.entries(policy)
        self._owners = [(e, q) for e in self.entries for q in e.questions]
        self._vectors: Vectors = embedder.encode([q for _, q in self._owners])

    def matches(self, vector: Vectors) -> list[PolicyMatch]:
        """Answers whose best question is at least `MIN_SIMILARITY` like the message, best
        first (one per topic)."""
        scores = self._vectors @ vector
        best: dict[str, PolicyMatch] = {}
        for index in np.argsort(-scores, kind="stable"):
            score = float(scores[index])
            if score < MIN_SIMILARITY:
                break
            entry, question = self._owners[int(index)]
            if entry.topic not in best:
                best[entry.topic] = PolicyMatch(entry.topic, entry.answer, score, question)
        return list(best.values())
