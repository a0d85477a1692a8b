"""Security issue 15, finding 2: the action server and Rasa are internal services. The action
server listens on loopback and answers only the token Rasa sends (endpoints.yml), `supportbot
run` binds both to 127.0.0.1 with tokens of their own, and Rasa's HTTP API needs a token."""

from __future__ import annotations

import argparse
import json
import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest

from tests.dialogue import servers
from ticketing.cli import run

ROOT = Path(__file__).resolve().parents[2]
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
TOKEN = secrets.token_hex(32)
# An action call as Rasa makes it; the action does not exist, so an answer from rasa_sdk itself
# (404) means the call got past the token check.
ACTION_CALL = {
    "next_action": "action_that_does_not_exist",
    "sender_id": "internal-services",
    "tracker": {"sender_id": "internal-services", "slots": {}, "latest_message": {}, "events": []},
    "domain": {},
    "version": "3.6.21",
}


def loopback_only(port: int) -> bool | None:
    """Whether every socket listening on `port` is bound to 127.0.0.1 (None: no /proc)."""
    table = Path("/proc/net/tcp")
    if not table.exists():
        return None
    listening = []
    for line in table.read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, _, hex_port = local.partition(":")
        if state == "0A" and int(hex_port, 16) == port:
            listening.append(address)
    ipv6 = Path("/proc/net/tcp6")
    if ipv6.exists():
        for line in ipv6.read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            if state == "0A" and int(local.partition(":")[2], 16) == port:
                listening.append(local.partition(":")[0])
    assert listening, f"nothing listens on {port}"
    return all(address == "0100007F" for address in listening)


@pytest.fixture(scope="module")
def action_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[servers.Server]:
    """The real action server, started as `supportbot run` and the images start it."""
    logs = tmp_path_factory.mktemp("internal-services")
    # No backend: the calls below never reach an action that would call it.
    with servers.action_server("http://127.0.0.1:9", "unused-key", logs, token=TOKEN) as server:
        yield server


def test_the_action_server_listens_on_loopback_only(action_server: servers.Server) -> None:
    port = int(action_server.url.rpartition(":")[2])
    only = loopback_only(port)
    if only is None:
        pytest.skip("no /proc/net/tcp to read the listening address from")
    assert only, "the action server must not listen on every interface"


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [({}, 401, "token_missing"), ({"token": "wrong"}, 403, "token_invalid")],
)
def test_the_action_server_refuses_calls_without_its_token(
    action_server: servers.Server, params: dict[str, str], status: int, code: str
) -> None:
    webhook = httpx.post(f"{action_server.url}/webhook", params=params, json=ACTION_CALL)
    assert (webhook.status_code, webhook.json()["code"]) == (status, code), webhook.text
    listing = httpx.get(f"{action_server.url}/actions", params=params)
    assert listing.status_code == status, "the list of actions is not public either"
    # Not even an empty body reaches rasa_sdk (it would answer 400).
    assert httpx.post(f"{action_server.url}/webhook", params=params).status_code == status


def test_the_action_server_answers_its_token_and_probes(action_server: servers.Server) -> None:
    assert httpx.get(f"{action_server.url}/health").json() == {"status": "ok"}
    listing = httpx.get(f"{action_server.url}/actions", params={"token": TOKEN})
    assert listing.status_code == 200
    assert {"name": "action_start_task"} in listing.json()
    call = httpx.post(f"{action_server.url}/webhook", params={"token": TOKEN}, json=ACTION_CALL)
    assert call.status_code == 404 and "No registered action" in call.json()["error"]


_RASA_CALLS = """
import asyncio, json, sys
from rasa.utils.endpoints import ClientResponseError, read_endpoint_config

async def status(endpoint):
    try:
        await endpoint.request(json=json.loads(sys.argv[2]), method="post")
    except ClientResponseError as error:
        return error.status
    return 200

async def main():
    endpoint = read_endpoint_config(sys.argv[1], "action_endpoint")
    statuses = [await status(endpoint)]
    endpoint.token = None
    statuses.append(await status(endpoint))
    print(json.dumps(statuses))

asyncio.run(main())
"""


def test_rasa_sends_the_token_of_endpoints_yml_and_nothing_else_gets_in(
    action_server: servers.Server, tmp_path: Path
) -> None:
    """Rasa's own endpoint client (.venv-rasa), configured by the real endpoints.yml."""
    if not RASA_PYTHON.is_file():
        pytest.skip(".venv-rasa is missing")
    env = {
        "PATH": "/usr/bin:/bin",
        "RASA_TELEMETRY_ENABLED": "false",
        "SUPPORTBOT_ACTIONS_URL": f"{action_server.url}/webhook",
        "SUPPORTBOT_ACTIONS_TOKEN": TOKEN,
        "SUPPORTBOT_RASA_TRACKER_DB": str(tmp_path / "tracker.db"),
    }
    done = subprocess.run(
        [
            str(RASA_PYTHON),
            "-W",
            "ignore",
            "-c",
            _RASA_CALLS,
            "endpoints.yml",
            json.dumps(ACTION_CALL),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    with_token, without_token = json.loads(done.stdout.strip().splitlines()[-1])
    assert with_token == 404, "Rasa's call with the token reaches rasa_sdk"
    assert without_token == 401


@pytest.mark.parametrize(
    ("environ", "refusal"),
    [
        ({}, "SUPPORTBOT_ACTIONS_TOKEN is not set"),
        ({"SUPPORTBOT_ACTIONS_TOKEN": "   "}, "SUPPORTBOT_ACTIONS_TOKEN is not set"),
        (
            {"SUPPORTBOT_ENVIRONMENT": "production", "SUPPORTBOT_ACTIONS_TOKEN": "x" * 31},
            "at least 32 characters in production",
        ),
        ({"SUPPORTBOT_ENVIRONMENT": "prod", "SUPPORTBOT_ACTIONS_TOKEN": TOKEN}, "must be one of"),
    ],
)
def test_the_action_server_refuses_to_start_without_a_usable_token(
    monkeypatch: pytest.MonkeyPatch, environ: dict[str, str], refusal: str
) -> None:
    from actions import server

    for name in ("SUPPORTBOT_ENVIRONMENT", "SUPPORTBOT_ACTIONS_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(server.ConfigurationError, match=refusal):
        server.configured_token()


def test_production_accepts_a_long_token(monkeypatch: pytest.MonkeyPatch) -> None:
    from actions import server

    monkeypatch.setenv("SUPPORTBOT_ENVIRONMENT", " Production ")
    monkeypatch.setenv("SUPPORTBOT_ACTIONS_TOKEN", "x" * 32)
    assert server.configured_token() == "x" * 32


def test_the_refusal_stops_the_process_before_it_listens(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "SUPPORTBOT_ENVIRONMENT": "production"}
    env["SUPPORTBOT_ACTIONS_TOKEN"] = "short"
    done = subprocess.run(
        [*servers.action_server_argv(servers.free_port())],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert done.returncode == 2
    assert "at least 32 characters in production" in done.stderr


# --- supportbot run --------------------------------------------------------------------------


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A checkout with .venv-rasa, a trained model and actions, wherever the tests run."""
    rasa = tmp_path / ".venv-rasa" / "bin" / "rasa"
    rasa.parent.mkdir(parents=True)
    rasa.touch()
    (tmp_path / "actions").mkdir()
    (tmp_path / "actions" / "start.py").touch()
    (tmp_path / "endpoints.yml").touch()
    monkeypatch.setattr(run, "ROOT", tmp_path)
    monkeypatch.setattr(run, "_trained_model", lambda: tmp_path / "models" / "m.tar.gz")
    for name in (run.ACTIONS_TOKEN_ENV, run.RASA_TOKEN_ENV):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def planned(*argv: str) -> dict[str, run.ProcessSpec]:
    parser = argparse.ArgumentParser()
    run.add_parser(parser.add_subparsers())
    tokens = run.InternalTokens(actions="a" * 64, rasa="r" * 64)
    return {spec.name: spec for spec in run.plan(parser.parse_args(["run", *argv]), tokens)}


def option(argv: list[str], *names: str) -> str:
    index = next(i for i, word in enumerate(argv) if word in names)
    return argv[index + 1]


def test_run_binds_rasa_and_the_action_server_to_loopback_with_tokens(checkout: Path) -> None:
    specs = planned("--port", "8123")
    assert set(specs) == {"backend", "rasa", "actions"}
    rasa, actions = specs["rasa"], specs["actions"]
    rasa_argv, actions_argv = list(rasa.argv), list(actions.argv)

    assert option(rasa_argv, "-i", "--interface") == "127.0.0.1"
    assert option(rasa_argv, "--auth-token", "-t") == "r" * 64, "Rasa's HTTP API needs a token"
    assert rasa.env is not None and rasa.env["SUPPORTBOT_ACTIONS_TOKEN"] == "a" * 64

    assert actions_argv[1:3] == ["-m", "actions.server"]
    from actions.server import build_parser

    parsed = build_parser().parse_args(actions_argv[3:])
    assert (parsed.host, parsed.port, parsed.actions) == ("127.0.0.1", run.ACTIONS_PORT, "actions")
    assert actions.env is not None and actions.env["SUPPORTBOT_ACTIONS_TOKEN"] == "a" * 64
    assert "a" * 64 not in actions_argv, "the token stays out of `ps`"

    backend = specs["backend"].env
    assert backend is not None and "SUPPORTBOT_ACTIONS_TOKEN" not in backend
    assert option(list(specs["backend"].argv), "--host") == "127.0.0.1"


def test_run_makes_random_tokens_unless_they_are_set() -> None:
    first, second = run.InternalTokens.from_env({}), run.InternalTokens.from_env({})
    assert len({first.actions, first.rasa, second.actions, second.rasa}) == 4
    assert min(len(first.actions), len(first.rasa)) >= 32
    given = run.InternalTokens.from_env(
        {run.ACTIONS_TOKEN_ENV: "mine-" * 8, run.RASA_TOKEN_ENV: "api-" * 8}
    )
    assert (given.actions, given.rasa) == ("mine-" * 8, "api-" * 8)


def test_run_uses_the_tokens_it_gives_the_processes(
    checkout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """handle() plans with the tokens it then asks Rasa's /status with."""
    seen: dict[str, object] = {}
    monkeypatch.setenv(run.RASA_TOKEN_ENV, "api-token-" * 4)
    monkeypatch.setattr(run, "prepare_database", lambda seed: None)  # noqa: ARG005

    def fake_start(self: run.Supervisor, spec: run.ProcessSpec) -> SimpleNamespace:  # noqa: ARG001
        seen[spec.name] = spec
        return SimpleNamespace(pid=0)

    def fake_supervise(*args: object, rasa_token: str = "", workers: int = 1) -> int:
        seen["rasa_token"] = rasa_token
        seen["workers"] = workers
        return 0

    monkeypatch.setattr(run.Supervisor, "start", fake_start)
    monkeypatch.setattr(run, "supervise", fake_supervise)
    parser = argparse.ArgumentParser()
    run.add_parser(parser.add_subparsers())
    assert run.handle(parser.parse_args(["run", "--port", "8123"])) == 0
    rasa = seen["rasa"]
    assert isinstance(rasa, run.ProcessSpec)
    assert option(list(rasa.argv), "--auth-token") == seen["rasa_token"] == "api-token-" * 4
    assert seen["workers"] == 1
    # where `supportbot training activate` finds the servers: in this checkout's var/
    assert (checkout / "var" / "rasa_servers").read_text() == "http://127.0.0.1:5005\n"
