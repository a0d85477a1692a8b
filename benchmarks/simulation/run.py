"""Simulated customers against the whole assistant: the task success rate.

Starts a seeded backend on SQLite in a temporary directory, the action server and the Rasa
server with the current model (`bot/model_cache.py`), all on loopback, the way the dialogue
tests do; then plays each scenario of `scenarios.py` through the hub's REST channel and checks
the database afterwards. Writes results.json beside this file and prints the task success rate,
overall and for the scenarios that open with a real customer's first message.

    .venv/bin/python benchmarks/simulation/run.py                  # every scenario
    .venv/bin/python benchmarks/simulation/run.py --only exchange_size --only cancel_paid
    .venv/bin/python benchmarks/simulation/run.py --scenarios 10 --seed 3
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import platform
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from benchmarks.simulation.conversation import Result, casting_for, simulate  # noqa: E402
from benchmarks.simulation.scenarios import SCENARIOS, Scenario  # noqa: E402
from tests.dialogue import servers  # noqa: E402
from ticketing.db import Database  # noqa: E402

SERVICE_KEY = "simulation-service-key-0123456789"
RESULTS = HERE / "results.json"
BAR_OVERALL, BAR_REAL = 0.97, 0.90


def choose(names: list[str] | None, count: int | None) -> list[Scenario]:
    """The scenarios named (shell patterns allowed), else all; the first `count` of them."""
    chosen = list(SCENARIOS)
    if names:
        wanted = [n for name in names for n in name.split(",") if n]
        chosen = [s for s in SCENARIOS if any(fnmatch.fnmatch(s.name, n) for n in wanted)]
        if not chosen:
            raise SystemExit(f"no scenario matches {wanted}; see --list")
    return chosen[:count] if count else chosen


@contextmanager
def assistant(model: Path, logs: Path) -> Iterator[tuple[str, Database]]:
    """(backend URL, its database) with the backend, the action server and Rasa running."""
    from ticketing.cli.db import upgrade_head
    from ticketing.seed.demo import seed_demo

    url = f"sqlite:///{logs / 'simulation.db'}"
    print(f"database: {url} (migrating and seeding the demo shop)", flush=True)
    upgrade_head(url)
    database = Database(url)

    def seeding(phase: str, done: int, total: int) -> None:
        print(f"  seed: {phase} {done}/{total}", flush=True)

    with database.session(write=True) as session:
        seed_demo(db_session=session, progress=seeding)
    env = {
        # every simulated customer writes from 127.0.0.1: limits meant for one client would
        # refuse a run of many conversations
        "SUPPORTBOT_MESSAGE_LIMIT_PER_IP": "0",
        "SUPPORTBOT_MESSAGE_LIMIT_PER_CONVERSATION": "0",
        "SUPPORTBOT_VERIFICATION_FAILURES_PER_IP": "0",
        "SUPPORTBOT_VERIFICATION_FAILURES_PER_MINUTE": "0",
        "SUPPORTBOT_RASA_STARTUP_SECONDS": "900",
    }
    rasa_port = servers.free_port()
    print(f"starting backend, action server and Rasa ({model.name}); logs in {logs}", flush=True)
    try:
        with (
            servers.backend(
                url,
                None,
                SERVICE_KEY,
                logs,
                rasa_url=f"http://127.0.0.1:{rasa_port}",
                extra_env=env,
            ) as backend,
            servers.action_server(backend.url, SERVICE_KEY, logs) as actions,
            servers.rasa_server(model, actions.url, logs, port=rasa_port),
        ):
            yield backend.url, database
    finally:
        database.dispose()


def _logs(kept: Path | None, temporary: Path) -> Path:
    if kept is None:
        return temporary
    kept.mkdir(parents=True, exist_ok=True)
    for old in ("simulation.db", "backend.log", "actions.log", "rasa.log", "rasa_tracker.db"):
        (kept / old).unlink(missing_ok=True)
    return kept


def rate(results: list[Result]) -> dict[str, Any]:
    passed = sum(r.passed for r in results)
    return {
        "scenarios": len(results),
        "passed": passed,
        "success_rate": round(passed / len(results), 4) if results else None,
    }


def summary(results: list[Result]) -> dict[str, Any]:
    real = [r for r in results if r.real_opening]
    flows: dict[str, list[Result]] = {}
    for result in results:
        flows.setdefault(result.flow, []).append(result)
    seen = [r for r in real if r.real_opening and r.real_opening.get("in_training_data")]
    return {
        "overall": rate(results),
        "real_openings": rate(real),
        "real_openings_in_training_data": len(seen),
        "per_flow": {flow: rate(group) for flow, group in flows.items()},
        "failed": [f"{r.name}: {r.reason}" for r in results if not r.passed],
        "bot_turns": sum(sum(line.startswith("> ") for line in r.transcript) for r in results),
        "repeats": [f"{r.name}: {finding}" for r in results for finding in r.repeats],
        "bar": {"overall": BAR_OVERALL, "real_openings": BAR_REAL},
    }


def _percent(part: dict[str, Any]) -> str:
    if not part["scenarios"]:
        return "n/a"
    return f"{part['success_rate']:.1%} ({part['passed']}/{part['scenarios']})"


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Play scripted customers (a persona per scenario: a seeded order found by a "
        "query, the facts its owner knows, a goal) against the whole assistant through the "
        "hub's REST channel, check the database after each conversation, and report the task "
        "success rate overall and for real customers' openings.",
    )
    parser.add_argument("--scenarios", type=int, metavar="N", help="run only the first N")
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help="run this scenario (repeatable; comma-separated and shell patterns like 'return_*')",
    )
    parser.add_argument("--seed", type=int, default=7, help="picks the wordings (default 7)")
    parser.add_argument("--model", type=Path, help="Rasa model (default: the current one)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="default: %(default)s")
    parser.add_argument("--list", action="store_true", help="list the scenarios and exit")
    parser.add_argument(
        "--logs",
        type=Path,
        help="keep the database and server logs here (default: a temporary "
        "directory, removed at the end)",
    )
    args = parser.parse_args()
    chosen = choose(args.only, args.scenarios)
    if args.list:
        for s in chosen:
            real = f"  [real: {s.real.dataset} row {s.real.row}]" if s.real else ""
            print(f"{s.name:40} {s.flow:20} {'+'.join(s.goals)}{real}")
        return
    from bot.model_cache import latest_model_path

    model = args.model or latest_model_path(ROOT)
    if model is None:
        raise SystemExit("no trained model for the current training data: `make model`, or --model")
    started = time.monotonic()
    results: list[Result] = []
    with (
        tempfile.TemporaryDirectory(prefix="simulation-") as tmp,
        assistant(model, _logs(args.logs, Path(tmp))) as (backend_url, database),
    ):
        print(f"{len(chosen)} scenario(s), seed {args.seed}", flush=True)
        casting = casting_for(database)
        for scenario in chosen:
            try:
                casting.order_number(scenario.name)
            except LookupError as error:
                raise SystemExit(f"{scenario.name}: {error}") from error
        for index, scenario in enumerate(chosen, start=1):
            result = simulate(
                scenario,
                backend_url=backend_url,
                database=database,
                seed=args.seed,
                casting=casting,
            )
            results.append(result)
            verdict = "pass" if result.passed else f"FAIL: {result.reason}"
            print(
                f"[{index:>2}/{len(chosen)}] {scenario.name:40} {result.turns:>2} turns "
                f"{result.seconds:>5.1f} s  {verdict}",
                flush=True,
            )
    report = {
        "summary": summary(results),
        "scenarios": [r.as_json() for r in results],
        "model": model.name,
        "seed": args.seed,
        "command": " ".join(["benchmarks/simulation/run.py", *sys.argv[1:]]),
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version()},
        "total_seconds": round(time.monotonic() - started, 1),
    }
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    totals = report["summary"]
    print(f"task success: {_percent(totals['overall'])} (bar {BAR_OVERALL:.0%})")
    print(
        f"real openings: {_percent(totals['real_openings'])} (bar {BAR_REAL:.0%}); "
        f"{totals['real_openings_in_training_data']} of these openings are in data/nlu/"
    )
    for line in totals["failed"]:
        print(f"  failed {line}")
    print(f"bot turns that say a fact twice or contradict themselves: {len(totals['repeats'])}")
    for line in totals["repeats"]:
        print(f"  {line}")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
