"""What every part of the conversations hub shares: its parts (database, broker, locks, Rasa),
the messages it says, handing over to a person, reading and fan-out."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from ticketing.agents import assignment
from ticketing.conversations import store
from ticketing.conversations.broker import CONSOLE_TOPIC, Broker, conversation_topic
from ticketing.conversations.models import Conversation, Direction, Sender
from ticketing.conversations.ordering import ConversationLocks
from ticketing.conversations.rasa_client import RasaClient, RasaServers
from ticketing.conversations.recognised_task import RecognisedTasks
from ticketing.conversations.schemas import (
    ConversationView,
    MessageView,
)
from ticketing.db import Database
from ticketing.errors import NotAllowedError
from ticketing.orders.oms import get_order_system
from ticketing.security.message_limits import MessageLimits
from ticketing.settings import get_settings
from ticketing.staff.models import StaffUser
from ticketing.tickets import handoff
from ticketing.tickets.schemas import ChatMessage, HandoffCreate, HandoffReason, HandoffSummary
from ticketing.verification import conversation_proof

log = logging.getLogger(__name__)

CSAT_QUESTION = "How did we do? Please rate this conversation from 1 (poor) to 5 (great)."
CSAT_COMMENT_QUESTION = "Thank you! Is there anything you'd like to add? (optional, just type it)"
CSAT_THANKS = "Thank you for your feedback. Write any time if you need anything else."
CSAT_THANKS_BEFORE_NPS = "Thank you for your feedback."  # the NPS question (policy text) follows
NPS_THANKS = "Thank you! Write any time if you need anything else."
NPS_DECLINED = "No problem, thanks for your time! Write any time if you need anything else."
NPS_INVALID = (
    "Please answer with a whole number from 0 (not at all likely) to 10 (extremely likely), or "
    "tap one of the buttons. If you need anything else, just write it."
)
NPS_ALREADY_ANSWERED = (
    "We already have your answer, thank you! Write any time if you need anything else."
)
NPS_CLOSED = "That question has closed, thank you anyway. Write any time if you need anything else."
BOT_DOWN = "I'm sorry: I'm having trouble answering right now, so I'm passing you to a colleague."
HANDED_BACK = "You're back with the assistant. How can I help?"
CONTROL_KEY = "supportbot"  # custom payloads from the actions meant for the hub, not the customer
SUMMARY_MESSAGES = 10
RECENT_BUTTON_MESSAGES = 20

Sender_ = Callable[[ConversationView, list[MessageView]], Awaitable[None]]


@dataclass(frozen=True)
class Inbound:
    """One customer message as a channel received it."""

    channel: str
    external_id: str
    text: str | None
    payload: str | None = None
    client_message_id: str | None = None
    attachments: list[dict[str, Any]] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    # The customer's address as the channel's web server saw it (web chat, REST); None when
    # the channel has none (Telegram's servers call us). Rasa gets it for the verification
    # limits per address.
    client_ip: str | None = None


def csat_request_payload() -> dict[str, Any]:
    buttons = [{"title": "★" * n, "payload": f"/csat {n}"} for n in range(1, 6)]
    return {"buttons": buttons, "custom": {"type": "csat", "scale": 5}}


class HubCore:
    """The hub's state and shared steps; `Hub` adds the customer and agent sides."""

    def __init__(
        self,
        *,
        database: Database,
        broker: Broker,
        locks: ConversationLocks,
        rasa: RasaClient | RasaServers | None,
        clock: Callable[[], datetime],
        policy_file: Any,
        message_limits: MessageLimits | None = None,
        conversation_secret: str | None = None,
        recognised_tasks: RecognisedTasks | None = None,
    ) -> None:
        self.database = database
        self.broker = broker
        self.locks = locks
        self.rasa = rasa
        self.clock = clock
        self.policy_file = policy_file
        self.message_limits = message_limits  # None: no per-conversation limit
        # Signs the conversation proofs sent to Rasa; must be the API's `secret_key`. None: the
        # process's settings (what `create_app` uses when it is given none).
        self.conversation_secret = conversation_secret
        self.senders: dict[str, Sender_] = {}
        # where the contact reason comes from: the bot's first recognised task
        self.recognised_tasks = recognised_tasks or RecognisedTasks()

    def conversation_proof(self, conversation_id: str) -> str:
        """The proof the actions need to write for this conversation (`conversation_proof`)."""
        secret = self.conversation_secret or get_settings().secret_key.get_secret_value()
        return conversation_proof.issue(
            secret=secret, conversation_id=conversation_id, now=self.clock()
        )

    def register_sender(self, channel: str, sender: Sender_) -> None:
        """How to push messages that no customer request is waiting for (agent replies, the
        rating question) to a channel such as Telegram. Web chat listens on the broker."""
        self.senders[channel] = sender

    def _say(
        self,
        db: Session,
        conversation: Conversation,
        text: str | None,
        now: datetime,
        reply_to_id: int | None,
        *,
        sender: Sender = Sender.SYSTEM,
        payload: dict[str, Any] | None = None,
        staff: StaffUser | None = None,
    ) -> MessageView:
        message = store.add_message(
            db,
            conversation,
            direction=Direction.OUT,
            sender=sender,
            text=text,
            payload=payload,
            sender_name=staff.display_name if staff else None,
            staff_id=staff.id if staff else None,
            reply_to_id=reply_to_id,
            now=now,
        )
        return MessageView.of(message)

    def _hand_off(
        self,
        db: Session,
        conversation: Conversation,
        reason: HandoffReason,
        now: datetime,
        note: str = "",
    ) -> handoff.HandoffOutcome:
        recent = store.messages(db, conversation.id)[-SUMMARY_MESSAGES:]
        summary = HandoffSummary(
            intent=(conversation.context or {}).get("intent"),
            last_messages=[
                ChatMessage(sender=m.sender.value, text=(m.text or "")[:10_000])
                for m in recent
                if m.text
            ],
            slots={"hub_note": note[:500]} if note else {},
        )
        request = HandoffCreate(
            conversation_id=conversation.id,
            channel=conversation.channel,
            reason=reason,
            summary=summary,
        )
        return handoff.hand_off(
            db_session=db,
            request=request,
            customer_id=conversation.customer_id,
            oms=get_order_system(db),
            now=now,
            actor="hub",
        )

    def _assign_waiting(self) -> list[tuple[str, int]]:
        with self.database.session(write=True) as db:
            return assignment.assign_waiting(db, now=self.clock())

    async def _announce(self, assigned: list[tuple[str, int]]) -> None:
        """Tell consoles and customers who now has each newly assigned conversation."""
        for conversation_id, _staff_id in assigned:
            conversation = await run_in_threadpool(self.view, conversation_id)
            await self._publish(conversation, [], state=True)

    def view(self, conversation_id: str) -> ConversationView:
        with self.database.session() as db:
            return ConversationView.of(store.get_or_raise(db, conversation_id))

    def history(self, conversation_id: str, *, after_id: int = 0) -> list[MessageView]:
        with self.database.session() as db:
            store.get_or_raise(db, conversation_id)
            return [
                MessageView.of(m) for m in store.messages(db, conversation_id, after_id=after_id)
            ]

    async def _publish(
        self, conversation: ConversationView, messages: list[MessageView], *, state: bool = False
    ) -> None:
        topic = conversation_topic(conversation.id)
        for message in messages:
            event = message.to_event()
            await self.broker.publish(topic, event)
            await self.broker.publish(CONSOLE_TOPIC, event)
        if state:
            event = conversation.to_event()
            await self.broker.publish(topic, event)
            await self.broker.publish(CONSOLE_TOPIC, event)

    async def publish_state(self, conversation: ConversationView) -> None:
        """Tell consoles and the customer's chat windows that the conversation changed."""
        await self._publish(conversation, [], state=True)

    async def _push(self, conversation: ConversationView, messages: list[MessageView]) -> None:
        sender = self.senders.get(conversation.channel)
        if sender is None or not messages:
            return
        try:
            await sender(conversation, messages)
        except Exception:  # noqa: BLE001 - the message is stored; the channel failing is logged
            log.exception("could not deliver to %s on %s", conversation.id, conversation.channel)

    async def close(self) -> None:
        await self.broker.close()
        await self.locks.close()
        if self.rasa is not None:
            await self.rasa.close()


def active_staff(db: Session, staff_id: int) -> StaffUser:
    """The staff member, who must still be active."""
    staff = db.get(StaffUser, staff_id)
    if staff is None or not staff.active:
        raise NotAllowedError("This staff account is not active.", code="staff_inactive")
    return staff
