"""What `activate` and `restore` refuse before Rasa is touched, and the clear errors when Rasa
is not there: missing, damaged or NLU-only model files, a model never evaluated, evaluated
against another model or worse than it (unless --force), no previous model, no token."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.dialogue.servers import free_port
from tests.model_rollout.archives import fake_model, truncated
from tests.model_rollout.factories import balanced
from ticketing.model_rollout import paths, record
from ticketing.model_rollout.activate import activate, check_gate, model_id, restore
from ticketing.model_rollout.cli import add_commands
from ticketing.model_rollout.errors import RolloutError
from ticketing.model_rollout.gate import Rules
from ticketing.model_rollout.record import Evaluation


@pytest.fixture(autouse=True)
def _own_state_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paths, "STATE_FILE", tmp_path / "active.json")


def _closed_url() -> str:
    return f"http://127.0.0.1:{free_port()}"  # nothing listens there


def _code(call: Callable[[], object]) -> str:
    with pytest.raises(RolloutError) as caught:
        call()
    assert caught.value.hint  # every error says what to do next
    return caught.value.code


def _activate(model: Path, *, force: bool = False) -> Callable[[], object]:
    return lambda: activate(
        model, rasa_url=_closed_url(), token="t", rules=Rules(), force=force, say=lambda _: None
    )


def test_a_missing_model_is_refused_before_asking_rasa(tmp_path: Path) -> None:
    # Nothing listens at the URL: the error would be rasa_down had Rasa been asked first.
    assert _code(_activate(tmp_path / "nope.tar.gz")) == "model_missing"


def test_damaged_models_are_refused_before_asking_rasa(tmp_path: Path) -> None:
    good = fake_model(tmp_path / "good.tar.gz")
    assert model_id(good) == "0123abcd"
    half = truncated(good, tmp_path / "half.tar.gz")
    text = tmp_path / "text.tar.gz"
    text.write_text("not an archive", "utf-8")
    no_metadata = fake_model(tmp_path / "nometa.tar.gz", model_id="")
    for damaged in (half, text, no_metadata):
        assert _code(_activate(damaged)) == "model_corrupt", damaged


def test_an_nlu_only_model_is_refused(tmp_path: Path) -> None:
    nlu = fake_model(tmp_path / "nlu.tar.gz", training_type=1)
    with pytest.raises(RolloutError, match="NLU-only"):
        model_id(nlu)


def test_rasa_not_running_says_how_to_start_it(tmp_path: Path) -> None:
    model = fake_model(tmp_path / "m.tar.gz")
    with pytest.raises(RolloutError) as caught:
        _activate(model, force=True)()
    assert caught.value.code == "rasa_down"
    assert "make run" in caught.value.hint and "--rasa-url" in caught.value.hint


def test_restore_without_a_previous_model_says_what_to_do() -> None:
    with pytest.raises(RolloutError) as caught:
        restore(rasa_url=_closed_url(), token="t", say=lambda _: None)
    assert caught.value.code == "nothing_to_restore"
    assert "activate MODEL" in caught.value.hint


def _evaluated(tmp_path: Path, baseline: Path, worse: bool) -> Path:
    candidate = fake_model(tmp_path / "candidates" / "new.tar.gz", model_id="new")
    new = balanced({"complaint": 6}) if worse else balanced()
    evaluation = Evaluation(
        candidate=str(candidate),
        baseline=str(baseline),
        created_at="2026-12-07T18:00:00+00:00",
        evaluations={"cross-validation": (balanced(), new)},
    )
    record.save(evaluation, candidate)
    return candidate


def test_the_gate_refuses_a_worse_candidate_unless_forced(tmp_path: Path) -> None:
    active = fake_model(tmp_path / "active.tar.gz")
    candidate = _evaluated(tmp_path, active, worse=True)
    said: list[str] = []
    with pytest.raises(RolloutError) as caught:
        check_gate(candidate, active, Rules(), force=False, say=said.append)
    assert caught.value.code == "gate_refused" and "--force" in caught.value.hint
    assert any("complaint F1" in line for line in said)
    check_gate(candidate, active, Rules(), force=True, say=said.append)  # forced: no error
    check_gate(candidate, active, Rules(margin=0.3), force=False, say=said.append)


def test_the_gate_refuses_before_rasa_is_asked(tmp_path: Path) -> None:
    candidate = _evaluated(tmp_path, fake_model(tmp_path / "active.tar.gz"), worse=True)
    # Nothing listens at the URL: had Rasa been asked first, the error would be rasa_down.
    assert _code(_activate(candidate)) == "gate_refused"
    assert _code(_activate(fake_model(tmp_path / "never.tar.gz"))) == "not_evaluated"


def test_a_passing_candidate_evaluated_against_the_active_model_goes(tmp_path: Path) -> None:
    active = fake_model(tmp_path / "active.tar.gz")
    candidate = _evaluated(tmp_path, active, worse=False)
    said: list[str] = []
    check_gate(candidate, active, Rules(), force=False, say=said.append)
    assert said == ["gate: passed (nothing worse by more than 0.02; intents gated from 5 examples)"]


def test_an_evaluation_against_another_model_is_stale(tmp_path: Path) -> None:
    candidate = _evaluated(tmp_path, fake_model(tmp_path / "old.tar.gz"), worse=False)
    now_active = fake_model(tmp_path / "other.tar.gz")
    with pytest.raises(RolloutError) as caught:
        check_gate(candidate, now_active, Rules(), force=False, say=lambda _: None)
    assert caught.value.code == "stale_evaluation"
    check_gate(candidate, now_active, Rules(), force=True, say=lambda _: None)


def test_a_model_never_evaluated_needs_force(tmp_path: Path) -> None:
    model = fake_model(tmp_path / "hand-made.tar.gz")
    with pytest.raises(RolloutError) as caught:
        check_gate(model, None, Rules(), force=False, say=lambda _: None)
    assert caught.value.code == "not_evaluated"
    assert "retrain" in caught.value.hint and "--force" in caught.value.hint


def _command(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="supportbot training")
    add_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code: int = args.handler(args)
    return code


def test_the_commands_need_rasas_token_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("SUPPORTBOT_RASA_TOKEN", raising=False)
    assert _command(["activate", str(fake_model(tmp_path / "m.tar.gz"))]) == 2
    assert _command(["restore"]) == 2
    err = capsys.readouterr().err
    assert err.count("error: $SUPPORTBOT_RASA_TOKEN is not set") == 2
    assert "next: start `supportbot run` with SUPPORTBOT_RASA_TOKEN=" in err


def test_bad_options_are_refused_with_the_allowed_values(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for argv, message in (
        (["retrain", "--folds", "1"], "must be 0 (no cross-validation) or at least 2"),
        (["retrain", "--margin", "2"], "must be at least 0 and under 1"),
        (["activate", "--min-support", "0"], "must be at least 1"),
    ):
        with pytest.raises(SystemExit):
            _command(argv)
        assert message in capsys.readouterr().err


def test_retrain_help_explains_the_comparison(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        _command(["retrain", "--help"])
    text = capsys.readouterr().out
    assert "OLD data minus that fold" in text and "--min-support" in text
