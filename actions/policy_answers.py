"""Policy questions and delivery options, answered from the backend's policy."""

# ruff: noqa: ARG002 (rasa_sdk passes dispatcher, tracker and domain to every callback)
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import policy_faq
from actions.clients.ticketing_api import ApiRefusal, BackendUnavailable
from actions.turn import Turn


async def _policy(turn: Turn) -> dict[str, Any] | None:
    try:
        policy: dict[str, Any] = await turn.api.policy()
    except (BackendUnavailable, ApiRefusal):
        turn.say(
            "I'm sorry, I can't look up our policies right now because our system isn't "
            "answering. Please try again in a few minutes."
        )
        return None
    return policy


class ActionAnswerPolicy(Action):
    def name(self) -> str:
        return "action_answer_policy"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        turn = Turn(dispatcher, tracker)
        policy = await _policy(turn)
        if policy is not None:
            entry, _score = policy_faq.index_for(policy).best(turn.text)
            if entry is None:
                turn.say(
                    "I'm not sure I have the answer to that. I can tell you about returns, "
                    "refunds, cancellations, delivery, warranty and payment, or pass you to a "
                    'colleague (just say "agent").'
                )
            else:
                turn.say(entry.answer)
                turn.solved()
        return turn.events


class ActionDeliveryOptions(Action):
    def name(self) -> str:
        return "action_delivery_options"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        turn = Turn(dispatcher, tracker)
        policy = await _policy(turn)
        if policy is not None:
            shipping = next(e for e in policy_faq.entries(policy) if e.topic == "shipping")
            turn.say(shipping.answer)
        return turn.events
