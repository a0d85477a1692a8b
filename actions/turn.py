"""What one action run works with: the tracker's slots, the API (with the customer's token),
the messages to send and the events to return."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import proposals
from actions.clients.ticketing_api import TicketingApi
from actions.parsing import clip

YES_NO = [
    {"title": "Yes", "payload": "/affirm"},
    {"title": "No", "payload": "/deny"},
]
# Slots a task collects; cleared when a new task starts.
DETAIL_SLOTS = (
    "new_address",
    "item",
    "return_reason",
    "item_condition",
    "resolution",
    "complaint_category",
    "complaint_description",
)
CHANNEL_SLOT_KEY = "input_channel"
PROOF_KEY = "conversation_proof"  # ticketing.verification.conversation_proof.METADATA_KEY
SUMMARY_MESSAGES = 20
# Slots a handoff summary leaves out: a secret, the dialogue's bookkeeping, the shop's own name.
NOT_FOR_AGENTS = (
    "verification_token",
    "next_step",
    "shop_name",
    proposals.PENDING_SLOT,
    proposals.DONE_SLOT,
)


@dataclass
class Turn:
    dispatcher: CollectingDispatcher
    tracker: Tracker
    api: TicketingApi = field(default_factory=TicketingApi)
    events: list[EventType] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.api = self.api.with_token(
            self.slot("verification_token"), proof=self.metadata.get(PROOF_KEY)
        )

    # reading
    def slot(self, name: str) -> Any:
        for event in reversed(self.events):
            if event.get("event") == "slot" and event.get("name") == name:
                return event.get("value")
        return self.tracker.get_slot(name)

    @property
    def conversation_id(self) -> str:
        return self.tracker.sender_id

    @property
    def metadata(self) -> dict[str, Any]:
        """What the hub sent with the customer's latest message: the channel, the customer's
        address (`client_ip`) and the conversation's proof."""
        for event in reversed(self.tracker.events):
            if event.get("event") == "user":
                metadata = event.get("metadata")
                return metadata if isinstance(metadata, dict) else {}
        return {}

    @property
    def client_ip(self) -> str | None:
        value = self.metadata.get("client_ip")
        return str(value) if value else None

    @property
    def channel(self) -> str:
        """The customer's channel as the hub names it ("web", "telegram"); Rasa's own input
        channel ("rest": the hub's webhook) when the message did not come through the hub."""
        return str(
            self.metadata.get("channel") or self.tracker.get_latest_input_channel() or "rest"
        )

    @property
    def text(self) -> str:
        return clip(self.tracker.latest_message.get("text"))

    @property
    def intent(self) -> str | None:
        intent = self.tracker.latest_message.get("intent") or {}
        name = intent.get("name")
        return str(name) if name else None

    @property
    def order(self) -> str | None:
        """The verified order this conversation is about."""
        value = self.slot("verified_order")
        return str(value) if value else None

    # writing
    def set(self, name: str, value: Any) -> None:
        self.events.append(SlotSet(name, value))

    def say(self, text: str, buttons: list[dict[str, str]] | None = None) -> None:
        self.dispatcher.utter_message(text=text, buttons=buttons or [])

    def next(self, step: str) -> None:
        """What the rules run after this action: verify, run, details, feedback or none."""
        self.set("next_step", step)

    def ask(self, question: str, pending: str) -> None:
        """A yes/no question; the customer's answer goes to action_confirm / action_decline.
        A change already made in this conversation is never proposed again (`proposals`)."""
        proposal = proposals.proposal_id(self, pending)
        if proposals.is_done(self, proposal):
            self.say(proposals.already_done(pending, self.order, self.slot("ticket_number")))
            self.anything_else()
            return
        self.say(question, buttons=YES_NO)
        self.set("pending_confirmation", pending)
        self.set(proposals.PENDING_SLOT, proposal)

    def anything_else(self) -> None:
        self.dispatcher.utter_message(response="utter_anything_else")
        self.set("pending_confirmation", "anything_else")

    def solved(self) -> None:
        """The bot answered or did what was asked: the conversation will ask for a rating."""
        self.set("resolved", True)

    def clear_details(self, keep: set[str] | None = None) -> None:
        for name in DETAIL_SLOTS:
            if name not in (keep or set()) and self.slot(name) is not None:
                self.set(name, None)

    def summary(self) -> dict[str, Any]:
        """What a human needs to take over: intent, order, slots and the last messages."""
        messages: list[dict[str, str]] = []
        for event in self.tracker.events:
            if event.get("event") in ("user", "bot") and event.get("text"):
                sender = "customer" if event["event"] == "user" else "bot"
                messages.append({"sender": sender, "text": clip(event["text"], 10_000)})
        slots = {
            name: value
            for name, value in self.tracker.current_slot_values().items()
            if value not in (None, [], "") and name not in NOT_FOR_AGENTS
        }
        return {
            "intent": self.slot("task") or self.intent,
            "order_number": self.order,
            "slots": slots,
            "last_messages": messages[-SUMMARY_MESSAGES:],
        }
