"""`make install` on a fresh machine: uv is not on PATH, nothing is installed yet. It must
install both environments the first time, change nothing outside the checkout, and install
nothing the second time. Every uv call in the Makefile names the environment it acts on."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MAKEFILE = REPO / "Makefile"
# What `make install` reads: the recipes, the locks and the project's own packages.
COPIED = ("Makefile", "pyproject.toml", "uv.lock", "README.md", "bot", "ticketing", "actions")
COPIED += ("integrations",)


def recipe_lines() -> list[str]:
    """The Makefile's lines with continuations joined."""
    return MAKEFILE.read_text().replace("\\\n", " ").splitlines()


def test_every_uv_call_names_its_target() -> None:
    calls = [line for line in recipe_lines() if "$(UV) " in line and not line.startswith("#")]
    assert calls, "the Makefile calls uv somewhere"
    for line in calls:
        for call in re.findall(r"\$\(UV\) ([a-z]+(?: [a-z]+)?)", line):
            if call == "pip compile":
                assert "--python-version" in line, line  # resolves for 3.11, installs nothing
            elif call.startswith("pip"):
                assert re.search(r"\$\(UV\) pip \w+ --python \$\(\w+\)/bin/python", line), line
            elif call == "venv":
                assert re.search(r"\$\(UV\) venv --python \S+ \$\(\w+\)", line), line
            elif call == "sync":
                assert "UV_PROJECT_ENVIRONMENT=$(VENV)" in line, line
            elif call not in ("lock", "--version"):
                raise AssertionError(f"an unchecked uv call: {call!r} in {line}")


def test_pip_only_ever_installs_into_the_projects_own_environments() -> None:
    for line in recipe_lines():
        for pip in re.findall(r"(\S+) -m pip install", line):
            assert pip.startswith("$(") and pip.endswith("/bin/python"), line
        assert not re.search(r"(?<!-m )(?<![\w/.-])pip3? install", line), line


def _packages_of(python: str) -> dict[str, float]:
    """Every entry of the interpreter's site-packages with its modification time."""
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = Path(subprocess.check_output([python, "-c", code], text=True).strip())
    return {entry.name: entry.stat().st_mtime for entry in site.iterdir()}


def _path_without_uv() -> str:
    keep = [d for d in os.environ["PATH"].split(os.pathsep) if not (Path(d) / "uv").exists()]
    return os.pathsep.join(keep)


@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_a_fresh_checkout_installs_without_touching_the_system_python(tmp_path: Path) -> None:
    checkout = tmp_path / "supportbot"
    checkout.mkdir()
    for name in COPIED:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, checkout / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, checkout / name)
    env = {**os.environ, "PATH": _path_without_uv()}
    for variable in ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "MAKEFLAGS", "MAKELEVEL"):
        env.pop(variable, None)
    system_python = shutil.which("python3", path=env["PATH"])
    assert system_python, "python3 is on PATH"
    assert shutil.which("uv", path=env["PATH"]) is None
    before = _packages_of(system_python)
    ours_before = _packages_of(sys.executable)  # the suite's own .venv is outside too

    make = [shutil.which("make") or "make", "install"]
    first = subprocess.run(make, cwd=checkout, env=env, capture_output=True, text=True, check=False)
    log = checkout / "var" / "logs" / "install.log"
    assert first.returncode == 0, first.stdout + first.stderr + (log.read_text()[-3000:])
    assert (checkout / ".venv-rasa" / "bin" / "rasa").is_file()
    assert (checkout / ".venv" / "bin" / "supportbot").is_file()
    rasa_python = checkout / ".venv-rasa" / "bin" / "python"
    version = subprocess.run(
        [str(rasa_python), "-c", "import rasa, sys; print(rasa.__version__, sys.prefix)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert version == ["3.6.21", str(checkout / ".venv-rasa")]
    assert "install: .venv-rasa" in first.stdout, "one progress line per step"
    assert "Resolved" not in first.stdout, "uv's own output goes to the install log"

    assert _packages_of(system_python) == before, "make install changed the system Python"
    assert _packages_of(sys.executable) == ours_before

    again = subprocess.run(make, cwd=checkout, env=env, capture_output=True, text=True, check=False)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "install:" not in again.stdout, f"installed again:\n{again.stdout}"
