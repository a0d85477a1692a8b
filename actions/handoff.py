"""Handing the conversation to a person: on request, after repeated misunderstandings, when the
customer is angry, or when the backend is down."""

# ruff: noqa: ARG002 (rasa_sdk passes dispatcher, tracker and domain to every callback)
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import clarify, learning
from actions.clients.ticketing_api import ApiRefusal, BackendUnavailable, idempotency_key
from actions.mood import is_angry
from actions.turn import Turn

SUPPORT_EMAIL = "support@demo-shop.example"
DOWN = (
    "I'm sorry: our order system isn't answering right now, so I can't do that at the moment. "
    f"Please try again in a few minutes, or write to {SUPPORT_EMAIL} and a colleague will help."
)
MAX_FALLBACKS = 2
OFFER_PERSON = [
    {"title": "Yes, a person please", "payload": "/affirm"},
    {"title": "No, I'll rephrase", "payload": "/deny"},
]


def _user_turns(turn: Turn) -> int:
    return sum(1 for event in turn.tracker.events if event.get("event") == "user")


async def hand_over(turn: Turn, reason: str) -> None:
    """Escalate to a human with the whole context, and tell the customer what happens next."""
    request: dict[str, Any] = {
        "conversation_id": turn.conversation_id,
        "channel": turn.channel,
        "reason": reason,
        "summary": turn.summary(),
    }
    # The same turn retried sends the same request, hence the same key; the backend also keeps
    # one open handoff per conversation.
    key = idempotency_key("handoff", request, _user_turns(turn))
    try:
        ticket = await turn.api.handoff(request, key=key)
        if not isinstance(ticket, dict):
            raise BackendUnavailable("POST /api/handoffs: not a handoff")
    except (BackendUnavailable, ApiRefusal):
        turn.say(
            "I wanted to pass you to a colleague, but our support system isn't answering "
            f"right now. Please write to {SUPPORT_EMAIL} (mention this chat) or try again in "
            "a few minutes. I'm sorry for the trouble."
        )
        turn.next("none")
        return
    turn.set("handed_off", True)
    turn.set("ticket_number", ticket.get("number"))
    turn.set("pending_confirmation", None)
    turn.say(
        str(
            ticket.get("message")
            or f"I've passed this to a colleague (ticket {ticket.get('number')})."
        )
    )
    turn.next("none")


async def backend_down(turn: Turn) -> None:
    """An action could not reach the backend: apologise honestly and escalate."""
    turn.say(DOWN)
    await hand_over(turn, "backend_down")


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        turn = Turn(dispatcher, tracker)
        reason = "angry" if is_angry(turn.text) else "requested"
        await hand_over(turn, reason)
        turn.events.append(ActiveLoop(None))  # the rules expect it, form or not
        return turn.events


class ActionHandleFallback(Action):
    """Not understood, or out of the shop's scope. The first miss offers the likely requests as
    buttons (or says honestly what the bot can't do, and what it can); the second offers a
    person (with the likely requests, if there are any); the third hands over (at once when
    the customer is angry). An understood request resets the count."""

    def name(self) -> str:
        return "action_handle_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        turn = Turn(dispatcher, tracker)
        await missed(turn)
        return turn.events


async def missed(turn: Turn) -> None:
    """One more message the bot could not act on (see ActionHandleFallback)."""
    count = int(turn.slot("fallback_count") or 0) + 1
    turn.set("fallback_count", float(count))
    choices = clarify.candidates(turn.tracker.latest_message)
    out_of_scope = turn.intent == "out_of_scope"
    await learning.report(turn, learning.OUT_OF_SCOPE if out_of_scope else learning.FALLBACK)
    if is_angry(turn.text):
        turn.say("I'm sorry, I'm clearly not helping. Let me get a colleague for you.")
        await hand_over(turn, "angry")
        if learning.handed_over_now(turn):
            await learning.report(turn, learning.HANDOFF)
    elif count > MAX_FALLBACKS:
        turn.say("Sorry, I still don't understand. I'll pass you to a colleague.")
        await hand_over(turn, "fallback")
        if learning.handed_over_now(turn):
            await learning.report(turn, learning.HANDOFF)
        turn.set("fallback_count", 0.0)
    elif count == MAX_FALLBACKS and not (choices and not out_of_scope):
        turn.say(
            "Sorry, I still don't understand. Shall I pass you to a colleague?",
            buttons=OFFER_PERSON,
        )
        turn.set("pending_confirmation", clarify.FALLBACK_HANDOFF)
    elif out_of_scope:
        turn.dispatcher.utter_message(response="utter_out_of_scope")
        turn.dispatcher.utter_message(response="utter_help")
    elif choices:
        # Likely requests are worth a button even after an earlier miss (often an honest
        # out-of-scope question before the real request); the second time a person is one.
        clarify.offer(turn, choices, with_person=count >= MAX_FALLBACKS)
    else:
        turn.say("Sorry, I didn't quite get that. Could you say it another way?")
        turn.dispatcher.utter_message(response="utter_help")
