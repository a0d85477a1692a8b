"""Reading the deployment files the way their tools read them: Dockerfile instructions and
stages, Compose with its `${VAR}` interpolation, `.env` files, Kubernetes documents (nginx.conf:
nginx_config.py). Nothing here runs Docker or kubectl (neither is installed where tests run)."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
IMAGES = ("backend", "actions", "rasa")
DOCKERFILES = {name: DEPLOY / "docker" / f"{name}.Dockerfile" for name in IMAGES}
COMPOSE_FILE = DEPLOY / "compose" / "docker-compose.yml"
ENV_EXAMPLE = DEPLOY / "compose" / ".env.example"
NGINX_CONF = DEPLOY / "compose" / "nginx.conf"
RASA_ENDPOINTS = DEPLOY / "rasa" / "endpoints.yml"
K8S = DEPLOY / "k8s"
K8S_SECRETS_TEMPLATE = K8S / "secrets.template.yaml"
RUNBOOK = REPO / "docs" / "runbook.md"


# --- Dockerfiles -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Instruction:
    keyword: str
    args: str
    line: int

    def exec_form(self) -> list[str] | None:
        """The JSON list of `CMD ["a", "b"]`, None for the shell form."""
        text = self.args.strip()
        return [str(word) for word in json.loads(text)] if text.startswith("[") else None

    def words(self) -> tuple[dict[str, str], list[str]]:
        """`--flag=value` options, then the other words (COPY, HEALTHCHECK, ...)."""
        flags: dict[str, str] = {}
        words = shlex.split(self.args)
        while words and words[0].startswith("--"):
            name, _, value = words.pop(0)[2:].partition("=")
            flags[name] = value
        return flags, words


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[Instruction] = field(default_factory=list)

    def all(self, keyword: str) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword]

    def env(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for instruction in self.all("ENV"):
            for word in shlex.split(instruction.args):
                key, _, value = word.partition("=")
                values[key] = value
        return values


def dockerfile_instructions(path: Path) -> list[Instruction]:
    """Instructions with continuation lines joined and comments dropped."""
    instructions: list[Instruction] = []
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(path.read_text().splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if not pending:
            start = number
        pending.append(line.removesuffix("\\").strip())
        if not line.endswith("\\"):
            keyword, _, args = " ".join(pending).partition(" ")
            instructions.append(Instruction(keyword.upper(), args.strip(), start))
            pending = []
    assert not pending, f"{path.name}: the last instruction ends with a line continuation"
    return instructions


def dockerfile_stages(path: Path) -> list[Stage]:
    stages: list[Stage] = []
    for instruction in dockerfile_instructions(path):
        if instruction.keyword == "FROM":
            words = instruction.args.split()
            name = words[2] if len(words) == 3 and words[1].upper() == "AS" else None
            stages.append(Stage(base=words[0], name=name))
        else:
            assert stages, f"{path.name}:{instruction.line}: instruction before FROM"
            stages[-1].instructions.append(instruction)
    return stages


def final_stage(image: str) -> Stage:
    return dockerfile_stages(DOCKERFILES[image])[-1]


def image_cmd(image: str) -> list[str]:
    commands = final_stage(image).all("CMD")
    assert commands, f"{image}.Dockerfile has no CMD"
    argv = commands[-1].exec_form()
    assert argv is not None, f"{image}.Dockerfile: write CMD in the exec (JSON) form"
    return argv


def exposed_ports(image: str) -> set[int]:
    expose = final_stage(image).all("EXPOSE")
    return {int(word.split("/")[0]) for instruction in expose for word in instruction.args.split()}


def healthcheck_argv(image: str) -> list[str]:
    checks = final_stage(image).all("HEALTHCHECK")
    assert len(checks) == 1, f"{image}.Dockerfile needs one HEALTHCHECK"
    args = checks[0].args
    assert " CMD " in f" {args}", f"{image}.Dockerfile: HEALTHCHECK without CMD"
    argv = Instruction("CMD", args[args.index("CMD") + 3 :], checks[0].line).exec_form()
    assert argv is not None, f"{image}.Dockerfile: write the HEALTHCHECK CMD in the exec form"
    return argv


# --- Compose and .env ------------------------------------------------------------------------

_VARIABLE = re.compile(
    r"\$(?:(?P<escaped>\$)|\{(?P<braced>[A-Za-z_]\w*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}"
    r"|(?P<plain>[A-Za-z_]\w*))"
)


class MissingVariable(Exception):
    """Compose would refuse to start: a `${VAR:?...}` is unset or empty."""


def interpolate(text: str, env: Mapping[str, str]) -> str:
    """`text` as Compose reads it: `$$`, `${VAR}`, `${VAR:-default}`, `${VAR:?error}`, ..."""

    def replace(match: re.Match[str]) -> str:
        if match["escaped"]:
            return "$"
        name = match["braced"] or match["plain"]
        value, op, arg = env.get(name), match["op"], match["arg"] or ""
        empty = value is None or (value == "" and op is not None and op.startswith(":"))
        if op in {":-", "-"} and empty:
            return arg
        if op in {":?", "?"} and empty:
            raise MissingVariable(f"{name}: {arg}")
        return value or ""

    return _VARIABLE.sub(replace, text)


def variables(text: str) -> set[str]:
    return {m["braced"] or m["plain"] for m in _VARIABLE.finditer(text) if not m["escaped"]}


def walk_strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, Mapping):
        for key, value in node.items():
            yield str(key)
            yield from walk_strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk_strings(item)


def resolve(node: Any, env: Mapping[str, str]) -> Any:
    if isinstance(node, str):
        return interpolate(node, env)
    if isinstance(node, Mapping):
        return {key: resolve(value, env) for key, value in node.items()}
    if isinstance(node, list):
        return [resolve(item, env) for item in node]
    return node


def read_env_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, separator, value = line.partition("=")
            assert separator, f"{path.name}: not KEY=VALUE: {line!r}"
            values[key.strip()] = value.strip()
    return values


def required_variables() -> set[str]:
    """Variables compose refuses to start without (`${VAR:?...}`)."""
    return set(re.findall(r"\$\{(\w+):\?", COMPOSE_FILE.read_text()))


def compose_document() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text())
    return document


def compose_services(env: Mapping[str, str] | None = None) -> dict[str, dict[str, Any]]:
    """The services, YAML anchors merged, interpolated with `env` when given."""
    services: dict[str, dict[str, Any]] = compose_document()["services"]
    return resolve(services, env) if env is not None else services


def service_environment(service: Mapping[str, Any]) -> dict[str, str]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        return dict(item.partition("=")[::2] for item in environment)
    return {str(key): "" if value is None else str(value) for key, value in environment.items()}


# --- Kubernetes ------------------------------------------------------------------------------


def yaml_documents(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc is not None]


def k8s_manifests() -> list[tuple[Path, dict[str, Any]]]:
    """Every Kubernetes document under deploy/k8s (kustomization files excluded)."""
    found: list[tuple[Path, dict[str, Any]]] = []
    for path in sorted(K8S.rglob("*.yaml")):
        if path.name != "kustomization.yaml":
            found.extend((path, doc) for doc in yaml_documents(path))
    return found


def k8s_kind(kind: str) -> list[dict[str, Any]]:
    return [doc for _path, doc in k8s_manifests() if doc["kind"] == kind]


def pod_specs() -> list[tuple[str, dict[str, Any]]]:
    """(workload name, pod spec) of every Deployment and Job."""
    return [
        (doc["metadata"]["name"], doc["spec"]["template"]["spec"])
        for _path, doc in k8s_manifests()
        if doc["kind"] in {"Deployment", "Job"}
    ]


def k8s_config_data() -> dict[str, dict[str, str]]:
    return {d["metadata"]["name"]: d["data"] for d in k8s_kind("ConfigMap")}


def k8s_secret_data() -> dict[str, dict[str, str]]:
    """The Secrets' keys as the template lists them (every value empty)."""
    return {d["metadata"]["name"]: d["stringData"] for d in yaml_documents(K8S_SECRETS_TEMPLATE)}


def k8s_environment(container: Mapping[str, Any]) -> dict[str, str]:
    """Every variable a container gets, from env and envFrom (secrets as their template)."""
    values = {e["name"]: str(e.get("value", "")) for e in container.get("env", [])}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            values.update(k8s_config_data()[source["configMapRef"]["name"]])
        else:
            values.update(k8s_secret_data()[source["secretRef"]["name"]])
    return values
