"""Every health check and probe asks a route that exists: the backend's in the real FastAPI app,
the action server's in rasa_sdk with this project's actions, Rasa's in its installed source."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from tests.deploy.consumers import RASA_SITE
from tests.deploy.manifests import (
    IMAGES,
    compose_services,
    healthcheck_argv,
    k8s_kind,
    pod_specs,
)


def probe_paths() -> dict[str, set[str]]:
    """image -> every path its Docker HEALTHCHECK, Kubernetes probes and nginx's check ask."""
    paths: dict[str, set[str]] = {image: set() for image in IMAGES}
    for image in IMAGES:
        found = re.search(r"urlopen\('http://[^/]+(/[^']*)'", healthcheck_argv(image)[2])
        assert found
        paths[image].add(found[1])
    for _name, spec in pod_specs():
        for container in spec["containers"]:
            image = str(container["image"]).removeprefix("supportbot-")
            names = {p["name"] for p in container.get("ports", [])}
            numbers = {p["containerPort"] for p in container.get("ports", [])}
            for kind in ("startupProbe", "readinessProbe", "livenessProbe"):
                probe = container.get(kind)
                if probe:
                    assert probe["httpGet"]["port"] in names | numbers, f"{image} {kind}"
                    paths[image].add(probe["httpGet"]["path"])
    # nginx's own check goes through to the backend.
    nginx_check = compose_services()["nginx"]["healthcheck"]["test"]
    paths["backend"].add(urlsplit(nginx_check[-1]).path)
    return paths


def test_every_deployment_has_all_three_probes() -> None:
    for deployment in k8s_kind("Deployment"):
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        for kind in ("startupProbe", "readinessProbe", "livenessProbe"):
            assert "httpGet" in container.get(kind, {}), f"{deployment['metadata']['name']}: {kind}"


def test_backend_probes_are_routes_of_the_app(backend_client: TestClient) -> None:
    paths = probe_paths()["backend"]
    assert {"/api/health", "/api/ready"} <= paths
    for path in sorted(paths):
        response = backend_client.get(path)
        # /api/ready is 503 when a required dependency is down: still the route.
        assert response.status_code in {200, 503}, f"GET {path}: {response.status_code}"
    assert backend_client.get("/api/health").json() == {"status": "ok"}
    assert backend_client.get("/api/no-such-probe").status_code == 404


def test_action_server_probes_are_routes_of_rasa_sdk(action_server_routes: set[str]) -> None:
    paths = probe_paths()["actions"]
    assert paths == {"/health"}
    assert paths <= action_server_routes
    from actions.server import OPEN_PATHS

    assert paths <= OPEN_PATHS, "probes send no token: what they ask must stay open"
    assert "/webhook" in action_server_routes  # what Rasa's action_endpoint calls


def test_rasa_probes_ask_the_root_route_served_without_the_http_api() -> None:
    assert probe_paths()["rasa"] == {"/"}
    server, run = RASA_SITE / "rasa" / "server.py", RASA_SITE / "rasa" / "core" / "run.py"
    if not server.is_file():
        pytest.skip(".venv-rasa is missing")
    assert re.search(r'def add_root_route.*?@app\.get\("/"\)', server.read_text(), re.S)
    # `rasa run` without --enable-api builds this app, which still has the root route.
    without_api = re.search(r"def _create_app_without_api.*?return app", run.read_text(), re.S)
    assert without_api and "add_root_route(app)" in without_api[0]
