"""Events reach every subscriber of a topic: in one process, or across processes with Redis."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from ticketing.conversations.broker import InProcessBroker, RedisBroker
from ticketing.conversations.ordering import ConversationLocks
from ticketing.conversations.redis_breaker import RedisBreaker


async def first_event(broker_out, broker_in, topic: str) -> dict:
    async with broker_in.subscribe(topic) as subscription:
        await asyncio.sleep(0.1)  # Redis: the subscription is live before publishing
        await broker_out.publish("other", {"n": 0})
        await broker_out.publish(topic, {"n": 1, "text": "héllo 👋"})
        async for event in subscription:
            return event
    raise AssertionError("no event")


def test_in_process_subscribers_get_their_topics_only():
    broker = InProcessBroker()

    event = asyncio.run(asyncio.wait_for(first_event(broker, broker, "console"), 5))

    assert event == {"n": 1, "text": "héllo 👋"}


def test_a_stalled_subscriber_never_blocks_publishing():
    async def flood() -> int:
        broker = InProcessBroker()
        async with broker.subscribe("console"):
            for n in range(5000):
                await broker.publish("console", {"n": n})
        return n

    assert asyncio.run(asyncio.wait_for(flood(), 5)) == 4999


@pytest.mark.redis
def test_redis_carries_events_between_processes(redis_url):
    if redis_url is None:
        pytest.skip("SUPPORTBOT_TEST_REDIS_URL not set")

    topic = f"console-{uuid.uuid4().hex}"  # nothing else in this test run publishes here

    async def run() -> dict:
        publisher, subscriber = RedisBroker(redis_url), RedisBroker(redis_url)
        try:
            return await asyncio.wait_for(first_event(publisher, subscriber, topic), 5)
        finally:
            await publisher.close()
            await subscriber.close()

    assert asyncio.run(run()) == {"n": 1, "text": "héllo 👋"}


@pytest.mark.redis
def test_another_database_on_the_same_redis_is_not_heard(redis_url):
    """Pub/sub ignores Redis's database numbers: the broker's channel names must not."""
    if redis_url is None:
        pytest.skip("SUPPORTBOT_TEST_REDIS_URL not set")
    base, number = redis_url.rsplit("/", 1)
    other_url = f"{base}/{(int(number) + 1) % 16}"

    async def run() -> dict:
        mine, theirs = RedisBroker(redis_url), RedisBroker(other_url)
        try:
            async with mine.subscribe("console") as subscription:
                await asyncio.sleep(0.1)
                await theirs.publish("console", {"from": "another installation"})
                await mine.publish("console", {"from": "this one"})
                async for event in subscription:
                    return event
        finally:
            await mine.close()
            await theirs.close()
        raise AssertionError("no event")

    assert asyncio.run(asyncio.wait_for(run(), 5)) == {"from": "this one"}


def test_publishing_with_redis_down_is_logged_not_raised(caplog):
    async def run() -> None:
        broker = RedisBroker("redis://127.0.0.1:1/0")
        await broker.publish("console", {"n": 1})
        await broker.close()

    asyncio.run(run())

    assert "could not publish" in caplog.text


def test_after_a_redis_failure_redis_is_skipped_for_a_while(caplog):
    now = [100.0]
    breaker = RedisBreaker(open_seconds=5, clock=lambda: now[0])

    async def publish_three_times() -> None:
        broker = RedisBroker("redis://127.0.0.1:1/0", breaker=breaker)
        await broker.publish("console", {"n": 1})
        await broker.publish("console", {"n": 2})  # skipped: the breaker is open
        now[0] += 6
        await broker.publish("console", {"n": 3})  # tried again, fails again
        await broker.close()

    asyncio.run(publish_three_times())

    assert caplog.text.count("could not publish") == 2
    assert not breaker.closed


def test_the_conversation_lock_falls_back_to_this_process_when_redis_is_down(caplog):
    breaker = RedisBreaker(open_seconds=5)

    async def two_turns() -> list[str]:
        locks = ConversationLocks("redis://127.0.0.1:1/0", breaker)
        done = []
        for turn in ("first", "second"):
            async with locks.hold("web-ada"):
                done.append(turn)
        await locks.close()
        return done

    assert asyncio.run(two_turns()) == ["first", "second"]
    assert caplog.text.count("Redis lock unavailable") == 1
