"""The hub benchmark's measuring parts: CPU time of a process tree from /proc, and the py-spy
profile summary (benchmarks/hub/cpu.py)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from benchmarks.hub import cpu

BUSY = "import time\nend = time.process_time() + {seconds}\nwhile time.process_time() < end: pass\n"


def test_cpu_seconds_counts_the_process_and_its_children() -> None:
    # A parent that starts a child; both burn CPU: the tree's total covers both.
    child = BUSY.format(seconds=0.6)
    parent = (
        "import subprocess, sys, time\n"
        f"c = subprocess.Popen([sys.executable, '-c', {child!r}])\n"
        + BUSY.format(seconds=0.6)
        + "time.sleep(30)\n"
    )
    process = subprocess.Popen([sys.executable, "-c", parent])  # noqa: S603
    try:
        deadline = time.monotonic() + 30
        used = 0.0
        while time.monotonic() < deadline:
            used = cpu.cpu_seconds(process.pid)
            if used >= 1.1 and len(cpu.process_tree(process.pid)) == 2:
                break
            time.sleep(0.2)
        assert len(cpu.process_tree(process.pid)) == 2
        assert 1.1 <= used < 5
    finally:
        for pid in cpu.process_tree(process.pid)[1:]:
            subprocess.run(["kill", str(pid)], check=False)  # noqa: S603, S607
        process.kill()
        process.wait()


def test_per_message_ms_divides_the_difference() -> None:
    before = {"rasa": 10.0, "actions": 2.0}
    after = {"rasa": 12.5, "actions": 2.1}
    assert cpu.per_message_ms(before, after, 50) == {"rasa": 50.0, "actions": 2.0}
    assert cpu.per_message_ms(before, after, 0) == {"rasa": 0.0, "actions": 0.0}


def test_a_profile_is_summarised_by_where_the_time_went(tmp_path: Path) -> None:
    collapsed = tmp_path / "rasa.collapsed"
    collapsed.write_text(
        "process 1:rasa;handle (rasa/core/processor.py:10);process (bot/sentence_featurizer.py:80);"
        "_forward (bot/minilm.py:140) 45\n"
        "process 1:rasa;handle (rasa/core/processor.py:10);predict (rasa/core/policies/"
        "ted_policy.py:821) 30\n"
        "process 1:rasa;retrieve (rasa/core/tracker_store.py:391) 15\n"
        "process 1:rasa;handle (sanic/app.py:3) 10\n"
        "not a sample line\n"
    )
    summary = cpu.summarise(collapsed)
    assert summary["busy_samples"] == 100
    assert summary["shares"] == {
        "sentence featurizer (MiniLM)": 0.45,
        "TED policy": 0.3,
        "tracker store": 0.15,
        "other request handling (processor, events, sanic)": 0.1,
    }


def test_an_empty_profile_has_no_shares(tmp_path: Path) -> None:
    collapsed = tmp_path / "empty.collapsed"
    collapsed.write_text("")
    assert cpu.summarise(collapsed)["shares"] == {}


def test_the_loopback_addresses_are_new_for_every_conversation() -> None:
    from benchmarks.hub import run

    seen = [run.next_address() for _ in range(600)]
    assert len(set(seen)) == 600
    assert all(a.startswith("127.0.") and not a.endswith(".0") for a in seen)
