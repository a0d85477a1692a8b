"""The single-host Compose file: builds, start order, commands, ports, and its variables
documented in .env.example without real secrets."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.deploy.consumers import listening_port, unread
from tests.deploy.manifests import (
    COMPOSE_FILE,
    DOCKERFILES,
    ENV_EXAMPLE,
    NGINX_CONF,
    REPO,
    MissingVariable,
    compose_document,
    compose_services,
    exposed_ports,
    image_cmd,
    read_env_file,
    required_variables,
    service_environment,
    variables,
    walk_strings,
)
from tests.deploy.nginx_config import Directive, find_directives, parse_nginx

THIRD_PARTY = {"postgres", "redis", "nginx"}
# Variables the official images document (postgres, redis-cli).
IMAGE_VARIABLES = {
    "postgres": {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"},
    "redis": {"REDISCLI_AUTH"},
    "nginx": set(),
}
# The ports the official images listen on.
IMAGE_PORTS = {"postgres": {5432}, "redis": {6379}}
SECRETS = re.compile(r"PASSWORD|SECRET|TOKEN|API_KEY")


def image_of(service: dict[str, Any]) -> str | None:
    """backend / actions / rasa for a service built from deploy/docker, else None."""
    build = service.get("build")
    if not build:
        return None
    dockerfile = (COMPOSE_FILE.parent / build["context"] / build["dockerfile"]).resolve()
    return next((name for name, path in DOCKERFILES.items() if path.resolve() == dockerfile), None)


def nginx_directives(name: str) -> list[Directive]:
    return find_directives(parse_nginx(NGINX_CONF.read_text()), name)


def listens(services: dict[str, dict[str, Any]], name: str) -> set[int]:
    if name == "nginx":
        return {int(directive.args[0]) for directive in nginx_directives("listen")}
    if name in IMAGE_PORTS:
        return IMAGE_PORTS[name]
    return {int(port) for port in services[name].get("expose", [])}


def test_every_service_has_an_image_and_builds_use_the_repository_dockerfiles() -> None:
    services = compose_services()
    assert {"postgres", "redis", "migrate", "backend", "nginx"} <= set(services)
    for name, service in services.items():
        assert service.get("image"), f"{name}: no image"
        if name in THIRD_PARTY:
            assert "build" not in service and ":" in service["image"], f"{name}: pin a tag"
            continue
        assert (COMPOSE_FILE.parent / service["build"]["context"]).resolve() == REPO
        assert image_of(service) is not None, f"{name}: builds no deploy/docker image"


def test_two_rasa_servers_and_two_action_servers_behind_nginx() -> None:
    services = compose_services()
    images = [image_of(service) for service in services.values()]
    assert images.count("rasa") == 2 and images.count("actions") == 2
    upstreams = {directive.args[0]: directive for directive in nginx_directives("upstream")}
    for group, image in (("rasa", "rasa"), ("actions", "actions"), ("backend", "backend")):
        servers = [s.args[0] for s in upstreams[group].find("server")]
        names = {name for name, service in services.items() if image_of(service) == image}
        names.discard("migrate")
        assert {server.rpartition(":")[0] for server in servers} == names, group
        assert {int(server.rpartition(":")[2]) for server in servers} == exposed_ports(image)


def test_migrations_run_first_and_the_backend_waits_for_them() -> None:
    services = compose_services()
    assert services["migrate"]["command"] == ["supportbot", "db", "upgrade"]
    assert services["migrate"]["restart"] == "no"
    backend_deps = services["backend"]["depends_on"]
    assert backend_deps["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name, service in services.items():
        for dependency in service.get("depends_on", {}):
            assert dependency in services, f"{name} depends on unknown {dependency}"


def test_commands_are_accepted_and_servers_listen_where_they_are_exposed() -> None:
    for name, service in compose_services().items():
        image = image_of(service)
        if image is None:
            continue
        argv = service.get("command") or image_cmd(image)
        port = listening_port(argv)
        if port is not None:
            assert {port} == {int(p) for p in service.get("expose", [])}, name


def test_only_nginx_is_published() -> None:
    published = {name for name, s in compose_services().items() if s.get("ports")}
    assert published == {"nginx"}


def test_rasa_and_the_action_servers_share_a_required_token(filled_env: dict[str, str]) -> None:
    raw, resolved = compose_services(), compose_services(filled_env)
    bots = [name for name, s in raw.items() if image_of(s) in {"rasa", "actions"}]
    assert len(bots) == 4
    for name in bots:
        given = service_environment(raw[name])["SUPPORTBOT_ACTIONS_TOKEN"]
        assert given.startswith("${SUPPORTBOT_ACTIONS_TOKEN:?"), f"{name}: required, from .env"
        token = service_environment(resolved[name])["SUPPORTBOT_ACTIONS_TOKEN"]
        assert token == filled_env["SUPPORTBOT_ACTIONS_TOKEN"] and len(token) >= 32
    backend = service_environment(raw["backend"])
    assert "SUPPORTBOT_ACTIONS_TOKEN" not in backend, "the backend does not call the actions"
    argv = image_cmd("actions")
    assert argv[:3] == ["python", "-m", "actions.server"], "the server that checks the token"


def test_urls_between_services_point_at_ports_that_listen(filled_env: dict[str, str]) -> None:
    services = compose_services(filled_env)
    checked = 0
    for name, service in services.items():
        for key, value in service_environment(service).items():
            if not re.match(r"(https?|postgresql|redis)://", value):
                continue
            url = urlsplit(value)
            if url.hostname not in services:
                assert key == "SUPPORTBOT_PUBLIC_URL", f"{name}: {key} points outside: {value}"
                continue
            port = url.port or 80
            assert port in listens(services, url.hostname), (
                f"{name}: {key}={value}, but {url.hostname} does not listen on {port}"
            )
            checked += 1
    assert checked >= 6


@pytest.mark.parametrize("image", ["backend", "actions", "rasa"])
def test_every_variable_given_to_a_service_is_read_by_it(image: str) -> None:
    services = compose_services()
    names = {n for s in services.values() if image_of(s) == image for n in service_environment(s)}
    assert names, f"no service runs the {image} image"
    missing, unknown = unread(image, names)
    assert not missing, f"compose gives the {image} image variables nothing reads: {missing}"
    if unknown:
        pytest.skip(f"cannot check {unknown} without the {image} environment")


def test_third_party_services_get_only_variables_their_images_use() -> None:
    for name in THIRD_PARTY:
        assert set(service_environment(compose_services()[name])) <= IMAGE_VARIABLES[name], name


def test_env_example_documents_exactly_the_variables_compose_uses() -> None:
    # `$$VAR` is left to the container's shell; `variables` skips it.
    used = set().union(*(variables(text) for text in walk_strings(compose_document())))
    documented = set(read_env_file(ENV_EXAMPLE))
    assert used == documented, (
        f"undocumented: {sorted(used - documented)}, unused: {sorted(documented - used)}"
    )
    lines = ENV_EXAMPLE.read_text().splitlines()
    for index, line in enumerate(lines):
        if line and not line.startswith("#"):
            assert lines[index - 1].startswith("#"), f"explain {line.split('=')[0]} above it"


def test_env_example_holds_no_secret_and_compose_refuses_to_start_without_them() -> None:
    example = read_env_file(ENV_EXAMPLE)
    for name, value in example.items():
        if SECRETS.search(name):
            assert value == "", f".env.example must not hold a value for {name}"
    required = required_variables()
    assert {"SUPPORTBOT_SECRET_KEY", "SUPPORTBOT_SERVICE_API_KEYS", "POSTGRES_PASSWORD"} <= required
    with pytest.raises(MissingVariable):
        compose_services(example)
