"""ticketing/cli/processes.py for real: prefixed output, group stop, unexpected exits."""

from __future__ import annotations

import argparse
import io
import json
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ticketing.cli.processes import ProcessSpec, Supervisor

SLEEPER = "import time; print('hi', flush=True); time.sleep(60)"
# Prints its own pid, then the pid of a grandchild in the same process group.
WITH_GRANDCHILD = (
    "import os, subprocess, sys, time;"
    "q = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']);"
    "print(os.getpid(), q.pid, flush=True); time.sleep(60)"
)
IGNORES_SIGTERM = (
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN);"
    "print('stubborn', flush=True); time.sleep(60)"
)


def python(name: str, code: str) -> ProcessSpec:
    return ProcessSpec(name=name, argv=[sys.executable, "-c", code])


def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met within the timeout")
        time.sleep(0.02)


def running(pid: int) -> bool:
    """True if `pid` exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def group_running(pgid: int) -> bool:
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if fields[2] == str(pgid) and fields[0] not in ("Z", "X"):
            return True
    return False


@pytest.fixture
def out() -> io.StringIO:
    return io.StringIO()


@pytest.fixture
def supervisor(out: io.StringIO) -> Iterator[Supervisor]:
    supervisor = Supervisor(out=out)
    yield supervisor
    supervisor.stop(grace=2.0)  # never leak children, whatever the test did


def test_output_is_prefixed_and_stop_ends_both_groups(
    supervisor: Supervisor, out: io.StringIO
) -> None:
    first = supervisor.start(python("first", SLEEPER))
    second = supervisor.start(python("second", WITH_GRANDCHILD))
    wait_for(lambda: "[first] hi\n" in out.getvalue() and "[second] " in out.getvalue())
    line = next(x for x in out.getvalue().splitlines() if x.startswith("[second] "))
    own_pid, grandchild = (int(x) for x in line.removeprefix("[second] ").split())
    assert own_pid == second.pid
    for pid in (first.pid, second.pid):
        assert os.getpgid(pid) == pid  # each child leads its own process group
    assert os.getpgid(grandchild) == second.pid
    assert os.getpgid(first.pid) != os.getpgid(0)

    started = time.monotonic()
    supervisor.stop(grace=10.0)
    assert time.monotonic() - started < 5.0  # SIGTERM was enough: no waiting for the grace
    assert first.returncode == -signal.SIGTERM
    assert second.returncode == -signal.SIGTERM
    for pid in (first.pid, second.pid, grandchild):
        assert not running(pid)
    assert not group_running(first.pid)
    assert not group_running(second.pid)
    assert supervisor.exited() is None  # stopped on purpose is not "died"
    assert "did not stop" not in out.getvalue()


def test_stop_kills_a_child_that_ignores_sigterm(supervisor: Supervisor, out: io.StringIO) -> None:
    stubborn = supervisor.start(python("stubborn", IGNORES_SIGTERM))
    wait_for(lambda: "[stubborn] stubborn" in out.getvalue())
    supervisor.stop(grace=0.5)
    assert stubborn.returncode == -signal.SIGKILL
    assert not running(stubborn.pid)
    assert "stubborn did not stop within 0.5 s: killing it" in out.getvalue()


def test_child_exiting_with_code_3_is_detected(supervisor: Supervisor, out: io.StringIO) -> None:
    sleeper = supervisor.start(python("sleeper", SLEEPER))
    quitter = supervisor.start(python("quitter", "print('bye', flush=True); raise SystemExit(3)"))
    dead = supervisor.wait(threading.Event(), timeout=10.0)
    assert dead is quitter
    assert dead.name == "quitter"
    assert dead.returncode == 3
    assert sleeper.returncode is None
    wait_for(lambda: "[quitter] bye" in out.getvalue())
    supervisor.stop()
    assert not running(sleeper.pid)


def test_wait_returns_none_on_stop_or_timeout(supervisor: Supervisor) -> None:
    supervisor.start(python("sleeper", SLEEPER))
    stop = threading.Event()
    started = time.monotonic()
    assert supervisor.wait(stop, timeout=0.2) is None
    assert 0.2 <= time.monotonic() - started < 5.0
    threading.Timer(0.1, stop.set).start()
    assert supervisor.wait(stop) is None
    assert stop.is_set()


def test_stderr_and_partial_lines_are_relayed(supervisor: Supervisor, out: io.StringIO) -> None:
    code = "import sys; sys.stderr.write('oops\\n'); sys.stdout.write('no newline')"
    process = supervisor.start(python("noisy", code))
    wait_for(lambda: process.returncode is not None)
    process.reader.join(timeout=5.0)
    lines = out.getvalue().splitlines()
    assert "[noisy] oops" in lines
    assert "[noisy] no newline" in lines


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_run_reports_the_process_that_died(supervisor: Supervisor, out: io.StringIO) -> None:
    from ticketing.cli import run

    supervisor.start(python("sleeper", SLEEPER))
    supervisor.start(python("backend", "raise SystemExit(3)"))
    code = run.supervise(supervisor, threading.Event(), free_port(), rasa=False)
    assert code == 1
    assert "backend exited unexpectedly with exit code 3" in out.getvalue()


def test_run_returns_0_when_asked_to_stop(supervisor: Supervisor, out: io.StringIO) -> None:
    from ticketing.cli import run

    supervisor.start(python("sleeper", SLEEPER))
    stop = threading.Event()
    threading.Timer(0.2, stop.set).start()
    assert run.supervise(supervisor, stop, free_port(), rasa=False) == 0


def test_run_without_rasa_starts_only_the_backend(capsys: pytest.CaptureFixture[str]) -> None:
    from ticketing.cli import run

    parser = argparse.ArgumentParser()
    run.add_parser(parser.add_subparsers())
    args = parser.parse_args(["run", "--no-rasa", "--port", "8123"])
    specs = run.plan(args)
    assert [spec.name for spec in specs] == ["backend"]
    argv = specs[0].argv
    assert argv[argv.index("--port") + 1] == "8123"
    assert "--no-access-log" in argv, "the app logs each request itself, with its request id"
    assert "skipped (--no-rasa)" in capsys.readouterr().out


NOISY_THEN_FAILS = (
    "import logging, sys; logging.basicConfig(level=logging.INFO, stream=sys.stdout,"
    " format='%(levelname)s %(message)s');"
    "logging.info('loading things'); logging.warning('a deprecation nobody reads');"
    "logging.error('the model file is missing');"
    "raise ValueError('boom')"
)


def test_errors_reach_the_terminal_in_full_and_everything_reaches_the_log(
    supervisor: Supervisor, out: io.StringIO, tmp_path: Path
) -> None:
    from ticketing.cli.output_filter import ErrorLines

    log = tmp_path / "logs" / "noisy.log"
    spec = ProcessSpec(
        name="noisy",
        argv=[sys.executable, "-c", NOISY_THEN_FAILS],
        log_file=log,
        shows=lambda: ErrorLines().shows,
    )
    process = supervisor.start(spec)
    wait_for(lambda: process.returncode is not None)
    process.reader.join(timeout=5.0)
    terminal = out.getvalue().splitlines()
    assert "[noisy] ERROR the model file is missing" in terminal
    assert "[noisy] Traceback (most recent call last):" in terminal
    assert "[noisy] ValueError: boom" in terminal
    assert not any("loading things" in line or "deprecation" in line for line in terminal)
    logged = log.read_text()
    for text in ("INFO loading things", "WARNING a deprecation", "ValueError: boom"):
        assert text in logged


RASA_TOKEN = "fake-rasa-api-token"  # noqa: S105 - a test value


class FakeAssistant:
    """The backend's /api/health, Rasa's /status (only with `?token=RASA_TOKEN`, as
    `rasa run --auth-token`) and the action server's /health on one port; Rasa's model counts as
    loaded once `loaded` is set."""

    def __init__(self) -> None:
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        fake = self
        self.loaded = threading.Event()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                path, _, query = self.path.partition("?")
                status = 200
                if path == "/status" and query != f"token={RASA_TOKEN}":
                    status, body = 401, b'{"reason": "NotAuthenticated"}'
                elif path == "/status":
                    model = "models/abc.tar.gz" if fake.loaded.is_set() else None
                    body = json.dumps({"model_file": model}).encode()
                else:
                    body = b'{"status": "ok"}'
                self.send_response(status)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_the_urls_are_printed_only_once_the_assistant_has_its_model(
    supervisor: Supervisor, out: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ticketing.cli import run

    fake = FakeAssistant()
    monkeypatch.setattr(run, "RASA_PORT", fake.port)
    monkeypatch.setattr(run, "ACTIONS_PORT", fake.port)
    monkeypatch.setattr(run, "ASSISTANT_NOTICE_SECONDS", 0.5)
    supervisor.start(python("sleeper", SLEEPER))
    stop = threading.Event()
    result: list[int] = []
    thread = threading.Thread(
        target=lambda: result.append(
            run.supervise(supervisor, stop, fake.port, rasa=True, rasa_token=RASA_TOKEN)
        )
    )
    thread.start()
    try:
        wait_for(lambda: "assistant: still loading" in out.getvalue())
        assert "assistant ready" not in out.getvalue()
        assert "/chat/" not in out.getvalue(), "nobody is told to chat before the model loaded"
        fake.loaded.set()
        wait_for(lambda: "Ctrl-C stops everything" in out.getvalue())
    finally:
        stop.set()
        thread.join(timeout=10)
        fake.close()
    text = out.getvalue()
    assert text.index("assistant ready") < text.index("/chat/")
    assert result == [0]


def test_a_process_that_dies_shows_the_end_of_its_log(
    supervisor: Supervisor, out: io.StringIO, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from ticketing.cli import run

    monkeypatch.setattr(run, "LOGS", tmp_path)
    (tmp_path / "rasa.log").write_text("INFO starting\nINFO loading the model: out of memory\n")
    supervisor.start(python("rasa", "raise SystemExit(2)"))
    assert run.supervise(supervisor, threading.Event(), free_port(), rasa=True) == 1
    text = out.getvalue()
    assert "rasa exited unexpectedly with exit code 2" in text
    assert "  INFO loading the model: out of memory" in text


def test_rasa_workers_start_one_rasa_per_port_sharing_one_tracker_store(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ticketing.cli import run

    tracker = tmp_path / "rasa_tracker.db"
    monkeypatch.setenv("SUPPORTBOT_RASA_TRACKER_DB", str(tracker))
    monkeypatch.delenv("SUPPORTBOT_RASA_URL", raising=False)
    monkeypatch.setattr(run, "_trained_model", lambda: tmp_path / "model.tar.gz")
    monkeypatch.setattr(run, "_has_actions", lambda: True)
    monkeypatch.setattr(Path, "is_file", lambda _path: True)  # .venv-rasa's rasa, endpoints.yml
    parser = argparse.ArgumentParser()
    run.add_parser(parser.add_subparsers())
    specs = run.plan(parser.parse_args(["run", "--rasa-workers", "3"]))
    rasas = [spec for spec in specs if spec.name.startswith("rasa")]
    assert [spec.name for spec in rasas] == ["rasa", "rasa-2", "rasa-3"]
    ports = [spec.argv[list(spec.argv).index("--port") + 1] for spec in rasas]
    assert ports == ["5005", "5006", "5007"]
    assert all(str(tmp_path / "model.tar.gz") in spec.argv for spec in rasas)
    backend = next(spec for spec in specs if spec.name == "backend")
    assert backend.env is not None
    assert backend.env["SUPPORTBOT_RASA_URL"] == (
        "http://127.0.0.1:5005,http://127.0.0.1:5006,http://127.0.0.1:5007"
    )
    assert {spec.env["SUPPORTBOT_RASA_TRACKER_DB"] for spec in rasas if spec.env} == {str(tracker)}
    import sqlite3

    with sqlite3.connect(tracker) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    connection.close()
    assert "3 servers, on ports 5005-5007" in capsys.readouterr().out


@pytest.mark.parametrize("value", ["0", "-1", "two", "51"])
def test_a_bad_number_of_rasa_workers_is_refused_with_the_range(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from ticketing.cli import run

    parser = argparse.ArgumentParser()
    run.add_parser(parser.add_subparsers())
    with pytest.raises(SystemExit):
        parser.parse_args(["run", "--rasa-workers", value])
    assert f"{value!r} is not a number of Rasa servers from 1 to 50" in capsys.readouterr().err
