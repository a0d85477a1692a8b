"""Fan-out of conversation events to every open console and chat window.

Redis pub/sub when `SUPPORTBOT_REDIS_URL` is set, so several backend processes see each other's
events; an in-process broker otherwise. A subscriber gets events published after it subscribed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Protocol

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from ticketing.conversations.redis_breaker import RedisBreaker

log = logging.getLogger(__name__)

CONSOLE_TOPIC = "console"
QUEUE_SIZE = 1000


def conversation_topic(conversation_id: str) -> str:
    return f"conversation:{conversation_id}"


class Subscription(Protocol):
    def __aiter__(self) -> AsyncIterator[dict[str, Any]]: ...


class Broker(Protocol):
    async def publish(self, topic: str, event: dict[str, Any]) -> None: ...

    def subscribe(self, *topics: str) -> contextlib.AbstractAsyncContextManager[Subscription]: ...

    async def close(self) -> None: ...


class _QueueSubscription:
    def __init__(self, queue: asyncio.Queue[dict[str, Any]]) -> None:
        self.queue = queue

    async def __aiter__(self) -> AsyncIterator[dict[str, Any]]:
        while True:
            yield await self.queue.get()


class InProcessBroker:
    """Events reach subscribers in this process only (the embedded default)."""

    def __init__(self) -> None:
        self._subscribers: dict[str, set[asyncio.Queue[dict[str, Any]]]] = {}

    async def publish(self, topic: str, event: dict[str, Any]) -> None:
        for queue in list(self._subscribers.get(topic, ())):
            if queue.full():  # a stalled reader loses its oldest event, never blocks others
                queue.get_nowait()
            queue.put_nowait(event)

    @asynccontextmanager
    async def subscribe(self, *topics: str) -> AsyncIterator[Subscription]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(QUEUE_SIZE)
        for topic in topics:
            self._subscribers.setdefault(topic, set()).add(queue)
        try:
            yield _QueueSubscription(queue)
        finally:
            for topic in topics:
                self._subscribers.get(topic, set()).discard(queue)

    async def close(self) -> None:
        self._subscribers.clear()


class _RedisSubscription:
    def __init__(self, pubsub: Any) -> None:
        self.pubsub = pubsub

    async def __aiter__(self) -> AsyncIterator[dict[str, Any]]:
        while True:
            # Blocks until an event arrives (no polling wake-ups, no read cut short by a timer);
            # a closed websocket cancels it.
            message = await self.pubsub.get_message(ignore_subscribe_messages=True, timeout=None)
            if message is None:
                continue
            try:
                yield json.loads(message["data"])
            except (ValueError, TypeError):
                log.warning("ignored a malformed event on %s", message.get("channel"))


async def _close_pubsub(pubsub: Any) -> None:
    with contextlib.suppress(RedisError, OSError):
        await pubsub.unsubscribe()
    with contextlib.suppress(RedisError, OSError):
        await pubsub.aclose()


def channel_prefix(redis_url: str) -> str:
    """The start of every channel name for the database `redis_url` names ("supportbot:15:")."""
    database = aioredis.connection.parse_url(redis_url).get("db", 0)
    return f"supportbot:{database}:"


class RedisBroker:
    """Redis pub/sub, shared by every backend process. If Redis is down, publishing logs and
    carries on (the message is already stored; a console reloading sees it).

    Redis's channels are one namespace for the whole server, whatever database the URL names:
    the channel names carry that database's number, so two installations (or two test
    workers) on one Redis each hear only their own events."""

    def __init__(
        self, url: str, prefix: str | None = None, breaker: RedisBreaker | None = None
    ) -> None:
        self.client = aioredis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = prefix if prefix is not None else channel_prefix(url)
        self.breaker = breaker or RedisBreaker()

    async def publish(self, topic: str, event: dict[str, Any]) -> None:
        if not self.breaker.closed:
            return
        data = json.dumps(event, default=str)
        try:
            await self.client.publish(self.prefix + topic, data)
        except (RedisError, OSError):
            # A pooled connection from before a Redis restart fails once: try a fresh one.
            try:
                await self.client.publish(self.prefix + topic, data)
            except (RedisError, OSError) as error:
                log.warning("could not publish to %s: %s", topic, error)
                self.breaker.failed("publish", error)

    @asynccontextmanager
    async def subscribe(self, *topics: str) -> AsyncIterator[Subscription]:
        pubsub = self.client.pubsub()
        await pubsub.subscribe(*(self.prefix + topic for topic in topics))
        try:
            yield _RedisSubscription(pubsub)
        finally:
            # Shielded: a cancelled reader (a closed websocket) must still free its connection.
            await asyncio.shield(_close_pubsub(pubsub))

    async def close(self) -> None:
        await self.client.aclose()  # type: ignore[attr-defined]  # stubs predate redis 5


def make_broker(redis_url: str | None, breaker: RedisBreaker | None = None) -> Broker:
    return RedisBroker(redis_url, breaker=breaker) if redis_url else InProcessBroker()
