"""The agent side of the hub: claim, reply, notes, hand back to the bot and resolve (which asks
the customer for a rating); each step published to consoles and pushed to the customer."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool

from ticketing.agents import assignment
from ticketing.conversations import lifecycle, store
from ticketing.conversations.broker import CONSOLE_TOPIC
from ticketing.conversations.hub_core import (
    CSAT_QUESTION,
    HANDED_BACK,
    HubCore,
    active_staff,
    csat_request_payload,
)
from ticketing.conversations.models import Sender
from ticketing.conversations.schemas import (
    MAX_MESSAGE_CHARS,
    ConversationView,
    MessageView,
)
from ticketing.errors import InvalidInputError
from ticketing.observability.context import bind_conversation


class AgentActions(HubCore):
    """What agents do to a conversation; someone else's needs `override` (a manager)."""

    async def claim(
        self, conversation_id: str, staff_id: int, *, force: bool = False
    ) -> ConversationView:
        bind_conversation(conversation_id)

        def run() -> None:
            with self.database.session(write=True) as db:
                conversation = store.get_or_raise(db, conversation_id)
                staff = active_staff(db, staff_id)
                lifecycle.claim(db, conversation, staff, now=self.clock(), force=force)

        await run_in_threadpool(run)
        conversation = await run_in_threadpool(self.view, conversation_id)
        await self._publish(conversation, [], state=True)
        return conversation

    async def agent_reply(
        self, conversation_id: str, staff_id: int, text: str, *, override: bool = False
    ) -> MessageView:
        """An agent's answer, sent on the customer's channel. Someone else's conversation needs
        `override` (a manager)."""
        bind_conversation(conversation_id)
        text = text.strip()
        if not text or len(text) > MAX_MESSAGE_CHARS:
            raise InvalidInputError(
                f"A reply needs 1 to {MAX_MESSAGE_CHARS:,} characters.", code="bad_reply"
            )

        def run() -> MessageView:
            now = self.clock()
            with self.database.session(write=True) as db:
                conversation = store.get_or_raise(db, conversation_id)
                staff = active_staff(db, staff_id)
                lifecycle.check_can_act(conversation, staff_id, override=override)
                lifecycle.agent_replied(conversation, staff, db, now)
                return self._say(
                    db, conversation, text, now, None, sender=Sender.AGENT, staff=staff
                )

        message = await run_in_threadpool(run)
        conversation = await run_in_threadpool(self.view, conversation_id)
        await self._publish(conversation, [message], state=True)
        await self._push(conversation, [message])
        return message

    async def add_note(self, conversation_id: str, staff_id: int, text: str) -> dict[str, Any]:
        """An internal note (never shown to the customer): `{"at", "author", "text"}`, also
        published to every console."""
        bind_conversation(conversation_id)
        text = text.strip()
        if not text or len(text) > MAX_MESSAGE_CHARS:
            raise InvalidInputError(
                f"A note needs 1 to {MAX_MESSAGE_CHARS:,} characters.", code="bad_note"
            )

        def run() -> dict[str, Any]:
            now = self.clock()
            with self.database.session(write=True) as db:
                conversation = store.get_or_raise(db, conversation_id)
                staff = active_staff(db, staff_id)
                store.record(
                    db,
                    conversation,
                    "note",
                    actor=f"staff:{staff.username}",
                    staff_id=staff.id,
                    now=now,
                    data={"text": text, "author": staff.display_name},
                )
                return {"at": now.isoformat(), "author": staff.display_name, "text": text}

        note = await run_in_threadpool(run)
        await self.broker.publish(
            CONSOLE_TOPIC, {"type": "note", "conversation_id": conversation_id, "note": note}
        )
        return note

    async def hand_back(
        self, conversation_id: str, staff_id: int, *, override: bool = False
    ) -> ConversationView:
        bind_conversation(conversation_id)

        def run() -> tuple[list[MessageView], list[tuple[str, int]]]:
            now = self.clock()
            with self.database.session(write=True) as db:
                conversation = store.get_or_raise(db, conversation_id)
                lifecycle.check_can_act(conversation, staff_id, override=override)
                lifecycle.hand_back(db, conversation, active_staff(db, staff_id), now=now)
                assigned = assignment.assign_waiting(db, now=now)
                return [self._say(db, conversation, HANDED_BACK, now, None)], assigned

        messages, assigned = await run_in_threadpool(run)
        await self._announce(assigned)
        conversation = await run_in_threadpool(self.view, conversation_id)
        await self._publish(conversation, messages, state=True)
        await self._push(conversation, messages)
        return conversation

    async def resolve(
        self, conversation_id: str, staff_id: int | None, *, override: bool = False
    ) -> ConversationView:
        """Resolve and ask the customer, once, for a 1-5 rating on their channel."""
        bind_conversation(conversation_id)

        def run() -> tuple[list[MessageView], list[tuple[str, int]]]:
            now = self.clock()
            with self.database.session(write=True) as db:
                conversation = store.get_or_raise(db, conversation_id)
                lifecycle.check_can_act(conversation, staff_id, override=override)
                staff = active_staff(db, staff_id) if staff_id is not None else None
                actor = f"staff:{staff.username}" if staff else "bot"
                lifecycle.resolve(db, conversation, now=now, actor=actor, staff_id=staff_id)
                assigned = assignment.assign_waiting(db, now=now)
                question = self._say(
                    db, conversation, CSAT_QUESTION, now, None, payload=csat_request_payload()
                )
                return [question], assigned

        messages, assigned = await run_in_threadpool(run)
        await self._announce(assigned)
        conversation = await run_in_threadpool(self.view, conversation_id)
        await self._publish(conversation, messages, state=True)
        await self._push(conversation, messages)
        return conversation

    async def set_presence_changed(self) -> None:
        """An agent came online or freed capacity: hand out waiting conversations."""
        await self._announce(await run_in_threadpool(self._assign_waiting))
        await self.broker.publish(CONSOLE_TOPIC, {"type": "queue"})
