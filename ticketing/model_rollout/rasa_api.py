"""The two calls of Rasa's HTTP API the rollout needs: `GET /status` (which model is loaded)
and `PUT /model` (load another). Rasa loads the new model before it lets go of the old one and
keeps the old one if the new one fails to load (400; rasa/server.py `load_model`), so a swap
loses no message. The loading blocks Rasa's event loop, though: messages that arrive meanwhile
wait until it is done (minutes on busy cores), then get the new model's answer.

Rasa runs with `--enable-api --auth-token` (`supportbot run`); every call sends `?token=`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx

from ticketing.model_rollout.errors import RolloutError

# Loading a model blocks Rasa for the time it takes (seconds to a minute on busy cores).
LOAD_TIMEOUT_SECONDS = 600.0
STATUS_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class RasaStatus:
    model_file: str
    model_id: str


def _answer(response: httpx.Response, url: str) -> None:
    if response.status_code in (401, 403):
        raise RolloutError(
            "rasa_token",
            f"Rasa at {url} refused the token (HTTP {response.status_code})",
            "set SUPPORTBOT_RASA_TOKEN to the token Rasa was started with (`supportbot run` "
            "makes a random one unless SUPPORTBOT_RASA_TOKEN is set: restart it with one set)",
        )


def _request(
    method: str, url: str, token: str, timeout: float, body: dict[str, str] | None = None
) -> httpx.Response:
    try:
        response = httpx.request(method, url, params={"token": token}, timeout=timeout, json=body)
    except httpx.ConnectError as error:
        raise RolloutError(
            "rasa_down",
            f"no Rasa server answers at {url} ({error})",
            "start it (`make run`) or pass --rasa-url with where it runs",
        ) from error
    except httpx.TimeoutException as error:
        raise RolloutError(
            "rasa_timeout",
            f"Rasa at {url} did not answer within {timeout:g} s",
            "look at var/logs/rasa.log; try again when the machine is less busy",
        ) from error
    _answer(response, url)
    return response


def status(base_url: str, token: str) -> RasaStatus:
    """The model Rasa serves now."""
    url = f"{base_url}/status"
    response = _request("GET", url, token, STATUS_TIMEOUT_SECONDS)
    if response.status_code == 409:
        return RasaStatus(model_file="", model_id="")  # running without a model
    if response.status_code != 200:
        raise RolloutError(
            "rasa_status",
            f"Rasa at {url} answered HTTP {response.status_code}: {response.text[:300]}",
            "look at var/logs/rasa.log",
        )
    body = response.json()
    return RasaStatus(
        model_file=str(body.get("model_file") or ""), model_id=str(body.get("model_id") or "")
    )


def load_model(
    base_url: str, token: str, model: Path, timeout: float = LOAD_TIMEOUT_SECONDS
) -> None:
    """`PUT /model` with the absolute path of `model` (a file on Rasa's machine)."""
    url = f"{base_url}/model"
    response = _request("PUT", url, token, timeout, {"model_file": str(model.resolve())})
    if response.status_code == 204:
        return
    try:
        message = str(response.json().get("message", response.text))
    except ValueError:
        message = response.text
    raise RolloutError(
        "rasa_rejected",
        f"Rasa at {base_url} did not load {model} (HTTP {response.status_code}: "
        f"{message[:300]}); it still serves the model it had",
        "look at var/logs/rasa.log for why; retrain the model if it is damaged",
    )
