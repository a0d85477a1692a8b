"""Train the Rasa model only when its inputs changed.

The model is named after a SHA-256 over every training input (domain, config, training
data, the `.venv-rasa` lock and the custom components under `bot/`), so
`models/<hash[:16]>.tar.gz` exists exactly when the current inputs were already trained.

Training is quiet: Rasa's whole output goes to `var/logs/train.log`; the terminal gets one line
per component that takes a while, the epochs of the ones that have them, and errors in full.

Stdlib only (plus the stdlib-only `ticketing.cli.output_filter`): runs from either virtual
environment (`python bot/model_cache.py --help`).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ticketing.cli.output_filter import ErrorLines  # noqa: E402 - needs ROOT on sys.path

TRAIN_LOG = Path("var") / "logs" / "train.log"
MODELS_DIR = "models"
HASH_LENGTH = 16
YAML_SUFFIXES = (".yml", ".yaml")
# Helpers under bot/ that are not Rasa components: changing them must not retrain.
NOT_COMPONENTS = frozenset({"bot/model_cache.py"})
NO_PROJECT_MESSAGE = "no Rasa project yet (domain.yml/config.yml missing): nothing to train"


def _say(message: str) -> None:
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def _error(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def _yaml_files(directory: Path) -> Iterator[Path]:
    for path in directory.rglob("*"):
        if path.is_file() and path.suffix in YAML_SUFFIXES:
            yield path


def project_exists(root: Path) -> bool:
    """True when the Rasa project (domain and config at the repository root) exists."""
    has_domain = (root / "domain.yml").is_file() or (root / "domain").is_dir()
    return has_domain and (root / "config.yml").is_file()


def training_inputs(root: Path) -> list[Path]:
    """Every file that goes into the model, sorted by its path relative to `root`."""
    files: list[Path] = []
    if (root / "domain.yml").is_file():
        files.append(root / "domain.yml")
    elif (root / "domain").is_dir():
        files.extend(_yaml_files(root / "domain"))
    for name in ("config.yml", "bot/rasa.lock"):
        if (root / name).is_file():
            files.append(root / name)
    if (root / "data").is_dir():
        files.extend(_yaml_files(root / "data"))
    if (root / "bot").is_dir():
        for path in (root / "bot").rglob("*.py"):
            relative = path.relative_to(root).as_posix()
            if path.is_file() and relative not in NOT_COMPONENTS and "__pycache__" not in relative:
                files.append(path)
    return sorted(set(files), key=lambda path: path.relative_to(root).as_posix())


def input_hash(root: Path) -> str:
    """SHA-256 (hex) over the relative path and content of every training input."""
    digest = hashlib.sha256()
    for path in training_inputs(root):
        content = path.read_bytes()
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(len(content).to_bytes(8, "big"))
        digest.update(content)
    return digest.hexdigest()


def model_path(root: Path) -> Path:
    """Where the model for the current inputs is (or will be) stored."""
    return root / MODELS_DIR / f"{input_hash(root)[:HASH_LENGTH]}.tar.gz"


def latest_model_path(root: Path = ROOT) -> Path | None:
    """The trained model for the current inputs, or None if it is not trained (or no project)."""
    if not project_exists(root):
        return None
    path = model_path(root)
    return path if path.is_file() else None


def rasa_executable(root: Path) -> Path:
    """The `rasa` command of the `.venv-rasa` environment."""
    return root / ".venv-rasa" / "bin" / "rasa"


def train(root: Path) -> int:
    """Run `rasa train` for the current inputs, streaming its output; return its exit code."""
    target = model_path(root)
    rasa = rasa_executable(root)
    if not rasa.is_file():
        _error(f"{rasa} is missing: run `make install` first")
        return 1
    command = [
        str(rasa),
        "train",
        "--fixed-model-name",
        target.name.removesuffix(".tar.gz"),
        "--out",
        MODELS_DIR,
    ]
    env = {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }
    log_path = root / TRAIN_LOG
    log_path.parent.mkdir(parents=True, exist_ok=True)
    _say(f"train: {target.relative_to(root)} (a few minutes; full output in {TRAIN_LOG})")
    started = time.monotonic()
    with log_path.open("w", encoding="utf-8") as log:
        log.write(" ".join(command) + "\n")
        log.flush()
        # The command is built from fixed arguments and the repository's own executable.
        process = subprocess.Popen(  # noqa: S603
            command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        assert process.stdout is not None  # noqa: S101 - stdout=PIPE guarantees it
        progress = TrainingProgress()
        for line in _lines(process.stdout):
            log.write(line + "\n")
            for shown in progress.feed(line):
                _say(shown)
        returncode = process.wait()
    seconds = time.monotonic() - started
    if returncode != 0:
        for line in log_path.read_text(errors="replace").splitlines()[-30:]:
            _error(f"  {line}")
        _error(f"rasa train failed with exit code {returncode}; the whole output is in {log_path}")
        return returncode
    if not target.is_file():
        _error(f"rasa train succeeded but {target} was not written")
        return 1
    took = f"{seconds // 60:.0f} min {seconds % 60:.0f} s"
    _say(f"train: done in {took}: {target.relative_to(root)}")
    return 0


def _lines(stream: IO[bytes]) -> Iterator[str]:
    """The stream's lines, where a carriage return (a progress bar redrawing) also ends one."""
    pending = b""
    for chunk in iter(lambda: os.read(stream.fileno(), 4096), b""):
        pending += chunk
        *complete, pending = re.split(rb"\r\n|\r|\n", pending)
        for raw in complete:
            if raw.strip():
                yield raw.decode("utf-8", errors="replace")
    if pending.strip():
        yield pending.decode("utf-8", errors="replace")


class TrainingProgress:
    """Turns Rasa's training output into a few lines: each component that took a second or
    more, each quarter of the epochs of DIET and TED, and every error line in full."""

    STARTED = re.compile(r"Starting to train component '([^']+)'")
    FINISHED = re.compile(r"Finished training component '([^']+)'")
    EPOCHS = re.compile(r"^Epochs:\s+\d+%\|.*?\|\s*(\d+)/(\d+)")
    VALIDATING = "Started validating domain and training data"

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.errors = ErrorLines()
        self.component = ""
        self.component_started = 0.0
        self.quarter = 0

    def feed(self, line: str) -> list[str]:
        if self.errors.shows(line):
            return [line]
        if self.VALIDATING in line:
            return ["train: checking the domain and training data"]
        if started := self.STARTED.search(line):
            self.component, self.component_started, self.quarter = started[1], self.clock(), 0
            return []
        if finished := self.FINISHED.search(line):
            took = self.clock() - self.component_started
            return [f"train: {finished[1]} ({took:.0f} s)"] if took >= 1 else []
        if epochs := self.EPOCHS.search(line):
            done, total = int(epochs[1]), int(epochs[2])
            quarter = 4 * done // total if total else 0
            if quarter > self.quarter:
                self.quarter = quarter
                return [f"train: {self.component} epoch {done}/{total}"]
        return []


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="model_cache.py",
        description=(
            "Train the Rasa model unless models/<input-hash>.tar.gz already exists. The hash "
            "covers domain.yml (or domain/), config.yml, data/**/*.yml, bot/rasa.lock and "
            "bot/**/*.py custom components."
        ),
    )
    parser.add_argument(
        "--force", action="store_true", help="train even if the model for these inputs exists"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="print the expected model path and whether it exists (exit 0 if it does, 1 if not)",
    )
    parser.add_argument(
        "--root", type=Path, default=ROOT, help="repository root (default: %(default)s)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    root: Path = args.root.resolve()
    if not project_exists(root):
        _say(NO_PROJECT_MESSAGE)
        return 1 if args.check else 0
    target = model_path(root)
    exists = target.is_file()
    if args.check:
        _say(f"{target.relative_to(root)} {'exists' if exists else 'does not exist'}")
        return 0 if exists else 1
    if exists and not args.force:
        _say(f"model up to date: {target.relative_to(root)}")
        return 0
    return train(root)


if __name__ == "__main__":
    sys.exit(main())
