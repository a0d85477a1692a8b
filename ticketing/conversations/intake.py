"""The customer side of the hub: a message is stored first, then routed by the conversation's
owner (the bot, a person, or the rating and NPS questions after resolution); Rasa failing hands
over."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from ticketing.conversations import contact_reason, lifecycle, store
from ticketing.conversations.attachments import attachments_for_ticket
from ticketing.conversations.broker import conversation_topic
from ticketing.conversations.hub_core import (
    BOT_DOWN,
    CONTROL_KEY,
    CSAT_COMMENT_QUESTION,
    CSAT_THANKS,
    CSAT_THANKS_BEFORE_NPS,
    RECENT_BUTTON_MESSAGES,
    Inbound,
)
from ticketing.conversations.models import Conversation, CsatState, Direction, Owner, Sender
from ticketing.conversations.nps_survey import NpsSurvey, is_button_press
from ticketing.conversations.rasa_client import RasaUnavailable
from ticketing.conversations.schemas import (
    MAX_MESSAGE_CHARS,
    ConversationView,
    Delivery,
    MessageView,
)
from ticketing.errors import InvalidInputError, NotAllowedError
from ticketing.observability.context import bind_conversation
from ticketing.policy import service as policy_service
from ticketing.tickets import handoff
from ticketing.tickets.schemas import HandoffReason
from ticketing.tickets.status import resume_on_customer_message
from ticketing.verification import conversation_proof

log = logging.getLogger(__name__)


def _reply_payload(reply: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    text = reply.get("text")
    payload: dict[str, Any] = {}
    if reply.get("buttons"):
        payload["buttons"] = [
            {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
            for b in reply["buttons"]
            if isinstance(b, dict)
        ]
    for key in ("image", "custom", "attachment"):
        if reply.get(key) is not None:
            payload[key] = reply[key]
    return (str(text) if text is not None else None), payload


class CustomerIntake(NpsSurvey):
    """Messages from customers, the "talk to a person" button and the widget's rating."""

    async def receive(self, inbound: Inbound) -> Delivery:
        """Store the message, route it, and return the replies (also published)."""
        text = (inbound.text or "").strip() or None
        if text is not None and len(text) > MAX_MESSAGE_CHARS:
            raise InvalidInputError(
                f"That message is {len(text):,} characters long; please send at most "
                f"{MAX_MESSAGE_CHARS:,} (split it into several messages).",
                code="message_too_long",
            )
        if text is None and not inbound.payload and not inbound.attachments:
            raise InvalidInputError("The message is empty.", code="empty_message")
        conversation_id = store.conversation_id_for(inbound.channel, inbound.external_id)
        bind_conversation(conversation_id)  # every log line from here on names it
        if self.message_limits is not None:  # before anything is stored
            await run_in_threadpool(self.message_limits.check_conversation, conversation_id)
        async with self.locks.hold(conversation_id):
            stored = await run_in_threadpool(self._store_inbound, inbound, text)
            if stored.duplicate:
                return stored
            incoming = stored.replies[0]
            await self._publish(stored.conversation, [incoming])
            replies = await self._route(stored.conversation, incoming, inbound, text)
            conversation = await run_in_threadpool(self.view, conversation_id)
        await self._publish(conversation, replies, state=True)
        return Delivery(conversation=conversation, replies=replies, incoming=incoming)

    def _store_inbound(self, inbound: Inbound, text: str | None) -> Delivery:
        now = self.clock()
        with self.database.session(write=True) as db:
            conversation, _created = store.get_or_create(
                db, channel=inbound.channel, external_id=inbound.external_id, now=now
            )
            if inbound.client_message_id:
                earlier = store.find_by_client_id(db, conversation.id, inbound.client_message_id)
                if earlier is not None:
                    replies = [MessageView.of(m) for m in store.replies_to(db, earlier.id)]
                    view = ConversationView.of(conversation)
                    return Delivery(
                        conversation=view,
                        replies=replies,
                        incoming=MessageView.of(earlier),
                        duplicate=True,
                    )
            payload: dict[str, Any] = {}
            if inbound.payload:
                payload["payload"] = inbound.payload
            if inbound.attachments:
                payload["attachments"] = inbound.attachments
            message = store.add_message(
                db,
                conversation,
                direction=Direction.IN,
                sender=Sender.CUSTOMER,
                text=text,
                payload=payload,
                client_message_id=inbound.client_message_id,
                now=now,
            )
            # a ticket waiting on the customer is open again: its SLA clock runs on
            resume_on_customer_message(db, ticket_id=conversation.ticket_id, now=now)
            return Delivery(
                conversation=ConversationView.of(conversation), replies=[MessageView.of(message)]
            )

    async def _route(
        self,
        conversation: ConversationView,
        incoming: MessageView,
        inbound: Inbound,
        text: str | None,
    ) -> list[MessageView]:
        received: list[MessageView] = []
        if inbound.attachments:
            received = await run_in_threadpool(self._attach, incoming, inbound.attachments)
            if text is None:
                return received
        nps_waiting = conversation.nps_asked_at is not None
        if not nps_waiting and is_button_press(text, inbound.payload):
            return received + await run_in_threadpool(self._nps_late_press, incoming)
        if conversation.owner in {Owner.RESOLVED, Owner.CLOSED} or nps_waiting:
            answered = await run_in_threadpool(self._after_resolution, incoming, inbound, text)
            if answered is not None:
                return answered
            conversation = await run_in_threadpool(self.view, conversation.id)
        if conversation.owner == Owner.HUMAN:
            await self._announce(await run_in_threadpool(self._assign_waiting))
            return received
        return received + await self._ask_bot(conversation, incoming, inbound, text)

    def _attach(
        self, incoming: MessageView, attachments: list[dict[str, Any]]
    ) -> list[MessageView]:
        """Files go on the conversation's ticket (one is opened if there is none yet), and the
        customer is told they arrived."""
        now = self.clock()
        with self.database.session(write=True) as db:
            conversation = store.get_or_raise(db, incoming.conversation_id)
            ticket = attachments_for_ticket(db, conversation, attachments, now)
            names = ", ".join(
                str(a.get("file_name") or a.get("kind") or "file") for a in attachments
            )
            several = len(attachments) > 1
            them = "them" if several else "it"
            text = (
                f"Thank you, I've received your file{'s' if several else ''} ({names}) and added "
                f"{them} to ticket {ticket.number}, so a colleague can see {them}."
            )
            return [self._say(db, conversation, text, now, incoming.id)]

    def _after_resolution(
        self, incoming: MessageView, inbound: Inbound, text: str | None
    ) -> list[MessageView] | None:
        """Answers to the rating and NPS questions; anything else reopens the conversation to
        the bot (or, when the bot still has it, goes on to the bot)."""
        now = self.clock()
        with self.database.session(write=True) as db:
            conversation = store.get_or_raise(db, incoming.conversation_id)
            if conversation.nps_asked_at is not None:
                answered = self._nps_answer(db, conversation, incoming.id, inbound, text, now)
                if answered is not None or conversation.owner not in {Owner.RESOLVED, Owner.CLOSED}:
                    return answered
            score = lifecycle.rating_in(text, inbound.payload)
            if conversation.csat_state == CsatState.ASKED and score is not None:
                lifecycle.rate(db, conversation, score=score, comment=None, now=now)
                return [self._say(db, conversation, CSAT_COMMENT_QUESTION, now, incoming.id)]
            if conversation.csat_state == CsatState.COMMENT and text and score is None:
                lifecycle.rate(db, conversation, score=None, comment=text[:2000], now=now)
                nps = self._nps_due(db, conversation, now)
                if nps is None:
                    return [self._say(db, conversation, CSAT_THANKS, now, incoming.id)]
                thanks = self._say(db, conversation, CSAT_THANKS_BEFORE_NPS, now, incoming.id)
                actor = f"customer:{conversation.id}"
                return [thanks, self._ask_nps(db, conversation, nps, now, incoming.id, actor=actor)]
            lifecycle.reopen(db, conversation, now=now)
            return None

    async def _ask_bot(
        self,
        conversation: ConversationView,
        incoming: MessageView,
        inbound: Inbound,
        text: str | None,
    ) -> list[MessageView]:
        async def typing() -> None:
            await self.broker.publish(
                conversation_topic(conversation.id), {"type": "typing", "who": "bot"}
            )

        await typing()
        message = await run_in_threadpool(self._bot_input, conversation.id, inbound, text)
        try:
            if self.rasa is None:
                raise RasaUnavailable("no Rasa server is configured")
            replies = await self.rasa.send(
                conversation.id, message, self._rasa_metadata(conversation, inbound), waiting=typing
            )
            if not replies:
                raise RasaUnavailable("Rasa gave no answer (is the action server down?)")
        except RasaUnavailable as error:
            log.warning("bot unavailable for %s: %s", conversation.id, error)
            return await run_in_threadpool(self._bot_down, conversation.id, incoming.id, str(error))
        return await run_in_threadpool(
            self._store_bot_replies, conversation.id, incoming.id, replies, incoming.created_at
        )

    def _rasa_metadata(self, conversation: ConversationView, inbound: Inbound) -> dict[str, Any]:
        """What the actions learn with the message. The hub's own keys come last: a channel's
        metadata (the REST body's) can never pass for the proof, the address or the channel."""
        return {
            **inbound.metadata,
            "channel": conversation.channel,
            "client_ip": inbound.client_ip,
            conversation_proof.METADATA_KEY: self.conversation_proof(conversation.id),
        }

    def _bot_input(self, conversation_id: str, inbound: Inbound, text: str | None) -> str:
        """What Rasa gets: a button payload only if the hub offered that button recently, so
        nobody can type `/intent{"slot": ...}` past the NLU; typed text loses leading slashes."""
        if inbound.payload:
            with self.database.session() as db:
                offered = store.offered_payloads(db, conversation_id, RECENT_BUTTON_MESSAGES)
            if inbound.payload in offered:
                return inbound.payload
            text = text or inbound.payload
        return (text or "").lstrip("/").strip() or "hello"

    def _store_bot_replies(
        self,
        conversation_id: str,
        reply_to_id: int,
        replies: list[dict[str, Any]],
        since: datetime,
    ) -> list[MessageView]:
        """The bot's replies in order; then the NPS question if the bot's feedback form stored
        a rating since the customer's message (`since`)."""
        now = self.clock()
        stored: list[MessageView] = []
        with self.database.session(write=True) as db:
            conversation = store.get_or_raise(db, conversation_id)
            for reply in replies:
                custom = reply.get("custom")
                if isinstance(custom, dict) and CONTROL_KEY in custom:
                    self._control(db, conversation, custom[CONTROL_KEY], now)
                    continue
                text, payload = _reply_payload(reply)
                stored.append(
                    self._say(
                        db, conversation, text, now, reply_to_id, sender=Sender.BOT, payload=payload
                    )
                )
            if contact_reason.needs_bot_reason(conversation):
                task = self.recognised_tasks.first_task(conversation_id)
                contact_reason.from_bot(conversation, task)
            stored += self._nps_after_bot_feedback(db, conversation, now, reply_to_id, since)
        return stored

    def _control(self, db: Session, conversation: Conversation, signal: Any, now: datetime) -> None:
        """Signals from the actions: `bot_resolved` when the bot solved the request."""
        if signal == "bot_resolved" and conversation.owner == Owner.BOT:
            store.record(
                db,
                conversation,
                "bot_resolved",
                actor="bot",
                now=now,
                data={"seconds": int((now - conversation.created_at).total_seconds())},
            )
            store.record(db, conversation, "csat_requested", actor="bot", now=now)
            conversation.resolved_at = now

    def _bot_down(self, conversation_id: str, reply_to_id: int, error: str) -> list[MessageView]:
        now = self.clock()
        with self.database.session(write=True) as db:
            conversation = store.get_or_raise(db, conversation_id)
            outcome = self._hand_off(db, conversation, HandoffReason.BACKEND_DOWN, now, error)
            policy = policy_service.get_current(db_session=db, policy_file=self.policy_file).policy
            text = f"{BOT_DOWN} {handoff.message(outcome, policy, now)}"
            return [self._say(db, conversation, text, now, reply_to_id)]

    async def request_human(self, conversation_id: str) -> Delivery:
        """The customer pressed "talk to a person" (outside the bot): hand off now."""
        bind_conversation(conversation_id)
        async with self.locks.hold(conversation_id):
            replies = await run_in_threadpool(self._request_human, conversation_id)
            conversation = await run_in_threadpool(self.view, conversation_id)
        await self._publish(conversation, replies, state=True)
        await self._push(conversation, replies)
        return Delivery(conversation=conversation, replies=replies)

    def _request_human(self, conversation_id: str) -> list[MessageView]:
        now = self.clock()
        with self.database.session(write=True) as db:
            conversation = store.get_or_raise(db, conversation_id)
            outcome = self._hand_off(db, conversation, HandoffReason.REQUESTED, now)
            policy = policy_service.get_current(db_session=db, policy_file=self.policy_file).policy
            return [self._say(db, conversation, handoff.message(outcome, policy, now), now, None)]

    async def rate(self, conversation_id: str, score: int, comment: str | None) -> ConversationView:
        """A rating from the widget's stars: score and optional comment at once, final."""
        bind_conversation(conversation_id)

        def run() -> list[MessageView]:
            now = self.clock()
            with self.database.session(write=True) as db:
                conversation = store.get_or_raise(db, conversation_id)
                if conversation.csat_state == CsatState.NONE:
                    raise NotAllowedError(
                        "This conversation has not been resolved yet, so it can't be rated.",
                        code="not_rateable",
                    )
                lifecycle.rate(db, conversation, score=score, comment=comment, now=now, final=True)
                actor = f"customer:{conversation.id}"  # the rating is finished: NPS may follow
                return self._ask_nps_if_due(db, conversation, now, None, actor=actor)

        async with self.locks.hold(conversation_id):
            messages = await run_in_threadpool(run)
        conversation = await run_in_threadpool(self.view, conversation_id)
        await self._publish(conversation, messages, state=True)
        await self._push(conversation, messages)
        return conversation
