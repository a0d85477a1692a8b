"""`supportbot run`: migrate, seed, then run the backend, Rasa and the action server together."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import FrameType

from ticketing.cli.processes import ProcessSpec, Supervisor

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
RASA_PORT = 5005
ACTIONS_PORT = 5055
HEALTH_TIMEOUT = 60.0
OFFLINE_ENV = {
    "RASA_TELEMETRY_ENABLED": "false",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
}


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "run",
        help="run the whole assistant locally (what `make run` does)",
        description=(
            "Apply database migrations, seed demo data into an empty database, then run the "
            "ticketing backend (uvicorn), the Rasa server (when a model for the current "
            "training data is trained: `make model`) and the action server (when actions/ "
            "has actions), with their output prefixed by [name]. Ctrl-C stops them all; if "
            "one dies, the others are stopped and the exit code is non-zero."
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
        "--no-seed", action="store_true", help="migrate the database but do not seed demo data"
    )
    parser.set_defaults(handler=handle)


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
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from bot.model_cache import latest_model_path

    return latest_model_path(ROOT)


def _has_actions() -> bool:
    return any(p.name != "__init__.py" for p in (ROOT / "actions").glob("*.py"))


def plan(args: argparse.Namespace) -> list[ProcessSpec]:
    """The processes to start, printing why any is skipped."""
    env = {
        "SUPPORTBOT_ACTIONS_URL": f"http://{HOST}:{ACTIONS_PORT}/webhook",
        "SUPPORTBOT_RASA_TRACKER_DB": str(ROOT / "var" / "rasa_tracker.db"),
        # The hub forwards customer messages here.
        "SUPPORTBOT_RASA_URL": f"http://{HOST}:{RASA_PORT}",
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
    rasa = ROOT / ".venv-rasa" / "bin" / "rasa"
    model = _trained_model()
    if not rasa.is_file():
        _say("rasa: skipped, .venv-rasa is not installed: run `make install`")
    elif model is None:
        _say("rasa: skipped, Rasa model not trained yet: run `make model`")
    else:
        argv = [str(rasa), "run", "--enable-api", "--port", str(RASA_PORT), "-i", HOST]
        argv += ["--model", str(model)]
        for option, file in (
            ("--endpoints", "endpoints.yml"),
            ("--credentials", "credentials.yml"),
        ):
            if (ROOT / file).is_file():
                argv += [option, file]
        specs.append(ProcessSpec(name="rasa", argv=argv, env=env, cwd=ROOT))
    if _has_actions():
        argv = [
            sys.executable,
            "-m",
            "rasa_sdk",
            "--actions",
            "actions",
            "--port",
            str(ACTIONS_PORT),
        ]
        specs.append(ProcessSpec(name="actions", argv=argv, env=env, cwd=ROOT))
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


# Pages the backend serves once they are built; `make run` says which ones are not there yet.
PAGES = (
    ("web chat", "/chat/", "issue 4"),
    ("agent console", "/console/", "issue 4"),
    ("reports", "/reports/", "issue 5"),
    ("API docs", "/docs", ""),
)


def _print_urls(port: int, rasa: bool) -> None:
    base = f"http://{HOST}:{port}"
    _say(f"backend ready: {base}")
    for label, path, issue in PAGES:
        missing = _status(base + path) == 404
        note = f"  (not built yet: {issue})" if missing else ""
        _say(f"  {label + ':':<15}{base}{path}{note}")
    if rasa:
        _say(f"  {'rasa server:':<15}http://{HOST}:{RASA_PORT}/webhooks/rest/webhook")
    _say("demo staff logins: see `supportbot users --help`")
    _say("Ctrl-C stops everything")


def supervise(supervisor: Supervisor, stop: threading.Event, port: int, rasa: bool) -> int:
    """Wait for health, print the URLs, then run until `stop` or until a child dies."""
    deadline = time.monotonic() + HEALTH_TIMEOUT
    while not _healthy(port):
        if supervisor.wait(stop, timeout=0.5) is not None or stop.is_set():
            break
        if time.monotonic() >= deadline:
            supervisor.say(f"backend did not answer /api/health within {HEALTH_TIMEOUT:g} s")
            return 1
    else:
        _print_urls(port, rasa)
    dead = supervisor.wait(stop)
    if dead is None:
        supervisor.say("stopping")
        return 0
    supervisor.say(f"{dead.name} exited unexpectedly with exit code {dead.returncode}")
    return 1


def handle(args: argparse.Namespace) -> int:
    prepare_database(seed=not args.no_seed)
    specs = plan(args)
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:  # noqa: ARG001
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    supervisor = Supervisor()
    try:
        for spec in specs:
            process = supervisor.start(spec)
            supervisor.say(f"{spec.name}: started (pid {process.pid})")
        code = supervise(supervisor, stop, args.port, any(s.name == "rasa" for s in specs))
    finally:
        supervisor.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if code:
        supervisor.say("stopped the other processes")
    return code
