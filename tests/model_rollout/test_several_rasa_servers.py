"""`supportbot training activate` with several Rasa servers (`supportbot run --rasa-workers N`):
every server gets the model, one after the other, and a server that refuses it stops the
rollout with its address in the error; the CLI finds the servers `supportbot run` started."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.model_rollout.archives import fake_model
from tests.model_rollout.test_activation_checks import _evaluated
from ticketing.model_rollout import activate as activate_module
from ticketing.model_rollout import cli, paths
from ticketing.model_rollout.activate import activate, model_id
from ticketing.model_rollout.errors import RolloutError
from ticketing.model_rollout.gate import Rules

TOKEN = "rasa-api-token"  # noqa: S105 - a test value


class FakeRasaApi:
    """Rasa's `GET /status` and `PUT /model` (with `?token=`); `refuse` answers the load 400."""

    def __init__(self, serving: Path) -> None:
        self.serving = serving
        self.loads: list[str] = []
        self.refuse = False
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _authorised(self) -> bool:
                if parse_qs(urlsplit(self.path).query).get("token") == [TOKEN]:
                    return True
                self._send(401, {"message": "no token"})
                return False

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                if self._authorised():
                    status = {"model_file": fake.serving.name, "model_id": model_id(fake.serving)}
                    self._send(200, status)

            def do_PUT(self) -> None:  # noqa: N802 - http.server's naming
                if not self._authorised():
                    return
                body = json.loads(self.rfile.read(int(self.headers["content-length"])))
                fake.loads.append(body["model_file"])
                if fake.refuse:
                    self._send(400, {"message": "cannot load"})
                    return
                fake.serving = Path(body["model_file"])
                self.send_response(204)
                self.end_headers()

            def _send(self, status: int, body: dict[str, str]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(autouse=True)
def _own_state_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paths, "STATE_FILE", tmp_path / "active.json")


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[list[FakeRasaApi]]:
    old = fake_model(tmp_path / "old.tar.gz", model_id="old")
    fakes = [FakeRasaApi(old) for _ in range(3)]
    yield fakes
    for fake in fakes:
        fake.close()


def test_every_server_gets_the_model(tmp_path: Path, servers: list[FakeRasaApi]) -> None:
    candidate = _evaluated(tmp_path, tmp_path / "old.tar.gz", worse=False)
    said: list[str] = []
    urls = ", ".join(fake.url for fake in servers)
    activate(candidate, rasa_url=urls, token=TOKEN, rules=Rules(), force=False, say=said.append)
    for fake in servers:
        assert fake.loads == [str(candidate.resolve())]
        assert fake.serving == candidate.resolve()
        assert any(line.startswith(f"Rasa at {fake.url} serves new.tar.gz") for line in said)


def test_a_server_that_refuses_stops_the_rollout_and_the_others_go_back(
    tmp_path: Path, servers: list[FakeRasaApi], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never two models at once: the first server, already swapped, gets the old one back."""
    monkeypatch.setattr(activate_module, "MODELS", tmp_path)  # old.tar.gz is a known model
    old = (tmp_path / "old.tar.gz").resolve()
    candidate = _evaluated(tmp_path, old, worse=False)
    servers[1].refuse = True
    urls = ",".join(fake.url for fake in servers)
    with pytest.raises(RolloutError) as caught:
        activate(candidate, rasa_url=urls, token=TOKEN, rules=Rules(), force=False, say=print)
    assert caught.value.code == "rasa_rejected"
    assert servers[1].url in caught.value.message
    assert f"{servers[0].url} serve old.tar.gz again" in caught.value.message
    assert servers[0].loads == [str(candidate.resolve()), str(old)]
    assert [fake.serving.resolve() for fake in servers] == [old, old, old]
    assert servers[2].loads == [], "the rollout stopped at the server that refused"
    assert not paths.STATE_FILE.exists(), "nothing is recorded as active"


def test_without_the_old_model_the_error_says_which_servers_changed(
    tmp_path: Path, servers: list[FakeRasaApi]
) -> None:
    candidate = _evaluated(tmp_path, tmp_path / "old.tar.gz", worse=False)
    servers[2].refuse = True
    urls = ",".join(fake.url for fake in servers)
    with pytest.raises(RolloutError) as caught:
        activate(candidate, rasa_url=urls, token=TOKEN, rules=Rules(), force=False, say=print)
    assert f"{servers[0].url}, {servers[1].url} already serve the new model" in str(
        caught.value.message
    )
    assert "activate one model again" in caught.value.message


def test_the_cli_loads_into_the_servers_supportbot_run_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = tmp_path / "rasa_servers"
    started.write_text("http://127.0.0.1:5005,http://127.0.0.1:5006\n")
    monkeypatch.setattr(cli, "RASA_SERVERS_FILE", started)
    monkeypatch.delenv(cli.RASA_URL_ENV, raising=False)
    assert cli._default_rasa_url() == "http://127.0.0.1:5005,http://127.0.0.1:5006"
    monkeypatch.setenv(cli.RASA_URL_ENV, "http://rasa.internal:5005")
    assert cli._default_rasa_url() == "http://rasa.internal:5005", "the environment wins"
    monkeypatch.delenv(cli.RASA_URL_ENV)
    started.unlink()
    assert cli._default_rasa_url() == cli.DEFAULT_RASA_URL
