"""The end of a conversation: a 1-5 rating and an optional comment, stored through the API."""

# ruff: noqa: ARG002 (rasa_sdk passes dispatcher, tracker and domain to every callback)
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import parsing
from actions.clients.ticketing_api import ApiRefusal, BackendUnavailable
from actions.turn import Turn

# A custom payload for the conversations hub (never shown to the customer): the bot solved it.
BOT_RESOLVED = {"supportbot": "bot_resolved"}
RATING_KEPT = "rating_kept"  # the API keeps the chat's rating of a conversation a person had


def wrap_up(turn: Turn) -> None:
    """Ask for a rating once if the bot solved something (and no person took over); else bye."""
    if turn.slot("resolved") and not turn.slot("feedback_done") and not turn.slot("handed_off"):
        turn.dispatcher.utter_message(json_message=BOT_RESOLVED)
        turn.set("rating", None)
        turn.set("feedback_comment", None)
        turn.next("feedback")
    else:
        turn.dispatcher.utter_message(response="utter_goodbye")
        turn.next("none")


class ActionWrapUp(Action):
    """Thanks or goodbye."""

    def name(self) -> str:
        return "action_wrap_up"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        turn = Turn(dispatcher, tracker)
        if turn.intent == "thank":
            dispatcher.utter_message(response="utter_you_are_welcome")
        turn.set("pending_confirmation", None)
        wrap_up(turn)
        return turn.events


class ActionStartFeedback(Action):
    """The customer asked to give feedback: always welcome (a new rating replaces the old)."""

    def name(self) -> str:
        return "action_start_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        turn = Turn(dispatcher, tracker)
        turn.set("rating", None)
        turn.set("feedback_comment", None)
        turn.next("feedback")
        return turn.events


class ValidateFeedbackForm(FormValidationAction):
    def name(self) -> str:
        return "validate_feedback_form"

    def validate_rating(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None:  # the form starting with the slot cleared: nothing was said yet
            return {"rating": None}
        score = parsing.rating(str(value))
        if score is None:
            dispatcher.utter_message(text="Please answer with a number from 1 to 5.")
            return {"rating": None}
        return {"rating": str(score)}

    def validate_feedback_comment(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None:
            return {"feedback_comment": None}
        text = str(value)
        return {"feedback_comment": "-" if parsing.says_no(text) else parsing.clip(text, 2000)}


class ActionSubmitFeedback(Action):
    def name(self) -> str:
        return "action_submit_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        turn = Turn(dispatcher, tracker)
        comment = turn.slot("feedback_comment")
        turn.next("none")
        if turn.slot("rating") is None:
            dispatcher.utter_message(response="utter_anything_else")
            return turn.events
        rating: dict[str, Any] = {
            "conversation_id": turn.conversation_id,
            "score": int(turn.slot("rating")),
            "comment": None if comment in (None, "-") else comment,
            "channel": turn.channel,
        }
        if turn.slot("ticket_number"):
            rating["ticket_number"] = turn.slot("ticket_number")
        try:
            await turn.api.rate(rating)
        except ApiRefusal as refusal:
            if refusal.code == RATING_KEPT:  # a person's conversation, rated in the chat
                turn.say(f"Thank you! {refusal.message}")
            else:
                _not_saved(turn)
        except BackendUnavailable:
            _not_saved(turn)
        else:
            turn.say("Thank you for your feedback!")
        turn.set("feedback_done", True)
        dispatcher.utter_message(response="utter_goodbye")
        return turn.events


def _not_saved(turn: Turn) -> None:
    turn.say(
        "Thank you! I'm sorry: our system isn't answering, so your rating could not be saved "
        "just now."
    )
