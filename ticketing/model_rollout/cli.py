"""`supportbot training retrain | activate | restore`: `add_commands` adds them to the
`supportbot training` command (`ticketing/cli/training.py`)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ticketing.model_rollout.activate import activate, restore
from ticketing.model_rollout.errors import RolloutError
from ticketing.model_rollout.gate import Rules
from ticketing.model_rollout.paths import CANDIDATES, RASA_SERVERS_FILE, shown
from ticketing.model_rollout.record import evaluation_path
from ticketing.model_rollout.report import report_lines
from ticketing.model_rollout.retrain import RetrainOptions, retrain

RASA_URL_ENV = "SUPPORTBOT_RASA_URL"
RASA_TOKEN_ENV = "SUPPORTBOT_RASA_TOKEN"  # noqa: S105 - a variable's name
DEFAULT_RASA_URL = "http://127.0.0.1:5005"

RETRAIN_DESCRIPTION = """\
Train a candidate model from the current training data (data/nlu/learned.yml included, minus
a held-out share of it), compare it with the active model, and say whether it may replace it.

How old and new are compared, honestly:
- fixed test: both whole models parse the same rows, none of which either trained on: the
  labelled examples held out by a hash of their text (the same ones every retrain, never
  trained on), the Bitext rows not in the training data (capped per intent) and the HINT3 /
  ABCD rows never trained on (when ../shared/datasets exists). A row either model trained on is
  left out.
- cross-validation: the new data's examples are split into --folds folds (Rasa's stratified
  split, seeded). For each fold, the old model's config trains on the OLD data minus that fold
  and the new config on the NEW data minus it, and both parse the fold. Same messages scored,
  neither trained on them; newly labelled examples count where the other folds taught them.
  The labels of the new data are the truth (a corrected label is the manager's). Folds train
  the intent pipeline only (DIET here extracts entities), each ~1-3 min on 2 cores: --folds 3
  is 6 trainings; --folds 0 skips it.
- the gate: refused when the candidate is worse by more than --margin in accuracy or live
  accuracy (the top intent right and above the fallback threshold), or in the F1 of an intent
  with at least --min-support test examples, on either evaluation.

The candidate goes to models/candidates/<hash>.tar.gz with its inputs and evaluation beside it;
`supportbot training activate` loads it into the running Rasa (or --activate here).
"""


def _say(message: str) -> None:
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def _share(value: str) -> float:
    share = float(value)
    if not 0.0 <= share < 1.0:
        raise argparse.ArgumentTypeError("must be at least 0 and under 1, e.g. 0.2")
    return share


def _folds(value: str) -> int:
    count = int(value)
    if count == 1 or count < 0:
        raise argparse.ArgumentTypeError("must be 0 (no cross-validation) or at least 2")
    return count


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _gate_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--margin",
        type=_share,
        default=Rules.margin,
        help="how much worse (accuracy, or an intent's F1) refuses the candidate "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--min-support",
        type=_positive,
        default=Rules.min_support,
        help="intents with fewer test examples cannot refuse it (default: %(default)s)",
    )


def _default_rasa_url() -> str:
    try:
        started = RASA_SERVERS_FILE.read_text().strip()
    except OSError:
        started = ""
    return os.environ.get(RASA_URL_ENV) or started or DEFAULT_RASA_URL


def _rasa_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--rasa-url",
        default=_default_rasa_url(),
        help=f"the running Rasa server, or several separated by commas, each gets the model "
        f"(default: ${RASA_URL_ENV}, else the servers `supportbot run` started, else "
        f"{DEFAULT_RASA_URL}); "
        f"its API token is read from ${RASA_TOKEN_ENV}, never from the command line",
    )


def add_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `retrain`, `activate` and `restore` to the `supportbot training` sub-commands."""
    formatter = argparse.RawDescriptionHelpFormatter
    parser = subparsers.add_parser(
        "retrain",
        help="train a candidate model and compare it with the active one",
        description=RETRAIN_DESCRIPTION,
        formatter_class=formatter,
    )
    parser.add_argument(
        "--folds", type=_folds, default=3, help="cross-validation folds (default: 3; 0: none)"
    )
    parser.add_argument(
        "--holdout-share",
        type=_share,
        default=0.2,
        help="share of the labelled examples never trained on, tested (default: %(default)s)",
    )
    parser.add_argument(
        "--bitext-per-intent",
        type=_positive,
        default=30,
        help="Bitext held-back rows in the fixed test, per intent (default: %(default)s)",
    )
    parser.add_argument("--baseline", type=Path, help="compare with this model, not the active one")
    parser.add_argument(
        "--learned",
        type=Path,
        help="the labelled examples to train with (default: data/nlu/learned.yml), e.g. an "
        "export you want to try before committing it",
    )
    _gate_options(parser)
    parser.add_argument(
        "--activate", action="store_true", help="activate the candidate if it passes"
    )
    parser.add_argument("--force", action="store_true", help="with --activate: even if refused")
    _rasa_options(parser)
    parser.set_defaults(handler=handle_retrain)

    parser = subparsers.add_parser(
        "activate",
        help="load a model into the running Rasa without downtime (PUT /model)",
        description=(
            "Load MODEL (default: the newest candidate in models/candidates/) into the running "
            "Rasa server with its HTTP API (PUT /model). No message fails: those that arrive while "
            "Rasa loads it wait (up to minutes on busy cores: activate when the shop is quiet, "
            "the hub hands a conversation to a person after SUPPORTBOT_RASA_TIMEOUT_SECONDS). "
            "Refused unless `retrain` compared "
            "MODEL with the model Rasa serves now and it passed the gate (--force skips that). "
            "The model it replaces is recorded in models/active.json for `restore`."
        ),
    )
    parser.add_argument("model", nargs="?", type=Path, help="a model archive (.tar.gz)")
    _gate_options(parser)
    parser.add_argument(
        "--force", action="store_true", help="activate even if never evaluated or refused"
    )
    _rasa_options(parser)
    parser.set_defaults(handler=handle_activate)

    parser = subparsers.add_parser(
        "restore",
        help="put back the model served before the last activation",
        description=(
            "Load the previous model recorded in models/active.json into the running Rasa (PUT "
            "/model); the model it replaces becomes the previous one, so a second restore undoes "
            "the first."
        ),
    )
    _rasa_options(parser)
    parser.set_defaults(handler=handle_restore)


def _fail(error: RolloutError) -> int:
    sys.stderr.write(f"error: {error.message}\nnext: {error.hint}\n")
    return 2


def _token() -> str:
    token = os.environ.get(RASA_TOKEN_ENV, "")
    if not token:
        raise RolloutError(
            "rasa_token",
            f"${RASA_TOKEN_ENV} is not set: Rasa's HTTP API needs the token it was started with",
            f"start `supportbot run` with {RASA_TOKEN_ENV}=<a long random value> set, and set "
            "the same here",
        )
    return token


def _rules(args: argparse.Namespace) -> Rules:
    return Rules(margin=args.margin, min_support=args.min_support)


def handle_retrain(args: argparse.Namespace) -> int:
    options = RetrainOptions(
        folds=args.folds,
        holdout_share=args.holdout_share,
        bitext_per_intent=args.bitext_per_intent,
        baseline=args.baseline,
        learned=args.learned,
        rules=_rules(args),
    )
    try:
        token = _token() if args.activate else ""
        candidate, evaluation, verdict = retrain(options, _say)
        for line in report_lines(evaluation.evaluations, verdict):
            _say(line)
        _say(f"evaluation: {shown(evaluation_path(candidate))}")
        if not args.activate:
            if verdict.passed:
                _say(f"to activate it: supportbot training activate {shown(candidate)}")
            return 0 if verdict.passed else 1
        activate(
            candidate,
            rasa_url=args.rasa_url,
            token=token,
            rules=_rules(args),
            force=args.force,
            say=_say,
        )
    except RolloutError as error:
        return _fail(error)
    return 0


def newest_candidate() -> Path:
    found = sorted(CANDIDATES.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not found:
        raise RolloutError(
            "no_candidate",
            f"{shown(CANDIDATES)} has no model",
            "run `supportbot training retrain`, or name the model to activate",
        )
    return found[-1]


def handle_activate(args: argparse.Namespace) -> int:
    try:
        token = _token()
        model = args.model or newest_candidate()
        activate(
            model,
            rasa_url=args.rasa_url,
            token=token,
            rules=_rules(args),
            force=args.force,
            say=_say,
        )
    except RolloutError as error:
        return _fail(error)
    return 0


def handle_restore(args: argparse.Namespace) -> int:
    try:
        restore(rasa_url=args.rasa_url, token=_token(), say=_say)
    except RolloutError as error:
        return _fail(error)
    return 0
