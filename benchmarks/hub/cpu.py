"""CPU time of the server processes (from /proc, so other jobs on the machine change it little)
and a sampling profile of Rasa summarised by where its time goes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")

# Where a sample of Rasa's stack belongs: the first rule (in this order) matching any frame.
PROFILE_RULES = (
    ("sentence featurizer (MiniLM)", ("bot/minilm.py", "sentence_featurizer.py")),
    ("custom action call (HTTP to the action server)", ("remote_action", "action.py:run")),
    ("TED policy", ("ted_policy.py",)),
    ("DIET (entities)", ("diet_classifier.py",)),
    ("logistic regression (intents)", ("logistic_regression",)),
    ("other NLU components", ("rasa/nlu/",)),
    ("tracker store", ("tracker_store.py",)),
    ("rules and memoization policies", ("rule_policy.py", "memoization.py")),
    ("lock store", ("lock_store.py",)),
    ("tracker featurization (states for the policies)", ("tracker_featurizers.py", "past_states")),
    ("other dialogue prediction", ("rasa/core/policies", "rasa/engine")),
    ("other request handling (processor, events, sanic)", ("rasa/core/", "sanic/")),
)


def process_tree(pid: int) -> list[int]:
    """`pid` and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo += children.get(current, [])
    return tree


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of `pid` and its live descendants."""
    total = 0
    for member in process_tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15 of stat)
    return total / TICKS


def snapshot(pids: dict[str, list[int]]) -> dict[str, float]:
    """CPU seconds of each named group of processes (several Rasa servers count as one)."""
    return {name: sum(cpu_seconds(pid) for pid in group) for name, group in pids.items()}


def per_message_ms(
    before: dict[str, float], after: dict[str, float], messages: int
) -> dict[str, float]:
    """CPU milliseconds each process spent per message between two snapshots."""
    if not messages:
        return dict.fromkeys(before, 0.0)
    return {name: round((after[name] - before[name]) * 1000 / messages, 1) for name in before}


def py_spy() -> str | None:
    """py-spy beside this interpreter (the dev dependencies) or on PATH."""
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.is_file() else shutil.which("py-spy")


def start_profile(pid: int, out: Path, rate: int = 100) -> subprocess.Popen[bytes]:
    """py-spy recording `pid` in collapsed-stack format until it is interrupted."""
    binary = py_spy()
    if binary is None:
        raise SystemExit("--profile needs py-spy: `make install` puts it in .venv (dev group)")
    argv = [binary, "record", "--pid", str(pid), "--format", "raw", "--output", str(out)]
    argv += ["--rate", str(rate), "--nonblocking", "--subprocesses"]
    return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603


def stop_profile(recorder: subprocess.Popen[bytes]) -> None:
    import signal

    recorder.send_signal(signal.SIGINT)
    try:
        recorder.wait(timeout=60)
    except subprocess.TimeoutExpired:
        recorder.kill()


def summarise(collapsed: Path) -> dict[str, object]:
    """Share of busy samples per PROFILE_RULES category (idle waiting left out)."""
    shares: Counter[str] = Counter()
    idle = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not count_text.isdigit():
            continue
        count = int(count_text)
        frames = stack.split(";")
        leaf = frames[-1] if frames else ""
        if any(word in leaf for word in ("select", "epoll", "_run_once (asyncio", "wait (")):
            idle += count
            continue
        shares[_category(frames)] += count
    busy = sum(shares.values())
    return {
        "busy_samples": busy,
        "idle_samples": idle,
        "shares": {name: round(n / busy, 3) for name, n in shares.most_common()} if busy else {},
    }


def _category(frames: list[str]) -> str:
    for name, needles in PROFILE_RULES:
        if any(needle in frame for frame in frames for needle in needles):
            return name
    return "other"
