"""Past agent replies with their customers' messages embedded once, kept in memory and brought
up to date cheaply: a refresh lists the resolved conversations (ids only) and embeds only those
that are new or were resolved again; conversations that are gone (erased, renamed) drop out."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy.orm import Session

from ticketing.assist.embedder import Embedder, Vectors
from ticketing.assist.past_replies import PastReply, harvest, resolved_conversations

DIMENSIONS = 384


@dataclass(frozen=True)
class Snapshot:
    """What suggestions read: replies and their customer-message vectors, row for row."""

    replies: tuple[PastReply, ...]
    vectors: Vectors


class ReplyIndex:
    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder
        self._resolved: dict[str, datetime | None] = {}
        self._by_conversation: dict[str, list[PastReply]] = {}
        self._text_vectors: dict[str, Vectors] = {}  # one embedding per distinct customer text
        self._snapshot = Snapshot((), np.zeros((0, DIMENSIONS), dtype=np.float32))
        self._lock = threading.Lock()  # one refresh at a time; readers take the snapshot

    @classmethod
    def of(cls, embedder: Embedder, replies: Iterable[PastReply]) -> ReplyIndex:
        """An index over given replies (tests and benchmarks: no database)."""
        index = cls(embedder)
        grouped: dict[str, list[PastReply]] = {}
        for reply in replies:
            grouped.setdefault(reply.conversation_id, []).append(reply)
        with index._lock:
            index._apply(grouped, gone=[])
            index._resolved = dict.fromkeys(grouped)
        return index

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    def __len__(self) -> int:
        return len(self._snapshot.replies)

    def refresh(self, db_session: Session) -> int:
        """Bring the index up to the database; how many conversations were (re)read."""
        with self._lock:
            current: dict[str, datetime | None] = dict(resolved_conversations(db_session))
            gone = [cid for cid in self._resolved if cid not in current]
            changed = [cid for cid, at in current.items() if self._resolved.get(cid, 0) != at]
            if not gone and not changed:
                return 0
            self._apply(harvest(db_session, changed), gone=gone)
            self._resolved = current
            return len(changed)

    def _apply(self, harvested: dict[str, list[PastReply]], *, gone: list[str]) -> None:
        for conversation_id in gone:
            self._by_conversation.pop(conversation_id, None)
        self._by_conversation.update(harvested)
        texts = {
            reply.customer_text for replies in self._by_conversation.values() for reply in replies
        }
        new = sorted(texts - self._text_vectors.keys())
        if new:
            for text, vector in zip(new, self._embedder.encode(new), strict=True):
                self._text_vectors[text] = vector
        for text in list(self._text_vectors):  # texts of erased conversations go too
            if text not in texts:
                del self._text_vectors[text]
        replies = tuple(
            reply
            for conversation_id in sorted(self._by_conversation)
            for reply in self._by_conversation[conversation_id]
        )
        vectors = (
            np.vstack([self._text_vectors[r.customer_text] for r in replies])
            if replies
            else np.zeros((0, DIMENSIONS), dtype=np.float32)
        )
        self._snapshot = Snapshot(replies, vectors)
