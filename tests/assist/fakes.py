"""A deterministic stand-in for MiniLM: bag-of-words vectors (each word hashed to one of 384
dimensions), so the cosine of two texts is their word overlap and tests know every score."""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

import numpy as np

from ticketing.assist.embedder import Vectors

DIMENSIONS = 384


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


class WordEmbedder:
    """Counts what it was asked to embed, so tests can see what a refresh re-embeds."""

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def encode(self, texts: Sequence[str]) -> Vectors:
        self.embedded.extend(texts)
        rows = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in words(text):
                rows[row, zlib.crc32(word.encode()) % DIMENSIONS] += 1.0
            norm = float(np.linalg.norm(rows[row]))
            if norm:
                rows[row] /= norm
        return rows
