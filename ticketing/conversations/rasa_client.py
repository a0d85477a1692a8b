"""The hub's client for Rasa's REST channel (`POST /webhooks/rest/webhook`)."""

from __future__ import annotations

import asyncio
import logging
import time
import zlib
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from ticketing.conversations.circuit_breaker import CircuitBreaker
from ticketing.observability.metrics import BOT_TURN_SECONDS

log = logging.getLogger(__name__)

# How often a waiting message asks Rasa again, and tells the customer's channel it still waits.
STARTUP_POLL_SECONDS = 1.0
STILL_WAITING_SECONDS = 10.0

Waiting = Callable[[], Awaitable[None]]


class RasaUnavailable(Exception):
    """Rasa (or the action server behind it) did not answer usefully."""


class RasaUnreachable(RasaUnavailable):
    """The message never reached Rasa (no connection, or not asked while its breaker is open):
    another Rasa server may take it without the turn being handled twice."""


class RasaClient:
    """After 3 failed turns in a row Rasa is not asked for 30 s: messages meanwhile fail at
    once (the hub hands them to a person) instead of each waiting for a timeout.

    Starting up is not being down: until Rasa has answered once, and at most `startup_seconds`
    after this client was made (the backend's start), a message that finds Rasa not listening
    (it opens its port only once the model is loaded) waits for it instead of being handed to a
    person. Once Rasa has answered, a Rasa that stops answering is down."""

    def __init__(
        self,
        base_url: str,
        timeout_seconds: float = 30.0,
        breaker: CircuitBreaker | None = None,
        *,
        startup_seconds: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        base = base_url.rstrip("/")
        self.url = base + "/webhooks/rest/webhook"
        # Rasa's greeting: needs no token (its /status does, and logs an ERROR without one).
        self.probe_url = base + "/"
        self.client = httpx.AsyncClient(timeout=timeout_seconds)
        self.breaker = breaker or CircuitBreaker("Rasa", failures_to_open=3, open_seconds=30)
        self.clock = clock
        self.starting_until = clock() + startup_seconds
        self.ready = False

    async def send(
        self,
        sender: str,
        message: str,
        metadata: dict[str, Any] | None = None,
        *,
        waiting: Waiting | None = None,
    ) -> list[dict[str, Any]]:
        """Every reply Rasa gives to one customer message, in order (timed as a bot turn).
        While Rasa starts, `waiting` is awaited every few seconds (to show the customer that
        an answer is coming)."""
        if not self.ready:
            await self.wait_while_starting(waiting)
        if not self.breaker.closed:
            BOT_TURN_SECONDS.labels("skipped").observe(0)
            raise RasaUnreachable(
                f"Rasa failed {self.breaker.failures} times in a row; not asked for another "
                f"{self.breaker.seconds_left():.0f} s"
            )
        started = time.perf_counter()
        outcome = "failed"
        try:
            replies = await self._send(sender, message, metadata)
            outcome = "answered" if replies else "empty"
        except RasaUnavailable as error:
            self.breaker.failed("turn", error)
            raise
        finally:
            BOT_TURN_SECONDS.labels(outcome).observe(time.perf_counter() - started)
        self.breaker.succeeded()
        self.ready = True
        return replies

    async def wait_while_starting(self, waiting: Waiting | None = None) -> bool:
        """Wait until Rasa listens, at most until the start-up window ends; True once Rasa is
        ready."""
        next_notice = self.clock() + STILL_WAITING_SECONDS
        waited = False
        while not self.ready:
            if await self.listening():
                self.ready = True
                break
            if self.clock() >= self.starting_until:
                break
            if not waited:
                log.info("Rasa is still starting: the message waits for it")
                waited = True
            if waiting is not None and self.clock() >= next_notice:
                next_notice = self.clock() + STILL_WAITING_SECONDS
                await waiting()
            await asyncio.sleep(STARTUP_POLL_SECONDS)
        return self.ready

    async def listening(self) -> bool:
        """Whether Rasa's server answers at all: `rasa run` opens its port only after loading
        the model, so any HTTP answer means it is ready for messages."""
        try:
            await self.client.get(self.probe_url, timeout=STARTUP_POLL_SECONDS * 2)
        except httpx.HTTPError:
            return False
        return True

    async def accepts_connections(self) -> bool:
        """Whether Rasa's port takes a connection (it opens only once the model is loaded). A
        busy Rasa answers late but its port still accepts at once, so this never mistakes busy
        for down, as an HTTP probe with a short timeout would."""
        address = httpx.URL(self.probe_url)
        try:
            _reader, writer = await asyncio.wait_for(
                asyncio.open_connection(address.host, address.port or 80),
                timeout=STARTUP_POLL_SECONDS * 2,
            )
        except (OSError, TimeoutError):
            return False
        writer.close()
        return True

    async def _send(
        self, sender: str, message: str, metadata: dict[str, Any] | None
    ) -> list[dict[str, Any]]:
        body: dict[str, Any] = {"sender": sender, "message": message}
        if metadata:
            body["metadata"] = metadata
        try:
            response = await self.client.post(self.url, json=body)
        except (httpx.ConnectError, httpx.ConnectTimeout) as error:  # nothing was sent
            raise RasaUnreachable(f"{type(error).__name__}: {error}") from error
        except httpx.HTTPError as error:
            raise RasaUnavailable(f"{type(error).__name__}: {error}") from error
        if response.status_code != 200:
            raise RasaUnavailable(f"Rasa answered HTTP {response.status_code}")
        try:
            replies = response.json()
        except ValueError as error:
            raise RasaUnavailable("Rasa answered with something that is not JSON") from error
        if not isinstance(replies, list) or not all(isinstance(r, dict) for r in replies):
            raise RasaUnavailable("Rasa's answer is not a list of messages")
        return replies

    async def close(self) -> None:
        await self.client.aclose()


def server_index(sender: str, servers: int) -> int:
    """Which of `servers` Rasa servers a conversation goes to: stable across restarts and
    processes (unlike `hash`), spread evenly over conversation ids."""
    return zlib.crc32(sender.encode()) % servers


class RasaServers:
    """Several Rasa servers sharing one tracker store (`supportbot run --rasa-workers N`).

    Each conversation goes to the same server every time (a stable hash of its id), so the
    servers share the work and one conversation never runs on two at once (the hub also locks
    it). A message that could not reach its server (down, or its breaker open) goes to the
    next one, which reads the same tracker; a turn that reached a server and then failed is
    not sent again (it may have been handled), as with one server."""

    def __init__(self, clients: list[RasaClient]) -> None:
        if not clients:
            raise ValueError("RasaServers needs at least one Rasa server")
        self.clients = clients

    @property
    def ready(self) -> bool:
        return any(client.ready for client in self.clients)

    @property
    def breaker(self) -> CircuitBreaker:
        """The first server's breaker (what a single server exposes)."""
        return self.clients[0].breaker

    def for_conversation(self, sender: str) -> list[RasaClient]:
        """The servers to try for `sender`, its own first."""
        first = server_index(sender, len(self.clients))
        return self.clients[first:] + self.clients[:first]

    async def send(
        self,
        sender: str,
        message: str,
        metadata: dict[str, Any] | None = None,
        *,
        waiting: Waiting | None = None,
    ) -> list[dict[str, Any]]:
        unreachable: list[str] = []
        for client in self.for_conversation(sender):
            try:
                if not client.ready and self.ready and not await client.accepts_connections():
                    # Still starting (or never started) while another answers: no waiting.
                    raise RasaUnreachable("not listening yet")
                return await client.send(sender, message, metadata, waiting=waiting)
            except RasaUnreachable as error:
                unreachable.append(f"{client.url}: {error}")
                log.warning("Rasa server %s unreachable, trying the next: %s", client.url, error)
        raise RasaUnavailable("no Rasa server answered (" + "; ".join(unreachable) + ")")

    async def close(self) -> None:
        for client in self.clients:
            await client.close()


def rasa_for(
    urls: list[str], timeout_seconds: float, *, startup_seconds: float
) -> RasaClient | RasaServers | None:
    """The hub's Rasa: none, one server, or several."""
    clients = [RasaClient(u, timeout_seconds, startup_seconds=startup_seconds) for u in urls]
    if not clients:
        return None
    return clients[0] if len(clients) == 1 else RasaServers(clients)
