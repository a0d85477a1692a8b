"""Run the current task for the verified order, and the form that collects its details."""

# ruff: noqa: ARG002 (rasa_sdk passes dispatcher, tracker and domain to every callback)
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import parsing
from actions.clients.ticketing_api import ApiRefusal, BackendUnavailable
from actions.handoff import backend_down
from actions.tasks import (
    address_change,
    exchanges,
    order_lines,
    orders,
    problems,
    refunds,
    return_choice,
    returns,
)
from actions.turn import Turn

Step = Callable[[Turn], Awaitable[None]]
logger = logging.getLogger(__name__)

TASKS: dict[str, Step] = {
    "order_status": orders.order_status,
    "cancel_order": orders.cancel_order,
    "change_shipping_address": address_change.change_shipping_address,
    "return_item": returns.return_item,
    "exchange_item": returns.return_item,
    "refund_request": refunds.refund_request,
    "refund_status": refunds.refund_status,
    "damaged_or_wrong_item": problems.damaged_or_wrong_item,
    "late_delivery": problems.late_delivery,
    "payment_issue": problems.payment_issue,
    "complaint": problems.complaint,
}
# The details each task collects in details_form, in the order they are asked (a return asks
# those return_choice.details_needed picks: how many only when asked, the wish for exchanges).
RETURN_DETAILS = [
    "item",
    "return_quantity",
    "return_reason",
    "item_condition",
    "resolution",
    "exchange_for",
]
DETAILS = {
    "change_shipping_address": ["new_address"],
    "return_item": RETURN_DETAILS,
    "exchange_item": RETURN_DETAILS,
    "complaint": ["complaint_category", "complaint_description"],
}


ASK_REASON_AGAIN = (
    "I couldn't tell the reason from that: please pick the closest one below, or tell me in "
    "a few words."
)


def _bot_said_last_turn(tracker: Tracker) -> list[str]:
    """What the bot said between the customer's previous message and the latest one."""
    said: list[str] = []
    users = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users += 1
            if users == 2:
                break
        elif event.get("event") == "bot" and users == 1:
            said.append(str(event.get("text") or ""))
    return said


async def guarded(turn: Turn, step: Step) -> None:
    """Run a step; turn backend failures and refusals into honest answers, never silence."""
    try:
        await step(turn)
    except BackendUnavailable:
        await backend_down(turn)
    except (KeyError, TypeError, AttributeError):
        # JSON of the wrong shape (a proxy's error object, a changed schema): no usable answer.
        logger.exception("unexpected answer from the ticketing API")
        await backend_down(turn)
    except ApiRefusal as refusal:
        if refusal.status == 401:
            turn.say("For your security, please confirm the order number and email or phone again.")
            for name in ("verified_order", "verification_token", "contact"):
                turn.set(name, None)
            turn.next("verify")
            return
        if refusal.status == 404 and turn.order:
            turn.say(
                f"I can't find order {turn.order} among your orders. If it was placed by someone "
                "else, I'll need its email or phone number."
            )
            for name in ("verified_order", "order_number"):
                turn.set(name, None)
        else:
            turn.say(refusal.message)
        turn.set("pending_confirmation", None)
        turn.anything_else()
    if not any(e.get("name") == "next_step" for e in turn.events if e.get("event") == "slot"):
        turn.next("none")


class ActionRunTask(Action):
    def name(self) -> str:
        return "action_run_task"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        turn = Turn(dispatcher, tracker)
        step = TASKS.get(str(turn.slot("task")))
        if step is None:
            dispatcher.utter_message(response="utter_help")
            turn.next("none")
            return turn.events
        await guarded(turn, step)
        return turn.events


TASK_ACTIONS = {"action_run_task", "action_start_task", "action_confirm", "action_decline"}


def settled_this_turn(tracker: Tracker) -> str | None:
    """The order lines a task action settled since the customer's message ("1 × Leather
    sneakers, white, EU 42"), if any."""
    settled: str | None = None
    action = None
    for event in tracker.events:
        kind = event.get("event")
        if kind == "user":
            settled, action = None, None
        elif kind == "action":
            action = event.get("name")
        elif kind == "slot" and event.get("name") == "item" and action in TASK_ACTIONS:
            # Rasa's own re-extraction lands after the task's events, before the form's
            # ActionExecuted: a raw value there is not the task's.
            value = event.get("value")
            if value is None or order_lines.is_settled(value):
                settled = value
    return settled


class ValidateDetailsForm(FormValidationAction):
    def name(self) -> str:
        return "validate_details_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Rasa extracts the customer's message again each time the form starts (its
        `action_extract_slots` at activation): "sneakers" must not undo the "1 × Leather
        sneakers, white, EU 42" the task read from that same message, or the task settles it
        again, restarts the form, and the two loop until Rasa's circuit breaker stops them."""
        settled = settled_this_turn(tracker)
        if settled is None or tracker.get_slot("item") == settled:
            return await super().run(dispatcher, tracker, domain)
        tracker.slots["item"] = settled
        return [SlotSet("item", settled), *await super().run(dispatcher, tracker, domain)]

    def domain_slots(self, domain: DomainDict) -> list[str]:
        """Every detail any task asks for. domain.yml lists none (the task decides); without
        this rasa_sdk warns "No method 'extract_<slot>' found" on every turn of the form."""
        return sorted({slot for slots in DETAILS.values() for slot in slots})

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        task = str(tracker.get_slot("task"))
        if DETAILS.get(task) is RETURN_DETAILS:
            return return_choice.details_needed(task, tracker.get_slot)
        return DETAILS.get(task, [])

    async def validate_new_address(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The backend reads the address as typed; its 422 says which field is missing, and
        the form asks again. Without an answer the text is kept for the task step."""
        turn = Turn(dispatcher, tracker)
        if not turn.order:
            return {"new_address": address_change.form_answer(value)}
        try:
            await address_change.read_address(turn, turn.order, str(value))
        except (ApiRefusal, BackendUnavailable):
            return {"new_address": address_change.form_answer(value)}
        return {"new_address": turn.slot("new_address")}  # None after a refusal: asked again

    def validate_item(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = parsing.clip(str(value), 200)
        return {"item": text or None}

    def validate_return_quantity(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The answer to "How many of the 2 × Scented candle ...?": 1 up to the 2."""
        asked = return_choice.QUANTITY_ASKED.match(str(tracker.get_slot("return_quantity_of")))
        most = int(asked.group(1)) if asked else None
        count = parsing.quantity(str(value), everything=most)
        span = f" from 1 to {most}" if most else ""
        if count is None:
            dispatcher.utter_message(text=f"Please answer with a number{span}.")
        elif count < 1:
            dispatcher.utter_message(text=f"A return needs at least 1. Please pick a number{span}.")
        elif most is not None and count > most:
            dispatcher.utter_message(text=f"You can return at most {most}.")
        else:
            return {"return_quantity": count}
        return {"return_quantity": None}

    def validate_exchange_for(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        wish = exchanges.wish(str(value))
        if wish is None:
            dispatcher.utter_message(
                text='Please tell me the size or colour you\'d like instead (for example "size M", '
                '"in blue" or "one size up").'
            )
        return {"exchange_for": wish}

    def validate_return_reason(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A reason read from the customer's words; what can't be read is asked once more
        with the choices, and only an answer to that question is noted as `other`."""
        reason = parsing.return_reason(str(value))
        if reason is None and ASK_REASON_AGAIN not in _bot_said_last_turn(tracker):
            dispatcher.utter_message(text=ASK_REASON_AGAIN)  # the form then asks, with choices
            return {"return_reason": None}
        return {"return_reason": reason or "other"}

    def validate_item_condition(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        condition = parsing.item_condition(str(value))
        if condition is None:
            dispatcher.utter_message(text="Please pick one: unopened, like new, used or damaged.")
        return {"item_condition": condition}

    def validate_resolution(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        chosen = parsing.resolution(str(value))
        if chosen is None:
            dispatcher.utter_message(text="Please pick one: a refund, an exchange or store credit.")
        return {"resolution": chosen}

    def validate_complaint_category(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {"complaint_category": parsing.complaint_category(str(value)) or "other"}

    def validate_complaint_description(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = parsing.clip(str(value), 5000)
        if len(text) < 3:
            dispatcher.utter_message(text="Could you tell me a bit more about what happened?")
            return {"complaint_description": None}
        return {"complaint_description": text}
