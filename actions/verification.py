"""Proving an order is yours: order number + email or phone, checked by the API. Whether an order
number exists is never said to someone who has not proved it is theirs."""

# ruff: noqa: ARG002 (rasa_sdk passes dispatcher, tracker and domain to every callback)
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import parsing
from actions.clients.ticketing_api import ApiRefusal, BackendUnavailable
from actions.handoff import backend_down, hand_over
from actions.turn import Turn

MAX_FAILURES = 3
VERIFY_ACTION = "action_verify_customer"
AGAIN = "Please send me your order number and the email address or phone number on the order."


def tried_on_latest_message(tracker: Tracker) -> bool:
    """action_verify_customer already ran since the customer's latest message."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "action" and event.get("name") == VERIFY_ACTION:
            return True
    return False


class ValidateVerifyForm(FormValidationAction):
    def name(self) -> str:
        return "validate_verify_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        # Started again after a refused check, Rasa's form re-extracts the email or phone from
        # the message that was refused (tracker.latest_action_name is then verify_form, not
        # action_verify_customer): clearing it makes the form ask for it again (the order
        # number is kept: the customer retypes only the contact), one attempt per message.
        if tried_on_latest_message(tracker):
            return [SlotSet("contact", None)]
        return await super().run(dispatcher, tracker, domain)

    def validate_order_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        number = parsing.order_number(str(value)) or parsing.order_number(
            tracker.latest_message.get("text")
        )
        if number is None:
            dispatcher.utter_message(
                text="That doesn't look like an order number: it's the number in your order "
                "confirmation email, 4 to 12 digits (for example 10234)."
            )
            return {"order_number": None}
        found_contact = parsing.contact(tracker.latest_message.get("text"))
        if found_contact and "".join(c for c in found_contact if c.isdigit()) == number:
            found_contact = None  # "12345678" alone is the order number, not also the phone
        if found_contact and not tracker.get_slot("contact"):
            return {"order_number": number, "contact": found_contact}
        return {"order_number": number}

    def validate_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        found = parsing.contact(str(value))
        # Asked again after a refusal, the customer may give another order number instead.
        retry = bool(tracker.get_slot("verify_failures"))
        other_order = parsing.order_number(str(value)) if found is None and retry else None
        if other_order is not None:
            return {"order_number": other_order, "contact": None}
        if found is None:
            dispatcher.utter_message(
                text="I need the email address (like ann@example.com) or the phone number "
                "(with at least 8 digits) that you used for the order."
            )
            return {"contact": None}
        return {"contact": found}


class ActionVerifyCustomer(Action):
    """Ask the API; remember the token for the rest of the conversation."""

    def name(self) -> str:
        return VERIFY_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        turn = Turn(dispatcher, tracker)
        if tried_on_latest_message(tracker):  # never a second API call for one message
            turn.set("order_number", None)
            turn.set("contact", None)
            turn.say(AGAIN)
            turn.next("none")
            return turn.events
        number, contact = turn.slot("order_number"), turn.slot("contact")
        try:
            verified = await turn.api.verify(
                str(number), str(contact), turn.conversation_id, turn.client_ip
            )
            verified_number, token = str(verified["order_number"]), str(verified["token"])
        except (BackendUnavailable, KeyError, TypeError):  # no answer, or not a verification
            await backend_down(turn)
            return turn.events
        except ApiRefusal as refusal:
            await _refused(turn, refusal)
            return turn.events
        turn.set("verified_order", verified_number)
        turn.set("order_number", verified_number)
        turn.set("verification_token", token)
        turn.set("customer_name", verified.get("customer_first_name"))
        turn.set("verify_failures", 0.0)
        turn.say(
            f"Thanks, {verified.get('customer_first_name') or 'that matches'}: you're verified."
        )
        turn.next("run")
        return turn.events


async def _refused(turn: Turn, refusal: ApiRefusal) -> None:
    """One refusal costs one try. The same words whether the order or the contact was wrong
    (nobody learns which orders exist); the order number is kept, so the customer retypes only
    the email or phone, or gives another order number instead."""
    failures = int(turn.slot("verify_failures") or 0) + 1
    turn.set("verify_failures", float(failures))
    turn.set("contact", None)
    if refusal.status == 429 or failures >= MAX_FAILURES:
        turn.set("order_number", None)
        turn.say(
            refusal.message
            if refusal.status == 429
            else "I still couldn't verify those details, so I can't show or change that order."
        )
        turn.ask("Would you like me to pass you to a colleague?", pending="handoff")
        turn.next("none")
        return
    if refusal.status in (400, 401, 403, 404, 422):
        left = MAX_FAILURES - failures
        tries = "1 more try" if left == 1 else f"{left} more tries"
        turn.say(
            f"I couldn't verify those details. Please type the email address or phone number "
            f"you gave when ordering ({tries}), or another order number if this one was mistyped."
        )
        turn.next("verify")
        return
    await hand_over(turn, "other")
