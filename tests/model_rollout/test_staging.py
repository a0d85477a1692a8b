"""What the old model trained on: the inputs kept beside a candidate, else the project's inputs
without learned.yml, confirmed only when the model's name is their hash."""

from __future__ import annotations

from pathlib import Path

from tests.model_rollout.archives import fake_model
from ticketing.model_rollout.paths import LEARNED_FILE, NLU_DIR, ROOT
from ticketing.model_rollout.staging import keep_inputs, model_name, old_inputs, stage


def test_a_stage_copies_the_training_inputs_and_names_models_like_make_model(
    tmp_path: Path,
) -> None:
    root = stage(tmp_path / "stage", with_learned=False)
    assert (root / "domain.yml").read_bytes() == (ROOT / "domain.yml").read_bytes()
    assert (root / "config.yml").is_file() and (root / NLU_DIR / "orders.yml").is_file()
    assert not (root / LEARNED_FILE).exists()
    assert (root / ".venv-rasa").is_symlink()
    name = model_name(root)
    assert name.endswith(".tar.gz") and len(name) == len("0123456789abcdef.tar.gz")
    (root / NLU_DIR / "orders.yml").write_text("changed", "utf-8")
    assert model_name(root) != name  # any input changes the name


def test_the_project_model_is_confirmed_by_its_name(tmp_path: Path) -> None:
    name = model_name(stage(tmp_path / "probe", with_learned=False))
    confirmed = old_inputs(fake_model(tmp_path / name), tmp_path / "work")
    assert "confirms it" in confirmed.origin and "NOT" not in confirmed.origin
    assert {p.name for p in confirmed.nlu} >= {"orders.yml", "returns.yml"}
    other = old_inputs(fake_model(tmp_path / "0000000000000000.tar.gz"), tmp_path / "work")
    assert "NOT confirmed" in other.origin


def test_a_candidates_kept_inputs_are_what_it_is_compared_with_next_time(
    tmp_path: Path,
) -> None:
    root = stage(tmp_path / "stage", with_learned=False)
    (root / LEARNED_FILE).write_text('version: "3.1"\nnlu: []\n', "utf-8")
    model = fake_model(tmp_path / "candidates" / "abc.tar.gz")
    keep_inputs(model, root)
    (root / LEARNED_FILE).unlink()  # the stage is rebuilt by the next retrain
    inputs = old_inputs(model, tmp_path / "work")
    assert inputs.origin == "kept in abc.inputs/"
    assert inputs.config == tmp_path / "candidates" / "abc.inputs" / "config.yml"
    assert "learned.yml" in {p.name for p in inputs.nlu}
