"""Supervise child processes: start each in its own process group, prefix its output with a
name tag (and keep all of it in a log file when asked), notice when one dies, and stop them all
(SIGTERM to the group, then SIGKILL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TextIO


@dataclass(frozen=True)
class ProcessSpec:
    """What to run: `argv` in `cwd` with `env` (None: inherit), output tagged `[name]`.

    With `log_file`, every line of output is appended there and only the lines `shows` accepts
    (a fresh filter per process, see `output_filter.ErrorLines`) reach the terminal."""

    name: str
    argv: Sequence[str]
    env: Mapping[str, str] | None = None
    cwd: Path | None = None
    log_file: Path | None = None
    shows: Callable[[], Callable[[str], bool]] | None = None


@dataclass
class ManagedProcess:
    """A started child; `pid` is also its process-group id."""

    spec: ProcessSpec
    popen: subprocess.Popen[bytes]
    reader: threading.Thread
    stopping: bool = field(default=False)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def pid(self) -> int:
        return self.popen.pid

    @property
    def returncode(self) -> int | None:
        return self.popen.poll()


def _running_in_group(pgid: int) -> bool | None:
    """Whether a non-zombie process is in group `pgid`, from /proc (None: no /proc)."""
    proc = Path("/proc")
    if not (proc / "self" / "stat").exists():
        return None
    for stat in proc.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:  # the process ended while we looked
            continue
        # After "pid (comm)": state, ppid, pgrp, ...
        if len(fields) > 2 and fields[2] == str(pgid) and fields[0] not in ("Z", "X"):
            return True
    return False


def _group_alive(pgid: int) -> bool:
    """Whether any process of group `pgid` still runs (zombies waiting for init do not count)."""
    running = _running_in_group(pgid)
    if running is not None:
        return running
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _signal_group(pgid: int, signum: signal.Signals) -> None:
    try:
        os.killpg(pgid, signum)
    except (ProcessLookupError, PermissionError):
        pass


class Supervisor:
    """Starts children, relays their output and stops them together."""

    def __init__(self, out: TextIO | None = None) -> None:
        self._out = out if out is not None else sys.stdout
        self._lock = threading.Lock()
        self.processes: list[ManagedProcess] = []

    def say(self, message: str) -> None:
        """Write one line to the output, never interleaved with a child's line."""
        with self._lock:
            self._out.write(message + "\n")
            self._out.flush()

    def _relay(self, spec: ProcessSpec, stream: IO[bytes]) -> None:
        shows = spec.shows() if spec.shows is not None else None
        log = None
        if spec.log_file is not None:
            spec.log_file.parent.mkdir(parents=True, exist_ok=True)
            log = spec.log_file.open("a", encoding="utf-8")
        with stream:
            for raw in iter(stream.readline, b""):
                line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
                if log is not None:
                    log.write(line + "\n")
                    log.flush()
                if shows is None or shows(line):
                    self.say(f"[{spec.name}] {line}")
        if log is not None:
            log.close()

    def start(self, spec: ProcessSpec) -> ManagedProcess:
        """Start `spec` in a new session (own process group) with stdout+stderr relayed."""
        env = dict(os.environ if spec.env is None else spec.env)
        env.setdefault("PYTHONUNBUFFERED", "1")
        # argv comes from the caller's fixed command lines, never from user input.
        popen = subprocess.Popen(  # noqa: S603
            list(spec.argv),
            cwd=spec.cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        assert popen.stdout is not None  # noqa: S101 - stdout=PIPE guarantees it
        reader = threading.Thread(
            target=self._relay, args=(spec, popen.stdout), name=f"relay-{spec.name}"
        )
        reader.daemon = True
        reader.start()
        managed = ManagedProcess(spec=spec, popen=popen, reader=reader)
        self.processes.append(managed)
        return managed

    def exited(self) -> ManagedProcess | None:
        """The first child that exited without being asked to, if any."""
        for process in self.processes:
            if not process.stopping and process.returncode is not None:
                return process
        return None

    def wait(
        self, stop: threading.Event, timeout: float | None = None, interval: float = 0.1
    ) -> ManagedProcess | None:
        """Block until `stop` is set, a child exits (returned) or `timeout` seconds pass."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not stop.is_set():
            dead = self.exited()
            if dead is not None:
                return dead
            if deadline is not None and time.monotonic() >= deadline:
                return None
            stop.wait(interval)
        return None

    def stop(self, grace: float = 10.0) -> None:
        """SIGTERM every child's process group, wait up to `grace` s, then SIGKILL the rest."""
        for process in self.processes:
            process.stopping = True
            _signal_group(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for process in self.processes:
            remaining = max(0.0, deadline - time.monotonic())
            try:
                process.popen.wait(timeout=remaining)
            except subprocess.TimeoutExpired:
                pass
        # The leader is reaped; wait for the rest of each group (grandchildren) too.
        while time.monotonic() < deadline and any(_group_alive(p.pid) for p in self.processes):
            time.sleep(0.05)
        for process in self.processes:
            if process.returncode is None or _group_alive(process.pid):
                self.say(f"{process.name} did not stop within {grace:g} s: killing it")
                _signal_group(process.pid, signal.SIGKILL)
                process.popen.wait()
        for process in self.processes:
            process.reader.join(timeout=2.0)
