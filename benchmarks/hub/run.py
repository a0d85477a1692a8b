"""Latency and throughput through the conversations hub beside Rasa's own REST channel.

Starts the real backend (seeded demo data), action server and Rasa server on loopback, then
for 1, 10 and 50 concurrent conversations sends the same scripted messages (greetings, "where
is my order" with the identity check, policy questions) once straight to Rasa's REST channel
and once to the hub's `POST /webhooks/rest/webhook`, and reports p50/p95 latency, messages per
second, the hub/direct ratio and the CPU milliseconds each server process (Rasa, action server,
backend) spent per message, read from /proc. Each conversation writes from its own loopback
address (127.0.x.y), so the backend's per-IP limits apply as they would to real customers.
`--pause 5` makes customers wait between messages as people typing do; `--profile` samples the
Rasa process with py-spy and reports where its time goes. Results are merged into results.json
under `--label` and RESULTS.md is rewritten from it.

    .venv/bin/python benchmarks/hub/run.py                      # SQLite, in-process broker
    .venv/bin/python benchmarks/hub/run.py --label postgres+redis \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/supportbot_bench \\
        --redis-url redis://127.0.0.1:6379/14
    .venv/bin/python benchmarks/hub/run.py --label paced --conversations 100 --pause 5
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import platform
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from benchmarks.hub import cpu, report  # noqa: E402 - needs ROOT on sys.path
from tests.dialogue import servers  # noqa: E402
from ticketing.cli.run import rasa_name, shared_tracker_store  # noqa: E402
from ticketing.conversations import rest_channel  # noqa: E402
from ticketing.conversations.rasa_client import server_index  # noqa: E402
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
    # what the customer had just been told when a message got no reply (why it went quiet)
    empty_after: Counter[str] = field(default_factory=Counter)

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
            "empty_after": dict(self.empty_after.most_common(3)),
        }


def _percentile(ordered: list[float], pct: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    rank = max(1, round(pct / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


_addresses = itertools.count()


def next_address() -> str:
    """A loopback address no conversation of this run has used (127.0.1.1, 127.0.1.2, ...)."""
    n = next(_addresses)
    return f"127.0.{1 + n // 250}.{1 + n % 250}"


async def _conversation(
    url: str,
    sender: str,
    messages: list[str],
    result: PathResult,
    request_seconds: float,
    pause: float,
) -> None:
    # The backend's REST channel wants a channel key for senders the caller names (the
    # development key: the backend runs in the test environment); Rasa ignores the header.
    headers = {rest_channel.CHANNEL_KEY_HEADER: DEVELOPMENT_REST_CHANNEL_KEY}
    transport = httpx.AsyncHTTPTransport(local_address=next_address())
    async with httpx.AsyncClient(
        timeout=request_seconds, headers=headers, transport=transport
    ) as client:
        if pause:
            await asyncio.sleep(random.uniform(0, pause))  # customers don't start in step
        last = "(nothing yet)"
        for number, message in enumerate(messages):
            if pause and number:
                await asyncio.sleep(pause)
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
            if not replies:
                result.empty += 1
                result.empty_after[f"{last[:70]!r} then {message!r}"] += 1
            result.handoffs += any(HANDOFF_MARK in str(r.get("text", "")) for r in replies)
            last = " / ".join(str(r.get("text", "")) for r in replies) or last


def _server_for(bases: list[str], sender: str) -> str:
    """The server the hub would pick for `sender` (straight to Rasa: the same spread)."""
    return bases[server_index(sender, len(bases))]


async def run_path(
    base_urls: list[str],
    tag: str,
    conversations: int,
    messages: list[str],
    request_seconds: float,
    pause: float = 0.0,
) -> PathResult:
    """`conversations` customers at once, each sending `messages` one after another (waiting
    `pause` seconds between two of them) to one of `base_urls`."""
    result = PathResult()
    started = time.perf_counter()
    stamp = f"{time.time_ns():x}"[-8:]
    senders = [f"bench-{tag}-{stamp}-{i}" for i in range(conversations)]
    await asyncio.gather(
        *(
            _conversation(
                f"{_server_for(base_urls, sender)}/webhooks/rest/webhook",
                sender,
                messages,
                result,
                request_seconds,
                pause,
            )
            for sender in senders
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
def assistant(args: argparse.Namespace, logs: Path) -> Iterator[Stack]:
    """The backend, action server and Rasa, up, on a seeded database."""
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
    ports = [servers.free_port() for _ in range(args.rasa_workers)]
    print(
        f"starting backend, action server and {args.rasa_workers} Rasa server(s) ({model.name}); "
        f"logs in {logs}",
        flush=True,
    )
    # Every limit as configured: each simulated customer writes from its own address.
    backend_env = {"SUPPORTBOT_RASA_TIMEOUT_SECONDS": str(args.timeout)}
    shared_tracker_store(logs / "rasa_tracker.db")  # as `supportbot run` does
    with (
        servers.backend(
            url,
            args.redis_url,
            SERVICE_KEY,
            logs,
            rasa_url=",".join(f"http://127.0.0.1:{port}" for port in ports),
            extra_env=backend_env,
        ) as backend,
        servers.action_server(backend.url, SERVICE_KEY, logs) as actions,
        ExitStack() as rasas,
    ):
        started = [
            rasas.enter_context(
                servers.rasa_server(model, actions.url, logs, port=port, name=rasa_name(i))
            )
            for i, port in enumerate(ports)
        ]
        pids = {"rasa": [r.process.pid for r in started], "actions": [actions.process.pid]}
        pids["backend"] = [backend.process.pid]
        yield Stack(backend.url, [r.url for r in started], order.number, order.email, pids)


@dataclass
class Stack:
    hub_url: str
    rasa_urls: list[str]  # each conversation goes to one, as the hub spreads them
    order_number: str
    email: str
    pids: dict[str, list[int]]  # each server's processes, summed


async def measure(args: argparse.Namespace, stack: Stack, msgs: list[str]) -> list[Any]:
    print(f"warm-up: {args.warmup} conversation(s) per path", flush=True)
    for bases, tag in ((stack.rasa_urls, "warm-direct"), ([stack.hub_url], "warm-hub")):
        await run_path(bases, tag, args.warmup * len(bases), msgs, args.timeout)
    paths = [("direct", stack.rasa_urls), ("hub", [stack.hub_url])]
    paths = [(name, url) for name, url in paths if name in args.paths]
    levels = []
    for conversations in args.conversations:
        level: dict[str, Any] = {"conversations": conversations, "messages_each": len(msgs)}
        level["pause_seconds"] = args.pause
        for path, base in paths:
            print(f"{conversations:>3} conversations x {len(msgs)} messages, {path}...", flush=True)
            before = cpu.snapshot(stack.pids)
            result = await run_path(base, path, conversations, msgs, args.timeout, args.pause)
            level[path] = result.summary()
            level[path]["cpu_ms_per_message"] = cpu.per_message_ms(
                before, cpu.snapshot(stack.pids), result.messages
            )
            print(f"    {json.dumps(level[path])}", flush=True)
        if "direct" in level and "hub" in level:
            level["hub_over_direct"] = _ratios(level["direct"], level["hub"])
        levels.append(level)
    return levels


def _ratios(direct: dict[str, Any], hub: dict[str, Any]) -> dict[str, float | None]:
    def ratio(a: float, b: float) -> float | None:
        return round(a / b, 2) if b else None

    return {
        "p50": ratio(hub["p50_ms"], direct["p50_ms"]),
        "p95": ratio(hub["p95_ms"], direct["p95_ms"]),
        "throughput": ratio(hub["messages_per_second"], direct["messages_per_second"]),
    }


async def profile_rasa(args: argparse.Namespace, stack: Stack, msgs: list[str]) -> dict[str, Any]:
    """py-spy on Rasa while `--profile` conversations talk to it directly."""
    out = Path(tempfile.mkdtemp(prefix="hub-profile-")) / "rasa.collapsed"
    print(f"profile: py-spy on Rasa, {args.profile} conversations straight to Rasa", flush=True)
    recorder = cpu.start_profile(stack.pids["rasa"][0], out)
    try:
        await run_path(stack.rasa_urls[:1], "profile", args.profile, msgs, args.timeout)
    finally:
        cpu.stop_profile(recorder)
    if not out.exists():
        error = recorder.stderr.read().decode(errors="replace") if recorder.stderr else ""
        raise SystemExit(f"py-spy wrote no profile: {error.strip()[-500:]}")
    summary = cpu.summarise(out)
    summary["conversations"] = args.profile
    print(f"    {json.dumps(summary)}", flush=True)
    return summary


@contextmanager
def _logs_folder(keep: Path | None) -> Iterator[Path]:
    if keep is None:
        with tempfile.TemporaryDirectory(prefix="hub-bench-") as tmp:
            yield Path(tmp)
        return
    keep.mkdir(parents=True, exist_ok=True)
    yield keep.resolve()


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
        "--pause",
        type=float,
        default=0.0,
        help="seconds a customer waits between two messages (default 0: back to back)",
    )
    parser.add_argument(
        "--paths",
        nargs="+",
        choices=("direct", "hub"),
        default=["direct", "hub"],
        help="straight to Rasa, through the hub, or both (default both)",
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="also sample Rasa with py-spy while N conversations talk to it (default: no profile)",
    )
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
    parser.add_argument(
        "--logs",
        type=Path,
        help="keep the servers' logs (and the SQLite database) in this folder (default: a "
        "temporary one, removed at the end)",
    )
    parser.add_argument(
        "--rasa-workers",
        type=int,
        default=1,
        metavar="N",
        help="Rasa servers sharing the work, as `supportbot run --rasa-workers N` (default 1); "
        "straight to Rasa, each conversation goes to the server the hub would pick",
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
        _logs_folder(args.logs) as logs,
        assistant(args, logs) as stack,
    ):
        msgs = script(stack.order_number, stack.email, args.messages)
        levels = asyncio.run(measure(args, stack, msgs))
        profile = asyncio.run(profile_rasa(args, stack, msgs)) if args.profile else None
    run = {
        "database": "postgresql" if args.database_url else "sqlite",
        "redis": bool(args.redis_url),
        "rasa_workers": args.rasa_workers,
        "messages_per_conversation": args.messages,
        "script": script("<order number>", "<email>", args.messages),
        "levels": levels,
        "rasa_profile": profile,
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
