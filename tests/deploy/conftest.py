"""Fixtures of the deployment checks: an operator's filled-in .env, the real backend app, and
the routes of the real action server."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.deploy.manifests import ENV_EXAMPLE, REPO, read_env_file, required_variables
from ticketing.app import create_app
from ticketing.settings import Settings

SERVICE_KEY_VARIABLE = "SUPPORTBOT_SERVICE_API_KEYS"
ACTIONS_KEY_VARIABLE = "SUPPORTBOT_ACTIONS_API_KEY"


@pytest.fixture(scope="session")
def filled_env() -> dict[str, str]:
    """.env.example as an operator fills it in: every required empty value gets a secret."""
    env = read_env_file(ENV_EXAMPLE)
    for name in sorted(required_variables()):
        if not env.get(name):
            env[name] = hashlib.sha256(name.encode()).hexdigest()[:32]
    env[ACTIONS_KEY_VARIABLE] = env[SERVICE_KEY_VARIABLE].split(",")[0]
    return env


@pytest.fixture(scope="module")
def backend_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The backend as create_app() builds it, on an empty SQLite file (no lifespan tasks)."""
    folder: Path = tmp_path_factory.mktemp("deploy-app")
    settings = Settings(
        database_url=f"sqlite:///{folder / 'deploy.db'}",
        redis_url=None,
        rasa_url=None,
        secret_key="deploy-check-secret-0123456789",
    )
    client = TestClient(create_app(settings))
    yield client
    client.app.state.database.dispose()


_ACTION_ROUTES = """
import json
from sanic import Sanic
Sanic.test_mode = True
from actions.server import create_app
app = create_app(token="deploy-check-token")
print(json.dumps(sorted(["/" + r.path.lstrip("/") for r in app.router.routes])))
"""


@pytest.fixture(scope="session")
def action_server_routes() -> set[str]:
    """The routes the action server (rasa_sdk's, actions/server.py) serves with this project's
    actions/ registered."""
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", _ACTION_ROUTES],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        env={"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, f"rasa_sdk could not load actions/: {done.stderr[-2000:]}"
    return set(json.loads(done.stdout.strip().splitlines()[-1]))
