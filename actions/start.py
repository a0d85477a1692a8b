"""A new request (or a detail given on its own): decide what happens next."""

# ruff: noqa: ARG002 (rasa_sdk passes dispatcher, tracker and domain to every callback)
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import parsing
from actions.handoff import hand_over, missed
from actions.mood import anger_score
from actions.task_names import NEEDS_ORDER, TASKS
from actions.turn import Turn


def _entities_now(tracker: Tracker) -> set[str]:
    return {str(e.get("entity")) for e in tracker.latest_message.get("entities", [])}


class ActionStartTask(Action):
    def name(self) -> str:
        return "action_start_task"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        turn = Turn(dispatcher, tracker)
        turn.events.append(ActiveLoop(None))  # the rules expect it, form or not
        turn.set("fallback_count", 0.0)
        intent = turn.intent
        mood = anger_score(turn.text)
        if mood >= 2:
            turn.say("I'm really sorry about this. I'll get a colleague to look at it with you.")
            await hand_over(turn, "angry")
            return turn.events
        if mood == 1:
            turn.say("I'm sorry for the trouble. Let's sort it out.")

        if intent in TASKS:
            if intent != turn.slot("task"):
                turn.set("task", intent)
            turn.set("pending_confirmation", None)
            turn.clear_details(keep=_slots_from_entities(tracker))
        task = turn.slot("task")
        if task is None:
            if turn.slot("order_number") or parsing.order_number(turn.text):
                task = "order_status"
                turn.set("task", task)
            else:
                # A detail with no request to belong to ("the blue one", "size 9"): not
                # understood, so ask (the likely requests as buttons) instead of guessing.
                turn.next("none")
                await missed(turn)
                return turn.events

        mentioned = turn.slot("order_number") or parsing.order_number(turn.text)
        if task in NEEDS_ORDER or (task == "complaint" and mentioned):
            if turn.order is None or (mentioned and str(mentioned) != turn.order):
                await _switch_or_verify(turn, str(mentioned) if mentioned else None)
                return turn.events
        turn.next("run")
        return turn.events


def _slots_from_entities(tracker: Tracker) -> set[str]:
    """Detail slots the current message itself fills ("return the shoes, they don't fit")."""
    names = _entities_now(tracker)
    return {
        name for name in ("item", "return_reason", "item_condition", "resolution") if name in names
    }


async def _switch_or_verify(turn: Turn, number: str | None) -> None:
    """Another order of an already verified customer needs no new check: the token covers every
    order of that customer, and the API refuses orders that are not theirs. Unless the message
    gives an email or phone with it ("my order 10807 is broken, sophie@example.org"): that is
    proof for that order (perhaps a partner's), checked before anything is offered on it."""
    given = parsing.contact(turn.text)
    if number and turn.order and turn.slot("verification_token") and not given:
        turn.set("order_number", number)
        turn.set("verified_order", number)
        turn.next("run")
        return
    if number:
        turn.set("order_number", number)
    if given:
        turn.set("contact", given)
    turn.next("verify")
