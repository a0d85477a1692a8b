"""One customer's messages are handled one at a time, in order; with Redis, across processes."""

from __future__ import annotations

import asyncio

import pytest

from tests.conftest import Clock
from tests.hub.helpers import messages
from ticketing.conversations.broker import InProcessBroker, RedisBroker
from ticketing.conversations.hub import Hub, Inbound
from ticketing.conversations.ordering import ConversationLocks
from ticketing.conversations.rasa_client import RasaClient
from ticketing.settings import REPO_ROOT


def make_hub(database, rasa_url: str, redis_url: str | None, clock: Clock) -> Hub:
    return Hub(
        database=database,
        broker=RedisBroker(redis_url) if redis_url else InProcessBroker(),
        locks=ConversationLocks(redis_url),
        rasa=RasaClient(rasa_url, timeout_seconds=10),
        clock=clock,
        policy_file=REPO_ROOT / "policy.yml",
    )


async def send_in_order(hubs: list[Hub], texts: list[str], sender: str = "ada") -> None:
    """Start each message a moment after the previous one, as a fast typist would."""
    tasks = []
    for number, text in enumerate(texts):
        hub = hubs[number % len(hubs)]
        inbound = Inbound(channel="web", external_id=sender, text=text)
        tasks.append(asyncio.create_task(hub.receive(inbound)))
        await asyncio.sleep(0.02)
    await asyncio.gather(*tasks)
    for hub in hubs:
        await hub.close()


def test_messages_of_one_conversation_are_handled_in_order(database, rasa, clock):
    rasa.delay = 0.2
    texts = [f"message {n}" for n in range(5)]

    asyncio.run(send_in_order([make_hub(database, rasa.url, None, clock)], texts))

    assert rasa.messages_from("web-ada") == texts
    assert rasa.most_at_once["web-ada"] == 1
    said = [text for who, text in messages(database, "web-ada") if who == "customer"]
    assert said == texts


def test_different_conversations_do_not_wait_for_each_other(database, rasa, clock):
    rasa.delay = 0.5

    async def both() -> float:
        hub = make_hub(database, rasa.url, None, clock)
        loop = asyncio.get_running_loop()
        start = loop.time()
        await asyncio.gather(
            hub.receive(Inbound(channel="web", external_id="ada", text="hi")),
            hub.receive(Inbound(channel="web", external_id="bob", text="hi")),
        )
        await hub.close()
        return loop.time() - start

    assert asyncio.run(both()) < 0.95


@pytest.mark.redis
def test_two_backend_processes_never_handle_one_conversation_at_once(
    database, rasa, clock, redis_url
):
    if redis_url is None:
        pytest.skip("SUPPORTBOT_TEST_REDIS_URL not set")
    rasa.delay = 0.15
    texts = [f"message {n}" for n in range(6)]
    hubs = [make_hub(database, rasa.url, redis_url, clock) for _ in range(2)]

    asyncio.run(send_in_order(hubs, texts))

    assert rasa.most_at_once["web-ada"] == 1
    assert sorted(rasa.messages_from("web-ada")) == texts
    said = [text for who, text in messages(database, "web-ada") if who == "customer"]
    assert sorted(said) == texts
