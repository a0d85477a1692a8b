"""Grouping the inbox by meaning, so one label fixes a cluster.

Average-linkage agglomerative clustering of all-MiniLM-L6-v2 vectors: the two most similar
clusters merge while their mean pairwise cosine is at least `SIMILARITY`. Deterministic: the
items are taken oldest first and ties go to the older pair, so the same inbox always gives
the same clusters, and a cluster's id (its oldest item) does not change while that item waits.
Vectors are computed once per item and stored.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import update
from sqlalchemy.orm import Session

from ticketing.assist.embedder import Embedder, MiniLM, Vectors
from ticketing.training.models import InboxItem

log = logging.getLogger(__name__)

# Paraphrases of one request score ~0.45-0.9 with MiniLM, different requests mostly under 0.4
# ("where is my parcel" / "my package hasn't arrived yet": 0.46; / "I want my money back": 0.15).
SIMILARITY = 0.5
# The oldest this many are grouped (under a second); newer ones wait as single messages.
MAX_GROUPED = 1000
DIMENSIONS = 384


@dataclass
class Cluster:
    items: list[InboxItem]

    @property
    def id(self) -> int:
        return self.items[0].id


def _vector(item: InboxItem) -> Vectors:
    return np.frombuffer(item.embedding or b"", dtype=np.float32)


def missing_vectors(items: Sequence[InboxItem], embedder: Embedder) -> dict[int, bytes]:
    """The vectors (float32 bytes) of the items that have none yet, by item id (one batch)."""
    missing = [item for item in items if not item.embedding]
    if not missing:
        return {}
    vectors = embedder.encode([item.text for item in missing])
    return {
        item.id: np.asarray(vector, dtype=np.float32).tobytes()
        for item, vector in zip(missing, vectors, strict=True)
    }


def embed_missing(db_session: Session, items: Sequence[InboxItem], embedder: Embedder) -> None:
    """Compute and store the vectors the items do not have yet."""
    vectors = missing_vectors(items, embedder)
    for item in items:
        if item.id in vectors:
            item.embedding = vectors[item.id]
    db_session.flush()


def store_vectors(db_session: Session, vectors: dict[int, bytes]) -> None:
    """Keep computed vectors (items erased meanwhile are simply not found)."""
    for item_id, vector in vectors.items():
        db_session.execute(
            update(InboxItem).where(InboxItem.id == item_id).values(embedding=vector)
        )


def group(items: Sequence[InboxItem], *, similarity: float = SIMILARITY) -> list[Cluster]:
    """Clusters of items with vectors (see the module docstring), largest first."""
    ordered = sorted(items, key=lambda item: (item.created_at, item.id))[:MAX_GROUPED]
    members: list[list[int]] = [[index] for index in range(len(ordered))]
    if ordered:
        vectors = np.stack([_vector(item) for item in ordered])
        scores = (vectors @ vectors.T).astype(np.float64)
        np.fill_diagonal(scores, -np.inf)
        alive = np.ones(len(ordered), dtype=bool)
        while True:
            best = int(np.argmax(scores))  # the first of equal scores: deterministic
            a, b = divmod(best, len(ordered))
            if not np.isfinite(scores[a, b]) or scores[a, b] < similarity:
                break
            size_a, size_b = len(members[a]), len(members[b])
            merged = (scores[a] * size_a + scores[b] * size_b) / (size_a + size_b)
            scores[a], scores[:, a] = merged, merged  # average linkage (Lance-Williams)
            scores[b], scores[:, b] = -np.inf, -np.inf
            scores[a, a] = -np.inf
            scores[~alive, a] = scores[a, ~alive] = -np.inf
            alive[b] = False
            members[a] = sorted(members[a] + members[b])
            members[b] = []
    clusters = [Cluster([ordered[i] for i in group]) for group in members if group]
    rest = [Cluster([item]) for item in sorted(items, key=_age)[MAX_GROUPED:]]
    return sorted([*clusters, *rest], key=lambda c: (-len(c.items), _age(c.items[0])))


def _age(item: InboxItem) -> tuple[object, int]:
    return (item.created_at, item.id)


def group_by_text(items: Sequence[InboxItem]) -> list[Cluster]:
    """Without the model: only the same wording is grouped."""
    by_text: dict[str, Cluster] = {}
    for item in sorted(items, key=lambda item: (item.created_at, item.id)):
        key = " ".join(item.text.lower().split())
        by_text.setdefault(key, Cluster([])).items.append(item)
    return sorted(by_text.values(), key=lambda cluster: (-len(cluster.items), cluster.id))


def group_embedded(items: Sequence[InboxItem]) -> list[Cluster]:
    """`group` for the items with vectors; one that arrived since (none yet) is grouped with
    the same wording only, until the next reload embeds it."""
    clusters = group([item for item in items if item.embedding])
    clusters += group_by_text([item for item in items if not item.embedding])
    return sorted(clusters, key=lambda c: (-len(c.items), _age(c.items[0])))


class Encoder:
    """The app's encoder for grouping, loaded on first use (a few seconds, once per process);
    None for good when the model cannot be loaded (the inbox then groups equal texts)."""

    def __init__(self, load: Callable[[], Embedder] = MiniLM.load) -> None:
        self._load = load
        self._lock = threading.Lock()
        self._embedder: Embedder | None = None
        self._failed = False

    def get(self) -> Embedder | None:
        with self._lock:
            if self._embedder is None and not self._failed:
                try:
                    self._embedder = self._load()
                except Exception:
                    log.exception("training inbox: the sentence model did not load")
                    self._failed = True
            return self._embedder
