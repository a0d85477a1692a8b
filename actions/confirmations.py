"""Yes and no: every change is made only after the customer said yes to the exact question."""

# ruff: noqa: ARG002 (rasa_sdk passes dispatcher, tracker and domain to every callback)
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import clarify, learning, proposals
from actions.feedback import wrap_up
from actions.handoff import hand_over
from actions.run_task import Step, guarded
from actions.start import NEEDS_ORDER, TASKS
from actions.tasks import (
    address_change,
    orders,
    problems,
    refunds,
    return_changes,
    return_refusals,
    returns,
)
from actions.tasks.return_choice import CHANGING, PROPOSALS
from actions.turn import DETAIL_SLOTS, Turn


def _ticket(kind: str) -> Step:
    async def open_ticket(turn: Turn) -> None:
        await problems.do_ticket(turn, kind)

    return open_ticket


WRITES: dict[str, Step] = {
    "cancel": orders.do_cancel,
    "address": address_change.do_change_address,
    "return": returns.do_return,
    "return_revised": returns.do_return,  # asked again after a change ("no, just one")
    "refund": refunds.do_refund,
    **{kind: _ticket(kind) for kind in problems.TICKETS},
}
# "No, but..." offers that switch to another task when accepted.
SWITCHES = {
    "return_instead": "return_item",
    "cancel_instead": "cancel_order",
    "exchange_instead": "exchange_item",
}
# Details a switch keeps: the item and why stay the same when a return becomes an exchange.
KEPT_BY_SWITCH = {"exchange_instead": {"item", "return_reason", "item_condition"}}


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
            await _write_once(turn, str(pending))
        elif pending in SWITCHES:
            turn.set("task", SWITCHES[str(pending)])
            turn.clear_details(keep=KEPT_BY_SWITCH.get(str(pending)))
            turn.next("run")
        elif pending == "handoff":
            await hand_over(turn, "requested")
        elif pending == clarify.FALLBACK_HANDOFF:
            await hand_over(turn, "fallback")
            # the message the bot missed is the one before this "yes"
            if learning.handed_over_now(turn):
                await learning.report(turn, learning.HANDOFF, messages_back=1)
        elif clarify.is_pending(pending):
            await _take_first_choice(turn, str(pending))
        elif pending == CHANGING:
            await guarded(turn, return_changes.propose_again)
        elif pending == "anything_else" and (refused := return_refusals.refused_just_now(turn)):
            return_refusals.insist(turn, refused, [])  # "yes please return it" after a refusal
            turn.next("none")
        elif pending == "anything_else":
            dispatcher.utter_message(response="utter_what_else")
            turn.next("none")
        else:
            dispatcher.utter_message(response="utter_help")
            turn.next("none")
        return turn.events


async def _write_once(turn: Turn, pending: str) -> None:
    """Make the change the customer said yes to, unless it was already made; a change that
    went through (the step marked the request solved) is remembered as done."""
    proposal = turn.slot(proposals.PENDING_SLOT)
    turn.set(proposals.PENDING_SLOT, None)
    if proposals.is_done(turn, proposal):
        turn.say(proposals.already_done(pending, turn.order, turn.slot("ticket_number")))
        turn.anything_else()
        turn.next("none")
        return
    made_before = len(turn.events)
    await guarded(turn, WRITES[pending])
    if any(_is_solved(event) for event in turn.events[made_before:]):
        proposals.remember_done(turn, proposal)


def _is_solved(event: EventType) -> bool:
    return (
        event.get("event") == "slot"
        and event.get("name") == "resolved"
        and bool(event.get("value"))
    )


async def _take_first_choice(turn: Turn, pending: str) -> None:
    """A typed "yes" to "Do you want to: ...?": the first request offered."""
    choice = clarify.first_choice(pending)
    if choice == "human_agent":
        await hand_over(turn, "requested")
    elif choice in TASKS:
        turn.set("task", choice)
        turn.set("fallback_count", 0.0)
        turn.clear_details()
        turn.next("run" if turn.order or choice not in NEEDS_ORDER else "verify")
    else:
        turn.say("Please tap one of the options above, or tell me in other words what you need.")
        turn.set("pending_confirmation", pending)
        turn.next("none")


class ActionDecline(Action):
    def name(self) -> str:
        return "action_decline"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        turn = Turn(dispatcher, tracker)
        pending = turn.slot("pending_confirmation")
        turn.set("pending_confirmation", None)
        if pending in (*PROPOSALS, CHANGING):
            await guarded(turn, lambda t: return_changes.decline(t, str(pending)))
        elif pending in WRITES:
            turn.say("Okay, I haven't changed anything.")
            turn.clear_details()
            turn.anything_else()
            turn.next("none")
        elif pending in (None, "anything_else"):
            wrap_up(turn)
        elif pending == clarify.FALLBACK_HANDOFF or clarify.is_pending(pending):
            if clarify.is_pending(pending):  # "Something else": none of the guesses was it
                await learning.report(turn, learning.CLARIFICATION_REJECTED, messages_back=1)
            clarify.rephrase(turn)
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
        forgotten = (
            *DETAIL_SLOTS,
            *returns.FOLLOW_UPS,
            "pending_confirmation",
            proposals.PENDING_SLOT,
            "task",
        )
        for name in (*forgotten, "requested_slot"):
            turn.set(name, None)
        dispatcher.utter_message(response="utter_stopped")
        turn.anything_else()
        return turn.events
