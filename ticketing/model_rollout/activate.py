"""`activate` and `restore`: check the model file, apply the gate, swap Rasa's model with
`PUT /model`, confirm Rasa serves it, and record it with the model it replaced."""

from __future__ import annotations

import json
import tarfile
import time
import zlib
from datetime import UTC, datetime
from pathlib import Path

from ticketing.model_rollout import rasa_api, record, state
from ticketing.model_rollout.errors import RolloutError
from ticketing.model_rollout.gate import Rules, judge
from ticketing.model_rollout.paths import CANDIDATES, MODELS, shown
from ticketing.model_rollout.rasa_calls import Say
from ticketing.model_rollout.record import Evaluation
from ticketing.model_rollout.report import verdict_lines
from ticketing.settings import split_urls

# rasa.engine.storage.storage.ModelMetadata.training_type: 1 is NLU only (no dialogue policies).
NLU_ONLY = 1


def _corrupt(model: Path, why: str) -> RolloutError:
    return RolloutError(
        "model_corrupt",
        f"{model} is not a usable Rasa model: {why}",
        "train it again (`supportbot training retrain`, or `make model` for the project model)",
    )


def model_id(model: Path) -> str:
    """The id in the model's metadata, after reading the whole archive (a truncated or damaged
    file fails here, not inside the running Rasa)."""
    if not model.is_file():
        raise RolloutError(
            "model_missing",
            f"{model} does not exist",
            "list the models with `ls models/ models/candidates/`; "
            "`supportbot training retrain` makes a candidate",
        )
    metadata = None
    try:
        with tarfile.open(model, "r:gz") as archive:
            for member in archive:
                handle = archive.extractfile(member) if member.isfile() else None
                content = handle.read() if handle else b""
                if member.name.lstrip("./") == "metadata.json":
                    metadata = json.loads(content)
    except (tarfile.TarError, OSError, EOFError, zlib.error, ValueError) as error:
        raise _corrupt(model, str(error) or type(error).__name__) from error
    if not isinstance(metadata, dict) or not metadata.get("model_id"):
        raise _corrupt(model, "no metadata.json with a model_id (not a Rasa 3 model)")
    if metadata.get("training_type") == NLU_ONLY:
        raise _corrupt(model, "an NLU-only model (`rasa train nlu`): it has no dialogue policies")
    return str(metadata["model_id"])


def check_verdict(model: Path, rules: Rules, force: bool, say: Say) -> Evaluation | None:
    """Refuse (unless `force`) a model never evaluated or worse than the model it was compared
    with by more than the margin; its evaluation. Needs no Rasa: refuses before asking it."""
    evaluation = record.load(model)
    if evaluation is None:
        if not force:
            raise RolloutError(
                "not_evaluated",
                f"{shown(model)} was never compared with the active model",
                "run `supportbot training retrain`, or pass --force to activate it unchecked",
            )
        say(f"warning: {shown(model)} was never evaluated (--force)")
        return None
    verdict = judge(evaluation.evaluations, rules)
    for line in verdict_lines(verdict):
        say(line)
    if not verdict.passed and not force:
        raise RolloutError(
            "gate_refused",
            f"{shown(model)} is worse than the model it was compared with",
            "see the changes above: label more examples of those intents and retrain, change "
            "--margin / --min-support, or pass --force to activate it anyway",
        )
    return evaluation


def check_baseline(
    model: Path, evaluation: Evaluation | None, active: Path | None, force: bool, say: Say
) -> None:
    """Refuse (unless `force`) an evaluation against another model than the one Rasa serves."""
    if evaluation is None or active is None:
        return
    baseline = Path(evaluation.baseline)
    if baseline.resolve() == active.resolve():
        return
    if not force:
        raise RolloutError(
            "stale_evaluation",
            f"{shown(model)} was compared with {shown(baseline)}, but Rasa serves "
            f"{shown(active)} now",
            "run `supportbot training retrain` again, or pass --force",
        )
    say(f"warning: evaluated against {shown(baseline)}, not the active model (--force)")


def check_gate(model: Path, active: Path | None, rules: Rules, force: bool, say: Say) -> None:
    """Both checks: the verdict, then the model it was compared with."""
    check_baseline(model, check_verdict(model, rules, force, say), active, force, say)


def _file_of(served: rasa_api.RasaStatus, recorded: state.State) -> Path | None:
    """The file of the model Rasa serves: the recorded one if the name matches, else the one of
    that name under models/."""
    if not served.model_file:
        return None
    if recorded.active and Path(recorded.active.model).name == served.model_file:
        return Path(recorded.active.model)
    for directory in (MODELS, CANDIDATES):
        if (directory / served.model_file).is_file():
            return directory / served.model_file
    return None


def _since(recorded: state.State, model: Path) -> str:
    """When `model` became active, if it is the recorded active model."""
    active = recorded.active
    return active.at if active and Path(active.model) == model else ""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _swap(
    model: Path, expected_id: str, rasa_url: str, token: str, say: Say, back: Path | None
) -> None:
    """Load `model` into every Rasa server `rasa_url` lists (comma-separated), one at a time:
    while one loads, the others keep answering. If one fails, those already swapped get `back`
    (the model they served) again, so the servers never answer with different models."""
    swapped: list[str] = []
    for url in split_urls(rasa_url):
        try:
            _swap_one(model, expected_id, url, token, say)
        except RolloutError as error:
            if not swapped:
                raise
            raise RolloutError(
                error.code, error.message + _undo(swapped, back, token, say), error.hint
            ) from error
        swapped.append(url)


def _swap_one(model: Path, expected_id: str, url: str, token: str, say: Say) -> None:
    say(
        f"loading {shown(model)} into Rasa at {url}: messages wait until it is loaded (up "
        "to minutes on busy cores; the hub hands a conversation to a person after "
        "SUPPORTBOT_RASA_TIMEOUT_SECONDS), none fails"
    )
    started = time.monotonic()
    rasa_api.load_model(url, token, model)
    after = rasa_api.status(url, token)
    if after.model_id != expected_id:
        raise RolloutError(
            "swap_unconfirmed",
            f"Rasa at {url} accepted {model.name} but reports {after.model_file or 'no model'}",
            "look at var/logs/rasa*.log; `supportbot training restore` puts the previous back",
        )
    say(f"Rasa at {url} serves {model.name} (loaded in {time.monotonic() - started:.1f} s)")


def _undo(swapped: list[str], back: Path | None, token: str, say: Say) -> str:
    """Put `back` into the servers already swapped, so all serve one model; what was done, for
    the error message."""
    if back is None:
        return (
            f"; {', '.join(swapped)} already serve the new model and the one they served before "
            "is not under models/: activate one model again so all serve the same"
        )
    say(f"putting {shown(back)} back into {', '.join(swapped)}, so all serve the same model")
    for url in swapped:
        rasa_api.load_model(url, token, back)
    return f"; {', '.join(swapped)} serve {back.name} again"


def _first(rasa_url: str) -> str:
    """The server whose model counts as the one served (all serve the same after a swap)."""
    urls = split_urls(rasa_url)
    if not urls:
        raise RolloutError("no_rasa", "no Rasa server is configured", "set SUPPORTBOT_RASA_URL")
    return urls[0]


def activate(
    model: Path, *, rasa_url: str, token: str, rules: Rules, force: bool, say: Say
) -> state.State:
    """Make the running Rasa serve `model`, recording the model it served as the previous."""
    model = model.resolve()
    expected_id = model_id(model)
    evaluation = check_verdict(model, rules, force, say)
    served = rasa_api.status(_first(rasa_url), token)
    recorded = state.load()
    current = _file_of(served, recorded)
    if served.model_id == expected_id and served.model_file == model.name:
        say(f"{shown(model)} is already active")
        if recorded.active is None or Path(recorded.active.model) != model:
            recorded = state.State(
                active=state.Served(str(model), _now()), previous=recorded.previous
            )
            state.save(recorded)
        return recorded
    check_baseline(model, evaluation, current, force, say)
    _swap(model, expected_id, rasa_url, token, say, back=current)
    previous = state.Served(str(current), _since(recorded, current)) if current else None
    if current is None and served.model_file:
        say(
            f"warning: the model Rasa served ({served.model_file}) is not under models/: restore "
            "cannot put it back"
        )
    new_state = state.State(active=state.Served(str(model), _now()), previous=previous)
    state.save(new_state)
    if previous:
        say(f"previous: {shown(Path(previous.model))} (`supportbot training restore` puts it back)")
    return new_state


def restore(*, rasa_url: str, token: str, say: Say) -> state.State:
    """Put back the model served before the last activation (no gate: it served before)."""
    recorded = state.load()
    if recorded.previous is None:
        raise RolloutError(
            "nothing_to_restore",
            "no previous model is recorded (nothing was activated yet)",
            "`supportbot training activate MODEL` loads a model of your choice",
        )
    previous = Path(recorded.previous.model)
    expected_id = model_id(previous)
    served = rasa_api.status(_first(rasa_url), token)
    current = _file_of(served, recorded)
    _swap(previous, expected_id, rasa_url, token, say, back=current)
    new_state = state.State(
        active=state.Served(str(previous), _now()),
        previous=state.Served(str(current), _since(recorded, current)) if current else None,
    )
    state.save(new_state)
    return new_state
