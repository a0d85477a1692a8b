"""One verification attempt per customer message: after a refusal, Rasa starts verify_form again
and its activation re-extracts order number and email from the refused message; that must not
reach POST /api/verifications a second time."""

from __future__ import annotations

from typing import Any

import respx

from actions.verification import ActionVerifyCustomer, ValidateVerifyForm
from tests.actions.helpers import (
    ORDER,
    Outcome,
    entity,
    error_json,
    make_tracker,
    run,
    sent,
    user_event,
)

FAILED = (
    "We couldn't verify those details. Please check the order number and use the email "
    "address or phone number you gave when ordering."
)
TYPO = f"order {ORDER}, email ann@exampl.com"
ENTITIES = [entity("order_number", ORDER), entity("email", "ann@exampl.com")]
FILLED = {"order_number": ORDER, "contact": "ann@exampl.com"}


def action(name: str) -> dict[str, Any]:
    return {"event": "action", "timestamp": 1.0, "name": name}


def slot(name: str, value: object) -> dict[str, Any]:
    return {"event": "slot", "timestamp": 1.0, "name": name, "value": value}


def loop(name: str | None) -> dict[str, Any]:
    return {"event": "active_loop", "timestamp": 1.0, "name": name}


class Conversation:
    """The events Rasa records for one customer message, and the trackers it sends to the
    action server along the way (latest_action_name as Rasa computes it)."""

    def __init__(self, text: str, entities: list[dict[str, Any]]) -> None:
        self.text, self.entities = text, entities
        self.after: list[dict[str, Any]] = [
            action("action_start_task"),
            slot("next_step", "verify"),
        ]
        self.slots: dict[str, Any] = {"task": "order_status", "next_step": "verify"}

    def form_activation(self) -> Outcome:
        """verify_form starts: action_extract_slots fills both slots from the message, then
        the form validates them (on a temporary tracker ending in ActionExecuted(verify_form))."""
        candidates = [slot(name, value) for name, value in FILLED.items()]
        extra = [slot("requested_slot", None), action("verify_form"), *candidates]
        outcome = self._run(ValidateVerifyForm(), [*self.after, *extra], "verify_form")
        self._record(action("verify_form"), loop("verify_form"), *candidates, *outcome.events)
        if self.slots.get("order_number") and self.slots.get("contact"):
            self._record(slot("requested_slot", None), loop(None))
        return outcome

    def verify(self) -> Outcome:
        outcome = self._run(ActionVerifyCustomer(), self.after, "verify_form")
        self._record(action("action_verify_customer"), *outcome.events)
        return outcome

    def _run(self, act: Any, after: list[dict[str, Any]], latest: str) -> Outcome:
        tracker = make_tracker(
            self.text, "inform", entities=self.entities, slots=self.slots, after=after
        )
        tracker.latest_action_name = latest
        return run(act, tracker)

    def _record(self, *events: dict[str, Any]) -> None:
        self.after.extend(events)
        for event in events:
            if event.get("event") == "slot":
                self.slots[event["name"]] = event["value"]


def test_one_message_with_a_typo_is_one_failed_attempt(api: respx.MockRouter) -> None:
    route = api.post("/api/verifications").respond(401, json=error_json(FAILED))
    chat = Conversation(TYPO, ENTITIES)
    assert chat.form_activation().slots == FILLED
    refused = chat.verify()
    assert refused.slots["verify_failures"] == 1
    assert refused.next_step == "verify"
    # The rules start verify_form again on the same message: the refused email is not taken
    # from it again; the order number stays, so the form asks only for the email or phone.
    again = chat.form_activation()
    assert again.slots == {"contact": None}
    assert chat.slots["order_number"] == ORDER
    assert again.messages == []
    assert route.call_count == 1
    assert chat.slots["verify_failures"] == 1


def test_the_refusal_asks_once_and_a_new_message_is_a_new_attempt(api: respx.MockRouter) -> None:
    api.post("/api/verifications").respond(401, json=error_json(FAILED))
    chat = Conversation(TYPO, ENTITIES)
    chat.form_activation()
    refused = chat.verify()
    assert refused.texts == [
        "I couldn't verify those details. Please type the email address or phone number you "
        "gave when ordering (2 more tries), or another order number if this one was mistyped."
    ]
    chat.form_activation()
    # The customer writes again (corrected): validated as usual.
    corrected = f"order {ORDER}, email ann@example.com"
    history = [user_event(TYPO, "inform", ENTITIES), *chat.after, action("action_listen")]
    tracker = make_tracker(
        corrected,
        "inform",
        entities=[entity("order_number", ORDER), entity("email", "ann@example.com")],
        slots={**chat.slots, "order_number": ORDER, "requested_slot": "order_number"},
        history=history[1:],
        after=[slot("order_number", ORDER)],
        active_loop="verify_form",
    )
    outcome = run(ValidateVerifyForm(), tracker)
    assert outcome.slots == {"order_number": ORDER, "contact": "ann@example.com"}


def test_the_action_never_sends_one_message_twice(api: respx.MockRouter) -> None:
    route = api.post("/api/verifications").respond(401, json=error_json(FAILED))
    tracker = make_tracker(
        TYPO,
        "inform",
        entities=ENTITIES,
        slots={**FILLED, "verify_failures": 1.0},
        after=[action("verify_form"), action("action_verify_customer"), action("verify_form")],
    )
    outcome = run(ActionVerifyCustomer(), tracker)
    assert route.call_count == 0
    assert sent(api) == []
    assert outcome.slots["order_number"] is None and outcome.slots["contact"] is None
    assert "verify_failures" not in outcome.slots
    assert outcome.next_step == "none"
    assert outcome.said("order number", "email address or phone number")
