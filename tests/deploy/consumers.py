"""Who reads what: the environment variables each deployable's code (or a library it runs
under) reads, and whether a command line is one its program accepts, checked with that
program's own argument parser."""

from __future__ import annotations

import argparse
import contextlib
import functools
import importlib
import importlib.util
import inspect
import io
import json
import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tests.deploy.manifests import RASA_ENDPOINTS, REPO, variables
from ticketing.cli import build_parser
from ticketing.settings import Settings

SITE = Path(sys.prefix) / "lib" / "python3.11" / "site-packages"
RASA_PYTHON = REPO / ".venv-rasa" / "bin" / "python"
RASA_SITE = REPO / ".venv-rasa" / "lib" / "python3.11" / "site-packages"
SERVICES = ("backend", "actions", "rasa")
SOURCES = {"backend": ("ticketing", "integrations"), "actions": ("actions",), "rasa": ()}
# Variables a library reads, and which of its packages to search for the name.
LIBRARY_VARIABLES = {
    "WEB_CONCURRENCY": ("uvicorn",),
    "HF_HUB_OFFLINE": ("huggingface_hub", "transformers"),
    "TRANSFORMERS_OFFLINE": ("huggingface_hub", "transformers"),
    "PROMETHEUS_MULTIPROC_DIR": ("prometheus_client",),
    "RASA_TELEMETRY_ENABLED": ("rasa",),
    "SQLALCHEMY_SILENCE_UBER_WARNING": ("sqlalchemy",),
}
OS_VARIABLES = frozenset({"PATH", "HOME"})

_ENV_READ = re.compile(
    r"""os\.(?:environ\.get|getenv|environ\.setdefault)\(\s*["']([A-Z][A-Z0-9_]*)["']"""
    r"""|os\.environ\[\s*["']([A-Z][A-Z0-9_]*)["']\s*\]"""
)


def settings_variables() -> set[str]:
    """Every SUPPORTBOT_* variable the backend's Settings reads (the prefix plus field name)."""
    prefix = str(Settings.model_config.get("env_prefix", ""))
    return {f"{prefix}{name}".upper() for name in Settings.model_fields}


@functools.cache
def code_reads(folder: str) -> frozenset[str]:
    """Names passed to os.environ / os.getenv in the project's own code under `folder`."""
    found: set[str] = set()
    for path in (REPO / folder).rglob("*.py"):
        for match in _ENV_READ.finditer(path.read_text(encoding="utf-8")):
            found.add(match[1] or match[2])
    return frozenset(found)


@functools.cache
def library_reads(site: Path, variable: str) -> bool | None:
    """Whether a package of `site` named for `variable` mentions it; None if `site` is missing."""
    if not site.is_dir():
        return None
    for package in LIBRARY_VARIABLES.get(variable, ()):
        for path in (site / package).rglob("*.py"):
            if variable in path.read_text(encoding="utf-8", errors="replace"):
                return True
    return False


@functools.cache
def python_variables() -> frozenset[str]:
    """The PYTHON* variables the interpreter documents (`python --help-env`)."""
    text = subprocess.run(
        [sys.executable, "--help-env"], capture_output=True, text=True, check=True
    ).stdout
    return frozenset(re.findall(r"^(PYTHON[A-Z0-9_]+)", text, flags=re.MULTILINE))


def unread(service: str, names: Iterable[str]) -> tuple[list[str], list[str]]:
    """(names nobody in `service` reads, names that cannot be checked here)."""
    site = RASA_SITE if service == "rasa" else SITE
    known = set(python_variables()) | OS_VARIABLES
    if service == "backend":
        known |= settings_variables()
    if service == "rasa":
        known |= variables(RASA_ENDPOINTS.read_text())
    for folder in SOURCES[service]:
        known |= code_reads(folder)
    missing, unknown = [], []
    for name in sorted(set(names) - known):
        read = library_reads(site, name)
        if read is None:
            unknown.append(name)
        elif not read:
            missing.append(name)
    return missing, unknown


# --- commands --------------------------------------------------------------------------------


def check_supportbot(argv: list[str]) -> argparse.Namespace:
    errors = io.StringIO()
    with contextlib.redirect_stderr(errors), contextlib.redirect_stdout(io.StringIO()):
        try:
            return build_parser().parse_args(argv[1:])
        except SystemExit:
            pass
    raise AssertionError(f"`{' '.join(argv)}` is not a supportbot command: {errors.getvalue()}")


def check_uvicorn(argv: list[str]) -> dict[str, Any]:
    """uvicorn's own CLI accepts the options, and the app path imports to an app factory."""
    from uvicorn.main import main as uvicorn_cli

    context = uvicorn_cli.make_context("uvicorn", list(argv[1:]))
    params: dict[str, Any] = context.params
    module_name, _, attribute = str(params["app"]).partition(":")
    target = getattr(importlib.import_module(module_name), attribute)
    assert params["factory"], "the backend is built by create_app(): pass --factory"
    required = [
        p
        for p in inspect.signature(target).parameters.values()
        if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    assert not required, f"{params['app']} must be callable without arguments"
    return params


def check_action_server(argv: list[str]) -> argparse.Namespace:
    """`python -m actions.server ...` (rasa_sdk's options plus --host)."""
    from actions.server import build_parser

    assert argv[:3] == ["python", "-m", "actions.server"], argv
    errors = io.StringIO()
    with contextlib.redirect_stderr(errors):
        try:
            args = build_parser().parse_args(argv[3:])
        except SystemExit as exit_:
            raise AssertionError(
                f"the action server refuses {argv}: {errors.getvalue()}"
            ) from exit_
    assert importlib.util.find_spec(args.actions) is not None, f"no module {args.actions}"
    return args


_RASA_PARSE = """
import argparse, json, sys
from rasa.cli.arguments.run import set_run_arguments
parser = argparse.ArgumentParser(prog="rasa run")
set_run_arguments(parser)
args = parser.parse_args(sys.argv[1:])
print(json.dumps({k: v for k, v in vars(args).items() if isinstance(v, (str, int, bool, list))}))
"""


def check_rasa(argv: list[str]) -> dict[str, Any] | None:
    """`rasa run ...` parsed by Rasa's own parser in .venv-rasa (None when it is missing)."""
    assert argv[:2] == ["rasa", "run"], f"expected `rasa run ...`, got {argv}"
    if not RASA_PYTHON.is_file():
        return None
    done = subprocess.run(
        [str(RASA_PYTHON), "-W", "ignore", "-c", _RASA_PARSE, *argv[2:]],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"Rasa refuses {argv}: {done.stderr[-2000:]}"
    parsed: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return parsed


def listening_port(argv: list[str]) -> int | None:
    """Check `argv` with its program's parser; the port it serves on (None: not a server)."""
    if argv[0] == "supportbot":
        check_supportbot(argv)
        return None
    if argv[0] == "uvicorn":
        return int(check_uvicorn(argv)["port"])
    if argv[:3] == ["python", "-m", "actions.server"]:
        return int(check_action_server(argv).port)
    if argv[0] == "rasa":
        parsed = check_rasa(argv)
        return None if parsed is None else int(parsed["port"])
    raise AssertionError(f"no check for the command {argv}: add one to tests/deploy/consumers.py")
