"""The runbook's commands, names and numbers are the real ones: each `supportbot ...` parses,
each Compose service and Kubernetes resource exists, each path and variable exists, and the
retry, timeout and session numbers it quotes are the code's."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator

from integrations.crm.dispatcher import BACKOFF_BASE_SECONDS, BACKOFF_CAP_SECONDS
from tests.deploy.consumers import check_supportbot, code_reads, settings_variables
from tests.deploy.manifests import (
    RASA_ENDPOINTS,
    REPO,
    RUNBOOK,
    compose_services,
    k8s_manifests,
    variables,
)
from ticketing.conversations.hub_core import BOT_DOWN
from ticketing.conversations.redis_breaker import OPEN_SECONDS
from ticketing.settings import Settings

OPERATORS = {"&&", "||", "|", ";", ">", "<", ">>"}


def runbook() -> str:
    return RUNBOOK.read_text()


def commands() -> Iterator[list[str]]:
    """Every command line of the sh blocks and of inline code, split into simple commands."""
    text = runbook()
    lines = [
        line for block in re.findall(r"```sh\n(.*?)```", text, re.S) for line in block.splitlines()
    ]
    prose = re.sub(r"```.*?```", "", text, flags=re.S)
    spans = (" ".join(span.split()) for span in re.findall(r"`([^`]+)`", prose))
    # `supportbot` alone is the database or namespace; a command has a sub-command.
    lines += [
        s for s in spans if s.partition(" ")[0] in {"supportbot", "docker", "kubectl"} and " " in s
    ]
    for line in lines:
        words = shlex.split(line, comments=True)
        command: list[str] = []
        for word in [*words, ";"]:
            if word in OPERATORS:
                if command:
                    yield command
                command = []
            else:
                command.append(word)


def test_every_supportbot_command_in_the_runbook_exists() -> None:
    checked = 0
    for command in commands():
        for start, word in enumerate(command):
            # The CLI itself, or the command `docker compose exec backend` / `kubectl exec --` run.
            if word == "supportbot" and (start == 0 or command[start - 1] in {"backend", "--"}):
                check_supportbot(command[start:])
                checked += 1
    assert checked >= 10


def test_every_compose_service_the_runbook_names_exists() -> None:
    services = set(compose_services())
    checked = 0
    for command in commands():
        if command[:2] != ["docker", "compose"]:
            continue
        verb, *rest = [word for word in command[2:] if not word.startswith("-")]
        names = rest[:1] if verb in {"exec", "run"} else rest
        for name in names:
            # `rasa-3` is the example of adding a server like rasa-1.
            assert re.sub(r"-\d+$", "-1", name) in services, f"no compose service {name}"
            checked += 1
    assert checked >= 15


def test_every_kubernetes_resource_and_path_the_runbook_names_exists() -> None:
    kinds = {"deploy": "Deployment", "job": "Job"}
    existing = {(doc["kind"], doc["metadata"]["name"]) for _path, doc in k8s_manifests()}
    namespaces = {name for kind, name in existing if kind == "Namespace"}
    checked = 0
    for command in commands():
        if command[:2] == ["docker", "build"] and "-f" in command:
            assert (REPO / command[command.index("-f") + 1]).is_file(), command
        if command[:1] != ["kubectl"]:
            continue
        if "-n" in command:
            assert command[command.index("-n") + 1] in namespaces
        for word in command:
            kind, _, name = word.partition("/")
            if kind in kinds and re.fullmatch(r"[a-z0-9-]+", name) and not (REPO / word).exists():
                assert (kinds[kind], name) in existing, f"no {kinds[kind]} {name}"
                checked += 1
        for flag in ("-k", "-f"):
            if flag in command and not command[command.index(flag) + 1].startswith("~"):
                assert (REPO / command[command.index(flag) + 1]).exists()
    assert checked >= 8
    for path in re.findall(r"`((?:deploy|docs|bot|tests)/[^`\s]*)`", runbook()):
        made_by_the_operator = path.endswith("/.env")
        assert made_by_the_operator or (REPO / path).exists(), f"the runbook names missing {path}"


def test_every_variable_the_runbook_names_is_read_by_something() -> None:
    known = settings_variables() | variables(RASA_ENDPOINTS.read_text())
    for folder in ("ticketing", "integrations", "actions"):
        known |= code_reads(folder)
    named = set(re.findall(r"\bSUPPORTBOT_[A-Z0-9_]*[A-Z0-9]\b", runbook()))
    assert named and named <= known, f"not read by anything: {sorted(named - known)}"


def test_the_numbers_and_words_the_runbook_quotes_are_the_codes() -> None:
    text = " ".join(runbook().split())
    defaults = Settings()
    quoted = [
        f"{BACKOFF_BASE_SECONDS:g} s doubling up to an hour",
        f"{defaults.crm_max_attempts} attempts",
        f"{OPEN_SECONDS:g} s at a time",
        f"Staff logins ({defaults.staff_token_minutes // 60} hours",
        f"customer verification tokens ({defaults.verification_token_minutes} minutes)",
        f"`SUPPORTBOT_RASA_TIMEOUT_SECONDS`, {defaults.rasa_timeout_seconds:g} s",
        f'"{BOT_DOWN}"',  # what a customer reads when the bot is down
    ]
    assert BACKOFF_CAP_SECONDS == 3600
    for phrase in quoted:
        assert phrase in text, f"the runbook should say: {phrase}"


def test_readme_links_the_runbook() -> None:
    assert "(docs/runbook.md)" in (REPO / "README.md").read_text()
