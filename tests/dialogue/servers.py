"""Start the three real processes of a conversation on loopback: the ticketing backend
(uvicorn), the action server (actions/server.py) and the Rasa server with the trained model.
As `supportbot run` does, Rasa and the action server share a token (endpoints.yml) and Rasa's
HTTP API wants its own."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psycopg
import pytest
from sqlalchemy.engine import make_url

from ticketing.db import Database
from ticketing.seed.demo import DemoSummary

ROOT = Path(__file__).resolve().parents[2]
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
OFFLINE = {"RASA_TELEMETRY_ENABLED": "false", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
# One of each per test run: every action server and Rasa started here agree on them.
ACTIONS_TOKEN = secrets.token_hex(32)
RASA_TOKEN = secrets.token_hex(32)
BACKEND_SECRET = "dialogue-test-secret-0123456789abcdef"  # signs the hub's proofs too


def trained_model() -> Path:
    """The model for the current training data (`SUPPORTBOT_TEST_RASA_MODEL` overrides it, to
    try a model by hand); fails the test with what to do when there is none."""
    from bot.model_cache import latest_model_path

    override = os.environ.get("SUPPORTBOT_TEST_RASA_MODEL")
    model = Path(override) if override else latest_model_path(ROOT)
    if model is None:
        pytest.fail("No trained Rasa model for the current training data: run `make model`.")
    return model


def seeded_database(tmp: Path, name: str) -> tuple[str, Database, DemoSummary]:
    """A fresh database `name` (see `fresh_database_url`), migrated and seeded with the demo
    shop: its URL, a `Database` on it and what the seed made."""
    from ticketing.cli.db import upgrade_head
    from ticketing.seed.demo import seed_demo

    url = fresh_database_url(tmp, name)
    upgrade_head(url)
    database = Database(url)
    with database.session(write=True) as session:
        demo = seed_demo(db_session=session)
    return url, database, demo


def fresh_database_url(tmp: Path, name: str) -> str:
    """A fresh database of its own, `name` on PostgreSQL when configured (other tests truncate
    the shared one), else a SQLite file in `tmp`."""
    from tests.conftest import POSTGRES_URL

    if not POSTGRES_URL:
        return f"sqlite:///{tmp / (name + '.db')}"
    url = make_url(POSTGRES_URL)
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")
    return url.set(database=name).render_as_string(hide_password=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    def __init__(self, name: str, process: subprocess.Popen[bytes], url: str, log: Path) -> None:
        self.name, self.process, self.url, self.log = name, process, url, log

    def tail(self, lines: int = 60) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return f"--- {self.name} log ({self.log}) ---\n" + "\n".join(text.splitlines()[-lines:])

    def kill(self) -> None:
        """SIGKILL, as a crash would: no clean shutdown."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _wait(server: Server, ready: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"{server.name} exited with {server.process.returncode}\n{server.tail()}"
            )
        try:
            if ready():
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    server.stop()
    raise RuntimeError(f"{server.name} did not become ready in {seconds:.0f} s\n{server.tail()}")


def _start(name: str, argv: list[str], env: dict[str, str], logs: Path, port: int) -> Server:
    log = logs / f"{name}.log"
    handle = log.open("ab")  # a restarted server keeps its earlier lines
    process = subprocess.Popen(  # noqa: S603 - fixed argv
        argv,
        cwd=ROOT,
        env={**os.environ, **OFFLINE, **env},
        stdout=handle,
        stderr=subprocess.STDOUT,
    )
    handle.close()
    return Server(name, process, f"http://127.0.0.1:{port}", log)


@contextmanager
def backend(
    database_url: str,
    redis_url: str | None,
    service_key: str,
    logs: Path,
    *,
    rasa_url: str | None = None,
    port: int | None = None,
    extra_env: dict[str, str] | None = None,
) -> Iterator[Server]:
    """The ticketing backend; `rasa_url` is where its hub finds Rasa (unset: the default)."""
    port = port or free_port()
    env = {
        "SUPPORTBOT_DATABASE_URL": database_url,
        "SUPPORTBOT_SERVICE_API_KEYS": service_key,
        "SUPPORTBOT_SECRET_KEY": BACKEND_SECRET,
        "SUPPORTBOT_ENVIRONMENT": "test",
    }
    if redis_url:
        env["SUPPORTBOT_REDIS_URL"] = redis_url
    if rasa_url is not None:
        env["SUPPORTBOT_RASA_URL"] = rasa_url
    env.update(extra_env or {})
    argv = [sys.executable, "-m", "uvicorn", "--factory", "ticketing.app:create_app"]
    argv += ["--host", "127.0.0.1", "--port", str(port)]
    server = _start("backend", argv, env, logs, port)
    try:
        _wait(server, lambda: httpx.get(f"{server.url}/api/health").status_code == 200, 60)
        yield server
    finally:
        server.stop()


def action_server_argv(port: int) -> list[str]:
    return [sys.executable, "-m", "actions.server", "--host", "127.0.0.1", "--port", str(port)]


@contextmanager
def action_server(
    api_url: str,
    service_key: str,
    logs: Path,
    *,
    port: int | None = None,
    token: str = ACTIONS_TOKEN,
) -> Iterator[Server]:
    """The action server, answering only `token`; `port` lets a restarted one keep Rasa's
    action URL."""
    port = port or free_port()
    env = {
        "SUPPORTBOT_API_URL": api_url,
        "SUPPORTBOT_ACTIONS_API_KEY": service_key,
        "SUPPORTBOT_ACTIONS_TOKEN": token,
    }
    argv = action_server_argv(port)
    server = _start("actions", argv, env, logs, port)
    try:
        _wait(server, lambda: httpx.get(f"{server.url}/health").status_code == 200, 120)
        yield server
    finally:
        server.stop()


@contextmanager
def rasa_server(
    model: Path,
    actions_url: str,
    logs: Path,
    *,
    port: int | None = None,
    actions_token: str = ACTIONS_TOKEN,
    api_token: str = RASA_TOKEN,
    name: str = "rasa",
) -> Iterator[Server]:
    """`rasa run` with the model, its HTTP API behind `api_token` (as `supportbot run`);
    pass `port` when the backend must know Rasa's URL first; several servers in one `logs`
    share its tracker store (give each its own `name`, the name of its log)."""
    port = port or free_port()
    env = {
        "SUPPORTBOT_ACTIONS_URL": f"{actions_url}/webhook",
        "SUPPORTBOT_ACTIONS_TOKEN": actions_token,
        "SUPPORTBOT_RASA_TRACKER_DB": str(logs / "rasa_tracker.db"),
    }
    argv = [str(RASA), "run", "--model", str(model), "--port", str(port), "-i", "127.0.0.1"]
    argv += ["--endpoints", "endpoints.yml", "--credentials", "credentials.yml"]
    argv += ["--enable-api", "--auth-token", api_token]
    server = _start(name, argv, env, logs, port)

    def model_loaded() -> bool:
        status = httpx.get(f"{server.url}/status", params={"token": api_token})
        return status.status_code == 200 and bool(status.json().get("model_file"))

    try:
        _wait(server, model_loaded, 600)
        yield server
    finally:
        server.stop()
