"""Rasa in production: SQL tracker store on PostgreSQL, Redis lock store, every `${VAR}` given
by Compose and Kubernetes, and Rasa's own reader (in .venv-rasa) expanding the file into the
stores it builds."""

from __future__ import annotations

import ast
import json
import subprocess
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from tests.deploy.consumers import RASA_PYTHON, RASA_SITE
from tests.deploy.manifests import (
    RASA_ENDPOINTS,
    REPO,
    compose_services,
    final_stage,
    image_cmd,
    k8s_environment,
    pod_specs,
    service_environment,
    variables,
)


def endpoints() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(RASA_ENDPOINTS.read_text())
    return document


def rasa_environments(env: dict[str, str] | None = None) -> dict[str, dict[str, str]]:
    """Where Rasa runs -> its environment: each compose service and each Kubernetes container."""
    found = {
        f"compose {name}": service_environment(service)
        for name, service in compose_services(env).items()
        if str(service.get("image", "")).startswith("supportbot-rasa:")
    }
    for name, spec in pod_specs():
        for container in spec["containers"]:
            if container["image"] == "supportbot-rasa":
                found[f"k8s {name}"] = k8s_environment(container)
    return found


def test_conversations_in_postgresql_and_locks_in_redis() -> None:
    config = endpoints()
    tracker, lock = config["tracker_store"], config["lock_store"]
    assert str(tracker["type"]).lower() == "sql" and tracker["dialect"] == "postgresql"
    assert lock["type"] == "redis", "Rasa matches the lock store type exactly: `redis`"
    assert str(lock["key_prefix"]).isalnum(), "Rasa wants an alphanumeric key_prefix"
    assert config["action_endpoint"]["url"] == "${SUPPORTBOT_ACTIONS_URL}"
    # The action servers answer only this (actions/server.py).
    assert config["action_endpoint"]["token"] == "${SUPPORTBOT_ACTIONS_TOKEN}"


def test_the_image_runs_this_file_with_the_rest_channel_only() -> None:
    argv = image_cmd("rasa")
    assert argv[argv.index("--endpoints") + 1] == "deploy/rasa/endpoints.yml"
    copies = [i.words()[1] for i in final_stage("rasa").all("COPY")]
    assert ["deploy/rasa/endpoints.yml", "deploy/rasa/endpoints.yml"] in copies
    credentials = yaml.safe_load((REPO / argv[argv.index("--credentials") + 1]).read_text())
    assert set(credentials) == {"rest"}, "the hub talks to Rasa through the REST channel only"
    assert "--enable-api" not in argv, "the HTTP API would let the network rewrite trackers"


def test_every_variable_of_the_file_is_given_wherever_rasa_runs(
    filled_env: dict[str, str], action_server_routes: set[str]
) -> None:
    needed = variables(RASA_ENDPOINTS.read_text())
    environments = rasa_environments(filled_env)
    assert len(environments) == 3, environments.keys()  # rasa-1, rasa-2, the Deployment
    for where, env in environments.items():
        assert needed <= set(env), f"{where} lacks {sorted(needed - set(env))}"
        url = urlsplit(env["SUPPORTBOT_ACTIONS_URL"])
        assert url.path in action_server_routes, f"{where}: {url.path} is no action server route"


def _sql_tracker_store_parameters() -> set[str]:
    tree = ast.parse((RASA_SITE / "rasa" / "core" / "tracker_store.py").read_text())
    store = next(
        node
        for node in tree.body
        if isinstance(node, ast.ClassDef) and node.name == "SQLTrackerStore"
    )
    init = next(
        node for node in store.body if isinstance(node, ast.FunctionDef) and node.name == "__init__"
    )
    return {a.arg for a in init.args.args + init.args.kwonlyargs}


_READ = """
import json, sys
from rasa.utils.endpoints import read_endpoint_config
from rasa.core.lock_store import LockStore
out = {}
for section in ("action_endpoint", "tracker_store", "lock_store"):
    config = read_endpoint_config(sys.argv[1], section)
    out[section] = {
        "type": config.type, "url": config.url, "token": config.token, "kwargs": config.kwargs
    }
lock = LockStore.create(read_endpoint_config(sys.argv[1], "lock_store"))
kwargs = lock.red.connection_pool.connection_kwargs
out["lock"] = [type(lock).__name__, {k: kwargs.get(k) for k in ("host", "port", "db", "password")}]
print(json.dumps(out))
"""


def test_rasa_itself_reads_the_file_into_the_configured_stores(filled_env: dict[str, str]) -> None:
    if not RASA_PYTHON.is_file():
        pytest.skip(".venv-rasa is missing")
    env = rasa_environments(filled_env)["compose rasa-1"]
    done = subprocess.run(
        [str(RASA_PYTHON), "-W", "ignore", "-c", _READ, str(RASA_ENDPOINTS)],
        capture_output=True,
        text=True,
        timeout=180,
        env={"PATH": "/usr/bin:/bin", "RASA_TELEMETRY_ENABLED": "false", **env},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    read = json.loads(done.stdout.strip().splitlines()[-1])
    assert read["action_endpoint"]["url"] == env["SUPPORTBOT_ACTIONS_URL"]
    assert read["action_endpoint"]["token"] == env["SUPPORTBOT_ACTIONS_TOKEN"]
    tracker = read["tracker_store"]
    assert tracker["url"] == env["SUPPORTBOT_RASA_DB_HOST"]
    assert tracker["kwargs"]["password"] == env["SUPPORTBOT_RASA_DB_PASSWORD"]
    assert set(tracker["kwargs"]) <= _sql_tracker_store_parameters()
    lock_class, connection = read["lock"]
    assert lock_class == "RedisLockStore"
    assert connection == {
        "host": env["SUPPORTBOT_RASA_REDIS_HOST"],
        "port": int(env["SUPPORTBOT_RASA_REDIS_PORT"]),
        "db": int(env["SUPPORTBOT_RASA_REDIS_DB"]),
        "password": env["SUPPORTBOT_RASA_REDIS_PASSWORD"],
    }
    # The backend's hub locks in db 0 of the same Redis: Rasa keeps to its own.
    assert connection["db"] != 0
