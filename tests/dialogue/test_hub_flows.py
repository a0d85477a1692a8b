"""Conversations through the hub (`POST /webhooks/rest/webhook` on the backend) with the real
Rasa model, action server and backend: the hub stores everything, links the conversation to the
customer the bot verifies, follows the bot's handoff and records the bot's resolution and the
customer's rating."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from tests.dialogue.conftest import Stack
from tests.hub.helpers import CHANNEL_KEY, rest_id
from ticketing.conversations.models import Conversation, ConversationEvent, Message
from ticketing.feedback.models import CsatRating
from ticketing.orders.models import Order
from ticketing.tickets.models import Ticket

# the first test also waits for Rasa to load its model: minutes on a busy 2-core machine
pytestmark = pytest.mark.timeout(900)


_addresses = itertools.count()


class HubChat:
    """One customer talking to the hub's REST channel, from a loopback address of their own
    (127.0.2.1, 127.0.2.2, ...) as customers do: the per-address message limit counts each
    customer, not the whole test session."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.sender = f"hub-{uuid.uuid4().hex[:12]}"
        self.conversation_id = rest_id(self.sender)
        self.transcript: list[str] = []
        n = next(_addresses)
        self.address = f"127.0.{2 + n // 250}.{1 + n % 250}"

    def say(self, text: str) -> list[dict[str, Any]]:
        transport = httpx.HTTPTransport(local_address=self.address)
        with httpx.Client(transport=transport, timeout=90) as client:
            response = client.post(
                f"{self.stack.backend.url}/webhooks/rest/webhook",
                json={"sender": self.sender, "message": text},
                headers=CHANNEL_KEY,
            )
        assert response.status_code == 200, response.text
        replies: list[dict[str, Any]] = response.json()
        self.transcript += [f"> {text}"] + [f"< {r.get('text', r)}" for r in replies]
        assert all(r["recipient_id"] == self.sender for r in replies)
        return replies

    def text(self, message: str) -> str:
        return " ".join(str(r.get("text", "")) for r in self.say(message)).lower()

    def log(self) -> str:
        return "\n".join(self.transcript) + "\n" + self.stack.backend.tail(20)

    def events(self) -> list[str]:
        with self.stack.database.session() as s:
            query = select(ConversationEvent.kind).where(
                ConversationEvent.conversation_id == self.conversation_id
            )
            return list(s.scalars(query.order_by(ConversationEvent.id)))

    def stored(self) -> list[tuple[str, str | None]]:
        with self.stack.database.session() as s:
            query = select(Message).where(Message.conversation_id == self.conversation_id)
            return [(m.sender.value, m.text) for m in s.scalars(query.order_by(Message.id))]

    def conversation(self) -> Conversation:
        with self.stack.database.session() as s:
            found = s.get(Conversation, self.conversation_id)
            assert found is not None, self.log()
            return found


def test_a_request_the_bot_solves_is_recorded_with_its_rating(stack: Stack) -> None:
    chat = HubChat(stack)
    number, email = stack.showcase("in_transit")

    assert "order number" in chat.text("hi, where is my order?"), chat.log()
    chat.text(f"it's #{number}")
    assert "on its way" in chat.text(email), chat.log()
    verified = chat.conversation()  # the action sent the hub's proof with the verification
    with stack.database.session() as s:
        order = s.scalar(select(Order).where(Order.number == number))
        assert order is not None and verified.customer_id == order.customer_id, chat.log()
    assert verified.context["collected"]["order"]["number"] == number
    assert "rate" in chat.text("no thanks, that's all"), chat.log()
    chat.text("4")
    chat.text("quick answer")

    kinds = chat.events()
    assert "bot_resolved" in kinds and "csat_submitted" in kinds, (kinds, chat.log())
    assert "bot_handoff" not in kinds
    said = [text for who, text in chat.stored() if who == "customer"]
    assert said == [line[2:] for line in chat.transcript if line.startswith("> ")]
    with stack.database.session() as s:
        rating = s.scalar(
            select(CsatRating).where(CsatRating.conversation_id == chat.conversation_id)
        )
        assert rating is not None and rating.score == 4, chat.log()


def test_asking_for_a_person_hands_over_and_the_bot_then_stays_silent(stack: Stack) -> None:
    chat = HubChat(stack)

    reply = chat.text("I want to talk to a human agent please")
    later = chat.say("hello? is anyone there?")

    assert "colleague" in reply or "agent" in reply, chat.log()
    conversation = chat.conversation()
    assert conversation.owner == "human", chat.log()
    assert later == [], chat.log()
    assert chat.stored()[-1] == ("customer", "hello? is anyone there?")
    with stack.database.session() as s:
        ticket = s.scalar(select(Ticket).where(Ticket.conversation_id == chat.conversation_id))
        assert ticket is not None and conversation.ticket_id == ticket.id
    assert "bot_handoff" in chat.events()
