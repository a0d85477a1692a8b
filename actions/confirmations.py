"""Yes and no: every change is made only after the customer said yes to the exact question."""

# ruff: noqa: ARG002 (rasa_sdk passes dispatcher, tracker and domain to every callback)
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.feedback import wrap_up
from actions.handoff import hand_over
from actions.run_task import Step, guarded
from actions.tasks import orders, problems, refunds, returns
from actions.turn import DETAIL_SLOTS, Turn


def _ticket(kind: str) -> Step:
    async def open_ticket(turn: Turn) -> None:
        await problems.do_ticket(turn, kind)

    return open_ticket


WRITES: dict[str, Step] = {
    "cancel": orders.do_cancel,
    "address": orders.do_change_address,
    "return": returns.do_return,
    "refund": refunds.do_refund,
    **{kind: _ticket(kind) for kind in problems.TICKETS},
}
# "No, but..." offers that switch to another task when accepted.
SWITCHES = {"return_instead": "return_item", "cancel_instead": "cancel_order"}


class ActionConfirm(Action):
    def name(self) -> str:
        return "action_confirm"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        turn = Turn(dispatcher, tracker)
        pending = turn.slot("pending_confirmation")
        turn.set("pending_confirmation", None)
        if pending in WRITES:
            await guarded(turn, WRITES[str(pending)])
        elif pending in SWITCHES:
            turn.set("task", SWITCHES[str(pending)])
            turn.clear_details()
            turn.next("run")
        elif pending == "handoff":
            await hand_over(turn, "requested")
        elif pending == "anything_else":
            dispatcher.utter_message(response="utter_what_else")
            turn.next("none")
        else:
            dispatcher.utter_message(response="utter_help")
            turn.next("none")
        return turn.events


class ActionDecline(Action):
    def name(self) -> str:
        return "action_decline"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        turn = Turn(dispatcher, tracker)
        pending = turn.slot("pending_confirmation")
        turn.set("pending_confirmation", None)
        if pending in WRITES:
            turn.say("Okay, I haven't changed anything.")
            turn.clear_details()
            turn.anything_else()
            turn.next("none")
        elif pending in (None, "anything_else"):
            wrap_up(turn)
        else:
            turn.say("Okay.")
            turn.anything_else()
            turn.next("none")
        return turn.events


class ActionStop(Action):
    """ "Stop" / "never mind": leave the form and forget the half-collected request."""

    def name(self) -> str:
        return "action_stop"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        turn = Turn(dispatcher, tracker)
        turn.events.append(ActiveLoop(None))  # the rules expect it, form or not
        for name in (*DETAIL_SLOTS, "pending_confirmation", "task", "requested_slot"):
            turn.set(name, None)
        dispatcher.utter_message(response="utter_stopped")
        turn.anything_else()
        return turn.events
