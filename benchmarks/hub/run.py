"""Latency and throughput through the conversations hub beside Rasa's own REST channel.

Starts the real backend (seeded demo data), action server and Rasa server on loopback, then
for 1, 10 and 50 concurrent conversations sends the same scripted messages (greetings, "where
is my order" with the identity check, policy questions) once straight to Rasa's REST channel
and once to the hub's `POST /webhooks/rest/webhook`, and reports p50/p95 latency, messages per
second and the hub/direct ratio. Results are merged into results.json under `--label` and
RESULTS.md is rewritten from it.

    .venv/bin/python benchmarks/hub/run.py                      # SQLite, in-process broker
    .venv/bin/python benchmarks/hub/run.py --label postgres+redis \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/supportbot_bench \\
        --redis-url redis://127.0.0.1:6379/14
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from benchmarks.hub import report  # noqa: E402 - needs ROOT on sys.path
from tests.dialogue import servers  # noqa: E402
from ticketing.conversations import rest_channel  # noqa: E402
from ticketing.settings import DEVELOPMENT_REST_CHANNEL_KEY  # noqa: E402

SERVICE_KEY = "bench-service-key-0123456789abcdef"
HANDOFF_MARK = "passing you to a colleague"


def script(number: str, email: str, count: int) -> list[str]:
    """The messages of one conversation: a mix that keeps the bot in charge throughout."""
    turns = [
        "hi",
        "where is my order?",
        number,
        email,
        "how many days do I have to return an item?",
        "how long does a refund take?",
        "hello",
        "can I return a final sale item?",
        "how long does a refund take?",
        "thanks, that's all",
    ]
    return [turns[i % len(turns)] for i in range(count)]


@dataclass
class PathResult:
    """One path (direct or hub) at one concurrency level."""

    messages: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    empty: int = 0
    handoffs: int = 0

    def summary(self) -> dict[str, Any]:
        ordered = sorted(self.latencies) or [0.0]
        return {
            "messages": self.messages,
            "wall_seconds": round(self.seconds, 2),
            "p50_ms": round(_percentile(ordered, 50) * 1000, 1),
            "p95_ms": round(_percentile(ordered, 95) * 1000, 1),
            "mean_ms": round(statistics.fmean(ordered) * 1000, 1),
            "messages_per_second": round(self.messages / self.seconds, 2) if self.seconds else 0,
            "errors": self.errors,
            "empty_replies": self.empty,
            "handoff_replies": self.handoffs,
        }


def _percentile(ordered: list[float], pct: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    rank = max(1, round(pct / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


async def _conversation(
    client: httpx.AsyncClient, url: str, sender: str, messages: list[str], result: PathResult
) -> None:
    for message in messages:
        started = time.perf_counter()
        try:
            response = await client.post(url, json={"sender": sender, "message": message})
            response.raise_for_status()
            replies = response.json()
        except (httpx.HTTPError, ValueError) as error:
            print(f"  ! {sender}: {message!r}: {type(error).__name__}: {error}", flush=True)
            result.errors += 1
            continue
        result.latencies.append(time.perf_counter() - started)
        result.messages += 1
        result.empty += not replies
        result.handoffs += any(HANDOFF_MARK in str(r.get("text", "")) for r in replies)


async def run_path(
    base_url: str, tag: str, conversations: int, messages: list[str], request_seconds: float
) -> PathResult:
    """`conversations` customers at once, each sending `messages` one after another."""
    url = f"{base_url}/webhooks/rest/webhook"
    result = PathResult()
    limits = httpx.Limits(max_connections=conversations + 5, max_keepalive_connections=100)
    # The backend's REST channel wants a channel key for senders the caller names (the
    # development key: the backend runs in the test environment); Rasa ignores the header.
    headers = {rest_channel.CHANNEL_KEY_HEADER: DEVELOPMENT_REST_CHANNEL_KEY}
    async with httpx.AsyncClient(timeout=request_seconds, limits=limits, headers=headers) as client:
        started = time.perf_counter()
        stamp = f"{time.time_ns():x}"[-8:]
        await asyncio.gather(
            *(
                _conversation(client, url, f"bench-{tag}-{stamp}-{i}", messages, result)
                for i in range(conversations)
            )
        )
        result.seconds = time.perf_counter() - started
    return result


def _fresh_database(url: str | None, logs: Path) -> str:
    """SQLite in `logs` by default; a PostgreSQL database is dropped and created again, so its
    name must end in `_bench` (never a database something else uses)."""
    if not url:
        return f"sqlite:///{logs / 'bench.db'}"
    import psycopg
    from sqlalchemy.engine import make_url

    from ticketing.settings import normalise_database_url

    parsed = make_url(normalise_database_url(url))
    if not (parsed.database or "").endswith("_bench"):
        raise SystemExit(f"refusing to recreate {parsed.database!r}: use a *_bench database")
    admin = parsed.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {parsed.database} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {parsed.database}")
    return parsed.render_as_string(hide_password=False)


@contextmanager
def assistant(args: argparse.Namespace, logs: Path) -> Iterator[tuple[str, str, str, str]]:
    """(backend URL, Rasa URL, order number, email) with all three processes up."""
    from bot.model_cache import latest_model_path
    from ticketing.cli.db import upgrade_head
    from ticketing.db import Database
    from ticketing.seed.demo import seed_demo

    model = args.model or latest_model_path(ROOT)
    if model is None:
        raise SystemExit("no trained model for the current training data: `make model` or --model")
    url = _fresh_database(args.database_url, logs)
    print(f"database: {url.split('@')[-1]} (migrating and seeding demo data)", flush=True)
    upgrade_head(url)
    database = Database(url)
    with database.session(write=True) as session:
        demo = seed_demo(db_session=session)
    database.dispose()
    order = next(s for s in demo.showcase if s.key == "in_transit")
    rasa_port = servers.free_port()
    print(f"starting backend, action server and Rasa ({model.name}); logs in {logs}", flush=True)
    backend_env = {
        "SUPPORTBOT_RASA_TIMEOUT_SECONDS": str(args.timeout),
        # every simulated customer writes from 127.0.0.1: the per-IP limit (60 a minute) is
        # for one client, and would refuse most of 50 conversations' messages (429)
        "SUPPORTBOT_MESSAGE_LIMIT_PER_IP": "0",
        # ... and the same for failed verifications from one address or the whole shop
        "SUPPORTBOT_VERIFICATION_FAILURES_PER_IP": "0",
        "SUPPORTBOT_VERIFICATION_FAILURES_PER_MINUTE": "0",
    }
    with (
        servers.backend(
            url,
            args.redis_url,
            SERVICE_KEY,
            logs,
            rasa_url=f"http://127.0.0.1:{rasa_port}",
            extra_env=backend_env,
        ) as backend,
        servers.action_server(backend.url, SERVICE_KEY, logs) as actions,
        servers.rasa_server(model, actions.url, logs, port=rasa_port) as rasa,
    ):
        yield backend.url, rasa.url, order.number, order.email


async def measure(
    args: argparse.Namespace, hub_url: str, rasa_url: str, msgs: list[str]
) -> list[Any]:
    print(f"warm-up: {args.warmup} conversation(s) per path", flush=True)
    for base, tag in ((rasa_url, "warm-direct"), (hub_url, "warm-hub")):
        await run_path(base, tag, args.warmup, msgs, args.timeout)
    levels = []
    for conversations in args.conversations:
        level: dict[str, Any] = {"conversations": conversations, "messages_each": len(msgs)}
        for path, base in (("direct", rasa_url), ("hub", hub_url)):
            print(f"{conversations:>3} conversations x {len(msgs)} messages, {path}...", flush=True)
            result = await run_path(base, path, conversations, msgs, args.timeout)
            level[path] = result.summary()
            print(f"    {json.dumps(level[path])}", flush=True)
        direct, hub = level["direct"], level["hub"]
        level["hub_over_direct"] = {
            "p50": round(hub["p50_ms"] / direct["p50_ms"], 2) if direct["p50_ms"] else None,
            "p95": round(hub["p95_ms"] / direct["p95_ms"], 2) if direct["p95_ms"] else None,
            "throughput": round(hub["messages_per_second"] / direct["messages_per_second"], 2)
            if direct["messages_per_second"]
            else None,
        }
        levels.append(level)
    return levels


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Benchmark the conversations hub (POST /webhooks/rest/webhook on the "
        "backend) against Rasa's REST channel directly, with the real processes.",
    )
    parser.add_argument("--label", default="sqlite", help="key in results.json (default sqlite)")
    parser.add_argument(
        "--database-url",
        help="PostgreSQL URL of a *_bench database (dropped "
        "and recreated); default: a temporary SQLite file",
    )
    parser.add_argument("--redis-url", help="Redis for the hub's broker and locks (default none)")
    parser.add_argument(
        "--conversations",
        type=int,
        nargs="+",
        default=[1, 10, 50],
        help="concurrency levels (default 1 10 50)",
    )
    parser.add_argument(
        "--messages",
        type=int,
        default=10,
        help="messages per conversation, sent one after another (default 10)",
    )
    parser.add_argument("--warmup", type=int, default=2, help="warm-up conversations per path")
    parser.add_argument(
        "--timeout",
        type=float,
        default=180.0,
        help="seconds per request, and the hub's Rasa timeout (default 180)",
    )
    parser.add_argument(
        "--model",
        type=Path,
        help="Rasa model (default: the one for the "
        "current training data, bot.model_cache.latest_model_path)",
    )
    parser.add_argument("--no-save", action="store_true", help="print only; write no files")
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="rewrite RESULTS.md from results.json and exit (no measuring)",
    )
    args = parser.parse_args()
    if args.report_only:
        report.write_markdown()
        print(f"wrote {report.MARKDOWN}")
        return

    started = time.perf_counter()
    with (
        tempfile.TemporaryDirectory(prefix="hub-bench-") as tmp,
        assistant(args, Path(tmp)) as (
            hub_url,
            rasa_url,
            number,
            email,
        ),
    ):
        msgs = script(number, email, args.messages)
        levels = asyncio.run(measure(args, hub_url, rasa_url, msgs))
    run = {
        "database": "postgresql" if args.database_url else "sqlite",
        "redis": bool(args.redis_url),
        "messages_per_conversation": args.messages,
        "script": script("<order number>", "<email>", args.messages),
        "levels": levels,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": report.cpu_count(), "python": platform.python_version()},
        "command": " ".join(["benchmarks/hub/run.py", *sys.argv[1:]]),
        "total_seconds": round(time.perf_counter() - started, 1),
    }
    print(report.table({args.label: run}), flush=True)
    if not args.no_save:
        report.save(args.label, run)
        print(f"wrote {report.RESULTS} and {report.MARKDOWN}", flush=True)


if __name__ == "__main__":
    main()
