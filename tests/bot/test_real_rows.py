"""The real customers' rows in data/nlu/ (HINT3, ABCD): written by benchmarks/nlu/real_rows.py
from the shared datasets, each file under its source's license, nothing else added."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
NLU = ROOT / "data" / "nlu"
PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
DATASETS = ROOT.parent / "shared" / "datasets"


def _texts(name: str) -> list[tuple[str, str]]:
    data = yaml.safe_load((NLU / name).read_text(encoding="utf-8"))
    rows = []
    for block in data["nlu"]:
        for line in block["examples"].splitlines():
            if line.strip().startswith("- "):
                rows.append((line.strip()[2:], block["intent"]))
    return rows


@pytest.mark.parametrize(
    ("name", "license_words"),
    [("sampled_hint3.yml", "Open Database License"), ("sampled_abcd.yml", "MIT License")],
)
def test_each_file_names_its_source_and_license(name: str, license_words: str) -> None:
    head = (NLU / name).read_text(encoding="utf-8")[:600]
    assert license_words in head
    assert name in (NLU / "LICENSES.md").read_text(encoding="utf-8")


def test_no_greeting_only_row_and_no_text_twice() -> None:
    rows = _texts("sampled_hint3.yml") + _texts("sampled_abcd.yml")
    texts = [t.lower() for t, _ in rows]
    assert len(texts) > 1500
    assert len(set(texts)) == len(texts)
    assert "good day agent i'm david" not in texts
    assert ("I'd like to change my address.", "change_shipping_address") in rows


@pytest.mark.skipif(not DATASETS.exists(), reason="the shared datasets are not on this machine")
def test_the_files_are_what_the_script_writes_from_the_datasets() -> None:
    found = subprocess.run(  # noqa: S603 - fixed command
        [str(PYTHON), "benchmarks/nlu/real_rows.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={"RASA_TELEMETRY_ENABLED": "false", "PATH": "/usr/bin:/bin"},
    )
    assert found.returncode == 0, found.stdout + found.stderr
