"""The three images: base, user, pinned installs from the lock files, sources that exist in
the build context, no secrets, and commands and health checks the programs accept."""

from __future__ import annotations

import fnmatch
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.deploy.consumers import listening_port, unread
from tests.deploy.manifests import (
    DOCKERFILES,
    IMAGES,
    REPO,
    dockerfile_stages,
    exposed_ports,
    final_stage,
    healthcheck_argv,
    image_cmd,
)

SECRET_NAME = re.compile(r"SECRET|PASSWORD|TOKEN|API_KEY|PRIVATE")
UV_WHEEL = re.compile(r'path = "/opt/wheels/([^"]+\.whl)"')
RASA_LOCK_PIN = re.compile(r"^(torch)==([^\s]+)$", re.MULTILINE)


def dockerignore_patterns() -> list[str]:
    lines = (REPO / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def ignored(relative: str) -> bool:
    """Whether the build context leaves `relative` out (patterns without `!` exceptions)."""
    parts = Path(relative).parts
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for pattern in dockerignore_patterns():
        assert not pattern.startswith("!"), "the test's matcher does not handle `!` patterns"
        for prefix in prefixes:
            if fnmatch.fnmatch(prefix, pattern) or (
                pattern.startswith("**/") and fnmatch.fnmatch(Path(prefix).name, pattern[3:])
            ):
                return True
    return False


@pytest.mark.parametrize("image", IMAGES)
def test_image_is_python_311_slim_and_runs_as_a_numeric_non_root_user(image: str) -> None:
    stages = dockerfile_stages(DOCKERFILES[image])
    assert stages[-1].base == "python:3.11-slim"
    assert {s.base for s in stages} <= {"python:3.11-slim", "scratch"}
    users = final_stage(image).all("USER")
    assert users, f"{image}: the final stage must switch to a non-root USER"
    uid, _, gid = users[-1].args.partition(":")
    # Numeric, so Kubernetes' runAsNonRoot can verify it.
    assert uid.isdigit() and int(uid) > 0 and (not gid or gid.isdigit()), users[-1].args


@pytest.mark.parametrize("image", IMAGES)
def test_copy_sources_exist_and_are_in_the_build_context(image: str) -> None:
    stage_names = {s.name for s in dockerfile_stages(DOCKERFILES[image]) if s.name}
    copied = 0
    for stage in dockerfile_stages(DOCKERFILES[image]):
        for instruction in stage.all("COPY") + stage.all("ADD"):
            assert instruction.keyword == "COPY", f"{image}: use COPY, not ADD"
            flags, words = instruction.words()
            sources = words[:-1]
            assert sources, f"{image}:{instruction.line}: COPY without a source"
            if "from" in flags:
                assert flags["from"] in stage_names, f"{image}: COPY --from={flags['from']}"
                continue
            for source in sources:
                assert (REPO / source).exists(), f"{image}: COPY {source}: no such file"
                assert not ignored(source), f"{image}: COPY {source}, but .dockerignore drops it"
                copied += 1
    assert copied > 0


def _copies_from_wheels(image: str) -> list[list[str]]:
    """The words (sources, then destination) of each `COPY --from=wheels` in the image."""
    return [
        instruction.words()[1]
        for stage in dockerfile_stages(DOCKERFILES[image])
        for instruction in stage.all("COPY")
        if instruction.words()[0].get("from") == "wheels"
    ]


@pytest.mark.parametrize("image", ["backend", "actions"])
def test_the_torch_wheel_copied_in_is_the_one_uv_lock_names(image: str) -> None:
    wanted = set(UV_WHEEL.findall((REPO / "uv.lock").read_text()))
    assert wanted, "uv.lock names no wheel under /opt/wheels any more: drop the wheels context"
    copies = _copies_from_wheels(image)
    assert [words[:-1] for words in copies] == [sorted(wanted)]
    assert copies[0][-1] == "/opt/wheels/"


def test_the_rasa_image_copies_in_the_torch_wheel_rasa_lock_pins() -> None:
    pins = RASA_LOCK_PIN.findall((REPO / "bot" / "rasa.lock").read_text())
    assert pins, "bot/rasa.lock pins no torch any more: drop the wheels context"
    (name, version), *_ = pins
    copies = _copies_from_wheels("rasa")
    assert len(copies) == 1 and copies[0][-1] == "/opt/wheels/"
    (wheel,) = copies[0][:-1]
    assert wheel.startswith(f"{name}-{version}-cp311-"), (wheel, version)
    assert (Path("/opt/wheels") / wheel).is_file() or not Path("/opt/wheels").is_dir()
    assert "--find-links /opt/wheels" in _run_lines("rasa")


def _run_lines(image: str) -> str:
    return " ".join(i.args for s in dockerfile_stages(DOCKERFILES[image]) for i in s.all("RUN"))


@pytest.mark.parametrize("image", ["backend", "actions"])
def test_backend_environments_install_exactly_uv_lock_without_dev_tools(image: str) -> None:
    runs = _run_lines(image)
    assert re.search(r"pip install --no-cache-dir uv==\d+\.\d+\.\d+", runs), "pin uv's version"
    assert "uv sync --frozen --no-dev --no-install-project" in runs
    assert re.search(r"uv sync --frozen --no-dev(?! --no-install-project)", runs)
    assert "--no-editable" not in runs, "settings find alembic.ini and policy.yml beside the code"


def test_rasa_environment_installs_exactly_rasa_lock_and_trains_the_model() -> None:
    runs = _run_lines("rasa")
    assert re.search(r"uv pip sync (--find-links \S+ )?bot/rasa\.lock", runs)
    assert "bot/model_cache.py --check" in runs, "the build must fail when no model was trained"
    assert (REPO / "bot" / "rasa.lock").is_file()


@pytest.mark.skipif(shutil.which("uv") is None, reason="uv is not on PATH")
def test_uv_knows_every_flag_the_images_pass() -> None:
    uv = str(shutil.which("uv"))
    help_text = {
        command: subprocess.run(
            [uv, *command.split(), "--help"], capture_output=True, text=True
        ).stdout
        for command in ("sync", "pip sync")
    }
    for image in IMAGES:
        for command, flags in re.findall(r"uv (pip sync|sync)((?: --[a-z-]+)+)", _run_lines(image)):
            for flag in flags.split():
                assert flag in help_text[command], f"{image}: uv {command} has no {flag}"


@pytest.mark.parametrize("image", IMAGES)
def test_no_secret_is_baked_in(image: str) -> None:
    for stage in dockerfile_stages(DOCKERFILES[image]):
        for name in [*stage.env(), *(i.args.split("=")[0] for i in stage.all("ARG"))]:
            assert not SECRET_NAME.search(name), f"{image}: {name} belongs in the runtime env"
    assert ignored(".env") and ignored("deploy/compose/.env"), ".env files must stay out"


@pytest.mark.parametrize("image", IMAGES)
def test_runtime_environment_variables_are_read_by_the_image(image: str) -> None:
    missing, unknown = unread(image, final_stage(image).env())
    assert not missing, f"{image}.Dockerfile sets variables nothing reads: {missing}"
    if unknown:
        pytest.skip(f"cannot check {unknown} without the {image} environment")


@pytest.mark.parametrize("image", IMAGES)
def test_cmd_is_accepted_by_its_program_and_listens_on_the_exposed_port(image: str) -> None:
    port = listening_port(image_cmd(image))
    if port is None:
        pytest.skip(".venv-rasa is missing: cannot parse `rasa run` here")
    assert exposed_ports(image) == {port}


@pytest.mark.parametrize("image", IMAGES)
def test_healthcheck_asks_the_exposed_port_with_a_timeout(image: str) -> None:
    argv = healthcheck_argv(image)
    assert argv[:2] == ["python", "-c"]
    url = re.search(r"urlopen\('http://127\.0\.0\.1:(\d+)(/[^']*)'", argv[2])
    assert url, f"{image}: HEALTHCHECK must urlopen a loopback URL"
    assert exposed_ports(image) == {int(url[1])}
    assert "timeout=" in argv[2]
    compile(argv[2], f"{image} HEALTHCHECK", "exec")


def test_the_supportbot_console_script_the_images_call_runs() -> None:
    """`supportbot` in the images is pyproject's console script, as in .venv here."""
    script = Path(sys.prefix) / "bin" / "supportbot"
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["supportbot"] == "ticketing.cli:main"
    done = subprocess.run(
        [str(script), "db", "upgrade", "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and "--database-url" in done.stdout, done.stderr
