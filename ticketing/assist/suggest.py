"""Ranking suggestions for one customer message: the policy answer the bot would give (if the
message is a policy question) and the replies agents gave to the most similar past messages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from ticketing.assist.embedder import Embedder
from ticketing.assist.policy_answers import PolicyAnswers
from ticketing.assist.reply_index import ReplyIndex

LIMIT = 3
PAST_MIN_SIMILARITY = 0.5  # a past customer message at least this close counts as similar
NEIGHBOURS = 200  # past messages looked at, closest first
MAX_MESSAGE_CHARS = 1000  # the rest of a longer message adds nothing MiniLM reads

Source = Literal["policy", "past_reply"]


@dataclass(frozen=True)
class Suggestion:
    text: str  # may hold placeholders ({customer_name}, ...) to fill for the conversation
    source: Source
    score: float  # cosine of the message with the past message / the policy question
    uses: int  # how many similar past messages got this reply (1 for a policy answer)
    example: str  # the past customer message, or the policy question, closest to the message
    topic: str | None = None  # the policy topic


def _past(message_vector: np.ndarray, index: ReplyIndex) -> list[Suggestion]:
    snapshot = index.snapshot
    if not snapshot.replies:
        return []
    scores = snapshot.vectors @ message_vector
    order = np.argsort(-scores, kind="stable")[:NEIGHBOURS]
    grouped: dict[str, Suggestion] = {}
    for row in order:
        score = float(scores[row])
        if score < PAST_MIN_SIMILARITY:
            break
        reply = snapshot.replies[int(row)]
        seen = grouped.get(reply.reply)
        if seen is None:
            grouped[reply.reply] = Suggestion(
                reply.reply, "past_reply", score, 1, reply.customer_text
            )
        else:
            grouped[reply.reply] = Suggestion(
                seen.text, "past_reply", seen.score, seen.uses + 1, seen.example
            )
    # closest first; among equally close ones (the same past message) the most used
    return sorted(grouped.values(), key=lambda s: (-round(s.score, 4), -s.uses, s.text))


def suggest(
    message: str,
    *,
    embedder: Embedder,
    replies: ReplyIndex | None,
    policy: PolicyAnswers | None,
    limit: int = LIMIT,
) -> list[Suggestion]:
    """Up to `limit` suggestions, best first, no two alike. The bot's policy answer, when the
    message is a policy question, always has a place; the others compete by similarity."""
    text = " ".join(message.split())[:MAX_MESSAGE_CHARS]
    if not text or limit < 1:
        return []
    vector = embedder.encode([text])[0]
    policy_found = [
        Suggestion(m.answer, "policy", m.score, 1, m.question, m.topic)
        for m in (policy.matches(vector) if policy is not None else [])
    ]
    past = _past(vector, replies) if replies is not None else []
    ranked = sorted(policy_found + past, key=lambda s: (-round(s.score, 4), -s.uses, s.text))
    chosen: list[Suggestion] = []
    for suggestion in ranked:
        if all(suggestion.text != c.text for c in chosen):
            chosen.append(suggestion)
    top = chosen[:limit]
    if policy_found and policy_found[0] not in top:
        top = [*top[: limit - 1], policy_found[0]]
    return top
