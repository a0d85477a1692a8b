"""`supportbot run`: migrate, seed, then run the backend, Rasa and the action server together."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import secrets
import signal
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path
from types import FrameType

from ticketing.cli.output_filter import ErrorLines
from ticketing.cli.processes import ProcessSpec, Supervisor
from ticketing.model_rollout.paths import RASA_SERVERS_FILE

ROOT = Path(__file__).resolve().parents[2]
LOGS = ROOT / "var" / "logs"
HOST = "127.0.0.1"
RASA_PORT = 5005  # the first Rasa server; with --rasa-workers N, 5005 .. 5005+N-1
ACTIONS_PORT = 5055
MAX_RASA_WORKERS = ACTIONS_PORT - RASA_PORT  # each holds its own model (~1 GB of memory)
RASA_WORKERS_ENV = "SUPPORTBOT_RASA_WORKERS"
HEALTH_TIMEOUT = 60.0
# Rasa loads its model in about a minute on 2 idle cores; say how long it has taken meanwhile.
ASSISTANT_NOTICE_SECONDS = 30.0
ASSISTANT_PATIENCE_SECONDS = 600.0
# Rasa sends this to the action server with every call (endpoints.yml); set it to keep one value
# across runs, else each run makes its own.
ACTIONS_TOKEN_ENV = "SUPPORTBOT_ACTIONS_TOKEN"  # noqa: S105 - a variable's name
# `rasa run --auth-token`: its HTTP API (trackers hold emails and verification tokens) answers
# only requests with `?token=`; set it to use the API yourself, else each run makes its own.
RASA_TOKEN_ENV = "SUPPORTBOT_RASA_TOKEN"  # noqa: S105 - a variable's name
OFFLINE_ENV = {
    "RASA_TELEMETRY_ENABLED": "false",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
}


@dataclasses.dataclass(frozen=True)
class InternalTokens:
    """What Rasa sends the action server (`actions`), and what Rasa's HTTP API wants (`rasa`)."""

    actions: str
    rasa: str

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> InternalTokens:
        """The tokens set in `environ`, a fresh random one for each that is unset."""
        return cls(
            actions=environ.get(ACTIONS_TOKEN_ENV) or secrets.token_hex(32),
            rasa=environ.get(RASA_TOKEN_ENV) or secrets.token_hex(32),
        )


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "run",
        help="run the whole assistant locally (what `make run` does)",
        description=(
            "Apply database migrations, seed demo data into an empty database, then run the "
            "ticketing backend (uvicorn), the Rasa server (when a model for the current "
            "training data is trained: `make model`) and the action server (when actions/ "
            "has actions). Their whole output goes to var/logs/<name>.log; the terminal shows "
            "their errors (prefixed by [name]) and, once the assistant has loaded its model, "
            "the URLs. Ctrl-C stops them all; if one dies, the others are stopped and the exit "
            "code is non-zero. All listen on 127.0.0.1 only; the action server answers only "
            f"requests with ${ACTIONS_TOKEN_ENV} (Rasa sends it) and Rasa's HTTP API only "
            f"requests with ?token=${RASA_TOKEN_ENV}; each is random per run unless set."
        ),
    )
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("SUPPORTBOT_PORT", "8000")),
        help="port of the backend on 127.0.0.1 (default: $SUPPORTBOT_PORT or 8000)",
    )
    parser.add_argument(
        "--no-rasa", action="store_true", help="run only the backend: no Rasa, no action server"
    )
    parser.add_argument(
        "--rasa-workers",
        type=_workers,
        default=os.environ.get(RASA_WORKERS_ENV) or "1",  # argparse checks it with `type`
        metavar="N",
        help=f"Rasa servers to run, on ports {RASA_PORT}.. (default: ${RASA_WORKERS_ENV} or 1). "
        "Rasa answers one message at a time on one core: with more cores, N servers answer N "
        "at once; the hub keeps each conversation on one of them and they share the tracker "
        "store. Each needs about 1 GB of memory.",
    )
    parser.add_argument(
        "--no-seed", action="store_true", help="migrate the database but do not seed demo data"
    )
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="show every line the processes print, not only errors (all of it is in var/logs/)",
    )
    parser.set_defaults(handler=handle)


def _workers(value: str) -> int:
    try:
        workers = int(value)
    except ValueError:
        workers = 0
    if not 1 <= workers <= MAX_RASA_WORKERS:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a number of Rasa servers from 1 to {MAX_RASA_WORKERS}"
        )
    return workers


def rasa_urls(workers: int) -> list[str]:
    return [f"http://{HOST}:{RASA_PORT + i}" for i in range(workers)]


def rasa_name(index: int) -> str:
    """`rasa` for the first server (its log is var/logs/rasa.log), then `rasa-2`, `rasa-3`..."""
    return "rasa" if index == 0 else f"rasa-{index + 1}"


def shared_tracker_store(path: Path) -> None:
    """Write-ahead logging on Rasa's SQLite tracker store: the Rasa servers write it and the
    backend reads it (contact reasons, privacy) without blocking each other."""
    import sqlite3

    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
    connection.close()


def _say(message: str) -> None:
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def prepare_database(seed: bool) -> None:
    """Upgrade the schema to head and seed the demo shop when the database is empty."""
    from ticketing.cli.db import upgrade_head
    from ticketing.cli.seed import seed_demo_if_empty

    (ROOT / "var").mkdir(exist_ok=True)
    upgrade_head()
    _say("database: migrations applied")
    if not seed:
        _say("database: demo data not seeded (--no-seed)")
    elif seed_demo_if_empty():
        _say("database: demo data seeded")
    else:
        _say("database: already has data, not seeded")


def _trained_model() -> Path | None:
    """The model to serve: the activated one (`supportbot training activate`) unless the
    current training data's model is newer; says which."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from bot.model_cache import latest_model_path
    from ticketing.model_rollout.state import model_to_start

    model, why = model_to_start(latest_model_path(ROOT))
    if model is not None:
        _say(f"rasa: serving {model.name}: {why}")
    return model


def _has_actions() -> bool:
    return any(p.name != "__init__.py" for p in (ROOT / "actions").glob("*.py"))


def plan(args: argparse.Namespace, tokens: InternalTokens | None = None) -> list[ProcessSpec]:
    """The processes to start, printing why any is skipped; each logs to var/logs/<name>.log
    and shows the terminal only its errors (everything with `--verbose`). Rasa and the action
    server listen on loopback and share `tokens` (from the environment, else random)."""
    shows = None if getattr(args, "verbose", False) else (lambda: ErrorLines().shows)
    tokens = tokens or InternalTokens.from_env(os.environ)
    return [
        dataclasses.replace(spec, log_file=LOGS / f"{spec.name}.log", shows=shows)
        for spec in _processes(args, tokens)
    ]


def _processes(args: argparse.Namespace, tokens: InternalTokens) -> list[ProcessSpec]:
    workers = getattr(args, "rasa_workers", 1)
    env = {
        "SUPPORTBOT_ACTIONS_URL": f"http://{HOST}:{ACTIONS_PORT}/webhook",
        "SUPPORTBOT_RASA_TRACKER_DB": str(ROOT / "var" / "rasa_tracker.db"),
        # The hub forwards customer messages here (several: spread by conversation).
        "SUPPORTBOT_RASA_URL": ",".join(rasa_urls(workers)),
        "SUPPORTBOT_PUBLIC_URL": f"http://{HOST}:{args.port}",
        **os.environ,
        **OFFLINE_ENV,
        # The action server calls this backend.
        "SUPPORTBOT_API_URL": f"http://{HOST}:{args.port}",
    }
    specs = [
        ProcessSpec(
            name="backend",
            argv=[
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "ticketing.app:create_app",
                "--host",
                HOST,
                "--port",
                str(args.port),
                "--no-access-log",  # the app logs each request itself, with its request id
            ],
            env=env,
            cwd=ROOT,
        )
    ]
    if env.get("SUPPORTBOT_TELEGRAM_TOKEN") and not env.get("SUPPORTBOT_TELEGRAM_WEBHOOK_SECRET"):
        env.setdefault("SUPPORTBOT_TELEGRAM_POLLING", "true")
        _say("telegram: the backend polls for updates (no webhook secret set)")
    if args.no_rasa:
        _say("rasa, actions: skipped (--no-rasa): every conversation goes to an agent")
        env["SUPPORTBOT_RASA_URL"] = ""
        return specs
    # Only Rasa and the action server get the token they share (the backend needs neither).
    bot_env = {**env, ACTIONS_TOKEN_ENV: tokens.actions}
    rasa = ROOT / ".venv-rasa" / "bin" / "rasa"
    model = _trained_model() if rasa.is_file() else None
    if not rasa.is_file():
        _say("rasa: skipped, .venv-rasa is not installed: run `make install`")
    elif model is None:
        _say("rasa: skipped, Rasa model not trained yet: run `make model`")
    else:
        if "://" not in env["SUPPORTBOT_RASA_TRACKER_DB"]:
            shared_tracker_store(Path(env["SUPPORTBOT_RASA_TRACKER_DB"]))
        for index in range(workers):
            argv = [str(rasa), "run", "--enable-api", "--auth-token", tokens.rasa]
            argv += ["--port", str(RASA_PORT + index), "-i", HOST, "--model", str(model)]
            for option, file in (
                ("--endpoints", "endpoints.yml"),
                ("--credentials", "credentials.yml"),
            ):
                if (ROOT / file).is_file():
                    argv += [option, file]
            specs.append(ProcessSpec(name=rasa_name(index), argv=argv, env=bot_env, cwd=ROOT))
        if workers > 1:
            _say(f"rasa: {workers} servers, on ports {RASA_PORT}-{RASA_PORT + workers - 1}")
    if _has_actions():
        argv = [sys.executable, "-m", "actions.server", "--actions", "actions"]
        argv += ["--host", HOST, "--port", str(ACTIONS_PORT)]
        specs.append(ProcessSpec(name="actions", argv=argv, env=bot_env, cwd=ROOT))
    else:
        _say("actions: skipped, actions/ has no action modules yet")
    return specs


def _status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - fixed http URL
            status: int = response.status
            return status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError):
        return None


def _healthy(port: int) -> bool:
    return _status(f"http://{HOST}:{port}/api/health") == 200


PAGES = (
    ("start page", "/"),
    ("web chat", "/chat/"),
    ("agent console", "/console/"),
    ("reports", "/reports/"),
    ("API docs", "/docs"),
)


def _print_urls(say: Callable[[str], None], port: int, workers: int = 1) -> None:
    base = f"http://{HOST}:{port}"
    for label, path in PAGES:
        say(f"  {label + ':':<15}{base}{path}")
    say(f"demo logins and orders to try: {base}/ (and `supportbot users --help`)")
    rasa_logs = ", ".join(f"{rasa_name(i)}.log" for i in range(workers))
    say(f"full logs: {_shown(LOGS)}/ (backend.log, {rasa_logs}, actions.log)")
    say("Ctrl-C stops everything")


def _shown(path: Path) -> str:
    """`path` relative to the checkout when it is inside it."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def assistant_ready(rasa_token: str = "", workers: int = 1) -> bool:
    """Every Rasa server answers /status (its HTTP API: with `rasa_token`) with a model
    loaded, and the action server answers /health."""
    query = urllib.parse.urlencode({"token": rasa_token})
    for base in rasa_urls(workers):
        try:
            with urllib.request.urlopen(f"{base}/status?{query}", timeout=2) as response:  # noqa: S310 - fixed http URL
                status = json.loads(response.read() or b"{}")
        except (urllib.error.URLError, OSError, ValueError):
            return False
        if not (isinstance(status, dict) and status.get("model_file")):
            return False
    return _status(f"http://{HOST}:{ACTIONS_PORT}/health") == 200


def _wait_for(
    supervisor: Supervisor,
    stop: threading.Event,
    what: str,
    ready: Callable[[], bool],
    patience: float,
) -> bool | None:
    """Poll `ready` until it holds (True), a child dies or Ctrl-C (None), or `patience` seconds
    pass (False); say every `ASSISTANT_NOTICE_SECONDS` how long it has taken."""
    started = time.monotonic()
    notice = started + ASSISTANT_NOTICE_SECONDS
    while not ready():
        if supervisor.wait(stop, timeout=0.5) is not None or stop.is_set():
            return None
        now = time.monotonic()
        if now - started >= patience:
            return False
        if now >= notice:
            notice = now + ASSISTANT_NOTICE_SECONDS
            supervisor.say(f"{what}: still loading ({now - started:.0f} s)")
    return True


def _tail(name: str, lines: int = 20) -> list[str]:
    try:
        return (LOGS / f"{name}.log").read_text(errors="replace").splitlines()[-lines:]
    except OSError:
        return []


def supervise(
    supervisor: Supervisor,
    stop: threading.Event,
    port: int,
    rasa: bool,
    rasa_token: str = "",
    workers: int = 1,
) -> int:
    """Wait for the backend and the assistant (`workers` Rasa servers, their API asked with
    `rasa_token`), print the URLs, then run until `stop` or until a child dies."""
    say = supervisor.say
    healthy = _wait_for(supervisor, stop, "backend", lambda: _healthy(port), HEALTH_TIMEOUT)
    if healthy is True:
        say(f"backend ready: http://{HOST}:{port}")
        assistant: bool | None = True
        if rasa:
            say("assistant: loading the Rasa model (about a minute)")
            assistant = _wait_for(
                supervisor,
                stop,
                "assistant",
                lambda: assistant_ready(rasa_token, workers),
                ASSISTANT_PATIENCE_SECONDS,
            )
            if assistant is True:
                say("assistant ready")
            elif assistant is False:
                say(
                    f"assistant: not ready after {ASSISTANT_PATIENCE_SECONDS:g} s; messages go "
                    f"to people until it is (see {_shown(LOGS)}/rasa.log)"
                )
        if assistant is not None:
            _print_urls(say, port, workers)
    elif healthy is False:
        say(f"backend did not answer /api/health within {HEALTH_TIMEOUT:g} s")
        return 1
    dead = supervisor.wait(stop)
    if dead is None:
        say("stopping")
        return 0
    say(f"{dead.name} exited unexpectedly with exit code {dead.returncode}")
    tail = _tail(dead.name)
    if tail:
        say(f"the last lines of {_shown(LOGS)}/{dead.name}.log:")
        for line in tail:
            say(f"  {line}")
    return 1


def handle(args: argparse.Namespace) -> int:
    prepare_database(seed=not args.no_seed)
    tokens = InternalTokens.from_env(os.environ)
    specs = plan(args, tokens)
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:  # noqa: ARG001
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    supervisor = Supervisor()
    try:
        for spec in specs:
            process = supervisor.start(spec)
            supervisor.say(f"{spec.name}: started (pid {process.pid})")
        rasa = any(s.name == "rasa" for s in specs)
        if rasa:  # for `supportbot training activate` (it reads RASA_SERVERS_FILE)
            servers_file = ROOT / "var" / RASA_SERVERS_FILE.name
            servers_file.parent.mkdir(parents=True, exist_ok=True)
            servers_file.write_text(",".join(rasa_urls(args.rasa_workers)) + "\n")
        code = supervise(
            supervisor, stop, args.port, rasa, rasa_token=tokens.rasa, workers=args.rasa_workers
        )
    finally:
        supervisor.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if code:
        supervisor.say("stopped the other processes")
    return code
