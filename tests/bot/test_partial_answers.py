"""If a custom action fails, Rasa 3.6 answers with what was said before it and drops the rest.
The hub hands the conversation to a person only when Rasa answers nothing at all, so no rule or
story may have the bot say something right before a custom action (or a form, whose
validation is a custom action): a failing action must leave the answer empty, never partial."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
BUILT_IN = {"action_listen", "action_restart", "action_back", "action_deactivate_loop"}
# "Are you a bot?" inside a form: the answer is a plain response, then the form asks again.
# With the action server down the customer gets the answer without the form's question; their
# next message runs the form's validation alone, Rasa answers nothing, and the hub hands over.
# So the partial answer lasts one turn; nothing else may be added to this list.
ONE_TURN_PARTIAL = {
    "bot_challenge inside verify_form",
    "bot_challenge inside details_form",
    "bot_challenge inside feedback_form",
}


def _custom(step: dict[str, Any]) -> bool:
    name = str(step.get("action", ""))
    return (name.startswith("action_") and name not in BUILT_IN) or name.endswith("_form")


def _utter_then_custom(steps: list[Any]) -> list[str]:
    found = []
    for said, then in zip(steps, steps[1:], strict=False):
        if isinstance(said, dict) and isinstance(then, dict):
            if str(said.get("action", "")).startswith("utter_") and _custom(then):
                found.append(f"{said['action']} -> {then['action']}")
    return found


def test_the_bot_never_speaks_right_before_a_custom_action():
    offenders = []
    files = sorted((ROOT / "data" / "rules").glob("*.yml"))
    files += sorted((ROOT / "data" / "stories").glob("*.yml"))
    for path in files:
        data = yaml.safe_load(path.read_text()) or {}
        for item in (data.get("rules") or []) + (data.get("stories") or []):
            name = item.get("rule") or item.get("story")
            if name in ONE_TURN_PARTIAL:
                continue
            pairs = _utter_then_custom(item["steps"])
            offenders += [f"{path.name}: {name}: {pair}" for pair in pairs]

    assert len(files) > 3
    assert offenders == []


def test_the_check_catches_an_utterance_before_a_form():
    steps = [{"intent": "greet"}, {"action": "utter_greet"}, {"action": "verify_form"}]

    assert _utter_then_custom(steps) == ["utter_greet -> verify_form"]
