"""One customer's messages are handled one at a time, in the order they arrived.

In one process an asyncio lock per conversation does it; with Redis configured a Redis lock
serialises the same conversation across backend processes too. If Redis is down, the local
lock still orders this process's messages and the hub carries on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from ticketing.conversations.redis_breaker import RedisBreaker

log = logging.getLogger(__name__)

LOCK_TIMEOUT_SECONDS = 120  # longer than the slowest bot turn; a crashed holder frees it then
WAIT_SECONDS = 150


class _LocalLock:
    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0


async def _acquire(lock: Any) -> bool:
    """Acquire, retrying once: a pooled connection from before a Redis restart fails once."""
    try:
        return bool(await lock.acquire())
    except (RedisError, OSError):
        return bool(await lock.acquire())


class ConversationLocks:
    def __init__(self, redis_url: str | None = None, breaker: RedisBreaker | None = None) -> None:
        self.breaker = breaker or RedisBreaker()
        self._local: dict[str, _LocalLock] = {}
        self._redis = (
            aioredis.Redis.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2)
            if redis_url
            else None
        )

    @asynccontextmanager
    async def hold(self, conversation_id: str) -> AsyncIterator[None]:
        entry = self._local.setdefault(conversation_id, _LocalLock())
        entry.users += 1
        try:
            async with entry.lock, self._shared(conversation_id):
                yield
        finally:
            entry.users -= 1
            if entry.users == 0:
                self._local.pop(conversation_id, None)

    @asynccontextmanager
    async def _shared(self, conversation_id: str) -> AsyncIterator[None]:
        if self._redis is None or not self.breaker.closed:
            yield
            return
        lock: Any = self._redis.lock(
            f"supportbot:conversation-lock:{conversation_id}",
            timeout=LOCK_TIMEOUT_SECONDS,
            blocking_timeout=WAIT_SECONDS,
        )
        try:
            acquired = await _acquire(lock)
        except (RedisError, OSError) as error:
            log.warning("Redis lock unavailable, ordering within this process only: %s", error)
            self.breaker.failed("lock", error)
            acquired = False
        try:
            yield
        finally:
            if acquired:
                try:
                    await lock.release()
                except (RedisError, OSError) as error:
                    log.warning("could not release a conversation lock: %s", error)

    async def close(self) -> None:
        if self._redis is not None:
            await self._redis.aclose()  # type: ignore[attr-defined]  # stubs predate redis 5
