"""Break one real process mid-conversation (Redis, the action server, Rasa) and check, through
the hub's REST channel, that nothing the customer writes is lost and that nobody is left
without an answer: the bot carries on, or the conversation goes to a person and the customer
is told so with a ticket number.

The tests run in file order: stopping Rasa comes last because starting it again costs over a
minute (the `live` fixture would, if the order changed)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
import redis

from tests.faults.conftest import Customer, Stack, wait_until
from ticketing.conversations.broker import channel_prefix
from ticketing.conversations.redis_breaker import OPEN_SECONDS
from ticketing.tickets.models import TicketSource

# the first test also waits for Rasa to load its model: minutes on a busy 2-core machine
pytestmark = [pytest.mark.rasa, pytest.mark.slow, pytest.mark.timeout(900)]

TICKET = re.compile(r"\bT-\d+\b", re.IGNORECASE)


def assert_handed_to_a_person(customer: Customer, reply: str) -> None:
    """Told "a colleague ... ticket T-...", owned by a person, with a handoff ticket open."""
    assert "colleague" in reply and TICKET.search(reply), (
        f"the customer was not told about the handoff: {reply!r}\n{customer.log()}"
    )
    assert customer.owner() == "human", f"owner is {customer.owner()!r}\n{customer.log()}"
    tickets = customer.tickets()
    assert [t.source for t in tickets] == [TicketSource.HANDOFF], (
        f"expected one handoff ticket, found {[(t.number, t.source) for t in tickets]}"
    )
    number = TICKET.search(reply).group(0).upper()  # type: ignore[union-attr]
    assert tickets[0].number == number, f"reply names {number}, ticket is {tickets[0].number}"


def test_redis_down_mid_conversation_every_message_stored_and_answered(
    customer: Customer, live: Stack
) -> None:
    number, email = live.showcase("in_transit")
    assert "assistant" in customer.text("hi"), customer.log()
    assert "order number" in customer.text("where is my order?"), customer.log()

    live.redis.kill()
    assert not live.redis.answers(), "the private Redis still answers after being killed"
    ready = httpx.get(f"{live.backend.url}/api/ready", timeout=10)
    assert ready.status_code == 503 and ready.json()["checks"]["redis"]["status"] == "down"

    reply = customer.text("wait, how long does a refund take?")
    assert "days" in reply, customer.log()
    assert "email" in customer.text(number), customer.log()
    reply = customer.text(email)
    assert "verified" in reply and "on its way" in reply, customer.log()
    assert httpx.get(f"{live.backend.url}/api/health", timeout=10).status_code == 200

    live.redis.start()  # same port: the backend's clients reconnect by themselves
    wait_until(
        lambda: httpx.get(f"{live.backend.url}/api/ready", timeout=10).status_code == 200,
        "the backend to report Redis ready again",
    )
    time.sleep(OPEN_SECONDS)  # the hub skips Redis this long after its last failure
    with _listening(live, customer) as events:
        assert customer.text("thanks, that's all"), customer.log()
        wait_until(lambda: _has_event(events), "a conversation event on the restarted Redis", 10)
    assert customer.owner() == "bot", customer.log()
    customer.assert_every_message_stored_once()


@contextmanager
def _listening(stack: Stack, customer: Customer) -> Iterator[redis.client.PubSub]:
    """Subscribed to the conversation's topic on the private Redis (the client must outlive
    the subscription: a collected client closes its connections)."""
    client = redis.Redis.from_url(stack.redis.url)
    events = client.pubsub()
    try:
        events.subscribe(
            f"{channel_prefix(stack.redis.url)}conversation:{customer.conversation_id}"
        )
        wait_until(
            lambda: events.get_message(timeout=0.1) is not None, "the subscription to be confirmed"
        )
        yield events
    finally:
        events.close()
        client.close()


def _has_event(events: redis.client.PubSub) -> bool:
    message = events.get_message(ignore_subscribe_messages=True, timeout=0.1)
    return message is not None and "type" in json.loads(message["data"])


def test_action_server_down_hands_the_customer_to_a_person(customer: Customer, live: Stack) -> None:
    assert "assistant" in customer.text("hi"), customer.log()
    live.actions.kill()
    direct = httpx.post(
        f"{live.rasa.url}/webhooks/rest/webhook",
        json={"sender": f"{customer.sender}-direct", "message": "where is my order?"},
        timeout=60,
    )
    assert direct.json() == [], f"Rasa itself now answers {direct.json()}: revisit the hub check"

    reply = customer.text("how many days do I have to return an item?")
    assert_handed_to_a_person(customer, reply)
    assert customer.say("hello? anyone there?") == [], "the bot answered over a person"
    customer.assert_every_message_stored_once()


def test_action_server_down_inside_a_form_is_never_silence(customer: Customer, live: Stack) -> None:
    number, _email = live.showcase("in_transit")
    assert "order number" in customer.text("where is my order?"), customer.log()
    live.actions.kill()
    reply = customer.text(number)  # the form's validation is a custom action too
    assert_handed_to_a_person(customer, reply)
    customer.assert_every_message_stored_once()


def test_rasa_down_mid_conversation_hands_over_without_losing_a_message(
    customer: Customer, live: Stack
) -> None:
    assert "assistant" in customer.text("hi"), customer.log()
    live.rasa.kill()
    started = time.monotonic()
    reply = customer.text("where is my order?")
    assert time.monotonic() - started < 15, "the hub waited too long for a dead Rasa"
    assert_handed_to_a_person(customer, reply)
    assert customer.say("are you still there?") == [], "a person owns it: no bot reply expected"
    assert customer.owner() == "human"
    customer.assert_every_message_stored_once()
    handoff = customer.tickets()[0]
    assert handoff.conversation_id == customer.conversation_id
