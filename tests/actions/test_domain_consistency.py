"""actions/ and domain.yml agree: every declared action exists, every response, slot, next_step
and pending confirmation an action uses is declared or handled."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Action, FormValidationAction

import actions
from actions import confirmations, run_task, start
from tests.actions.helpers import DOMAIN, REPO

ACTIONS_DIR = REPO / "actions"


def _modules() -> list[Any]:
    return [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(actions.__path__, prefix="actions.")
    ]


def _action_classes() -> list[type[Action]]:
    found = []
    for module in _modules():
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, Action)
                and cls.__module__ == module.__name__
                and not inspect.isabstract(cls)
            ):
                found.append(cls)
    return found


REGISTERED = {cls().name(): cls for cls in _action_classes()}


def _calls() -> list[tuple[Path, ast.Call]]:
    calls = []
    for path in sorted(ACTIONS_DIR.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls += [(path, node) for node in ast.walk(tree) if isinstance(node, ast.Call)]
    return calls


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _literal(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _first_args(function: str) -> set[str]:
    return {
        value
        for _, call in _calls()
        if _name(call) == function and call.args and (value := _literal(call.args[0]))
    }


def _keyword_values(keyword: str) -> set[str]:
    return {
        value
        for _, call in _calls()
        for kw in call.keywords
        if kw.arg == keyword and (value := _literal(kw.value))
    }


def test_the_search_finds_the_actions() -> None:
    assert len(REGISTERED) >= 16
    assert len(_calls()) > 100


def test_every_domain_action_is_registered() -> None:
    missing = set(DOMAIN["actions"]) - set(REGISTERED)
    assert not missing, f"declared in domain.yml but no Action class: {sorted(missing)}"


def test_every_registered_action_is_declared() -> None:
    undeclared = set(REGISTERED) - set(DOMAIN["actions"])
    assert not undeclared, f"Action classes missing from domain.yml: {sorted(undeclared)}"


def test_action_names_are_unique() -> None:
    names = [cls().name() for cls in _action_classes()]
    assert len(names) == len(set(names))


def test_every_dispatched_response_exists() -> None:
    used = _keyword_values("response")
    assert used, "no response=... found"
    assert all(name.startswith("utter_") for name in used)
    missing = used - set(DOMAIN["responses"])
    assert not missing, f"dispatched but not in domain.yml responses: {sorted(missing)}"


def test_every_slot_an_action_sets_exists() -> None:
    used = _first_args("set") | _first_args("SlotSet")
    assert "next_step" in used and "verified_order" in used
    missing = used - set(DOMAIN["slots"]) - {"requested_slot"}
    assert not missing, f"set by actions but not in domain.yml slots: {sorted(missing)}"


def test_every_slot_an_action_reads_exists() -> None:
    used = _first_args("slot") | _first_args("get_slot")
    missing = used - set(DOMAIN["slots"]) - {"requested_slot"}
    assert not missing, f"read by actions but not in domain.yml slots: {sorted(missing)}"


def test_every_next_step_is_a_value_of_the_slot() -> None:
    used = _first_args("next")
    values = set(DOMAIN["slots"]["next_step"]["values"])
    assert used, "no turn.next(...) found"
    assert used <= values, sorted(used - values)


def test_every_pending_question_is_handled_by_a_yes() -> None:
    asked = _keyword_values("pending")
    handled = set(confirmations.WRITES) | set(confirmations.SWITCHES) | {"handoff"}
    assert asked, "no ask(..., pending=...) found"
    assert asked <= handled, sorted(asked - handled)


def test_every_task_runs() -> None:
    assert set(run_task.TASKS) == start.TASKS
    assert start.TASKS <= set(DOMAIN["intents"])
    switched_to = set(confirmations.SWITCHES.values())
    assert switched_to <= set(run_task.TASKS)


@pytest.mark.parametrize("form", sorted(DOMAIN["forms"]))
def test_every_form_slot_is_asked_and_validated(form: str) -> None:
    slots = list(DOMAIN["forms"][form]["required_slots"])
    if form == "details_form":
        slots = sorted({s for names in run_task.DETAILS.values() for s in names})
    validator = next(
        cls
        for cls in REGISTERED.values()
        if issubclass(cls, FormValidationAction) and cls().form_name() == form
    )
    for slot in slots:
        assert slot in DOMAIN["slots"], slot
        assert f"utter_ask_{slot}" in DOMAIN["responses"], slot
        assert hasattr(validator, f"validate_{slot}"), slot


def test_every_validator_is_for_a_slot() -> None:
    for cls in REGISTERED.values():
        if issubclass(cls, FormValidationAction):
            for name in dir(cls):
                if name.startswith("validate_"):
                    assert name.removeprefix("validate_") in DOMAIN["slots"], name
