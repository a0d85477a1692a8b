"""The hub's client for Rasa's REST channel (`POST /webhooks/rest/webhook`)."""

from __future__ import annotations

import time
from typing import Any

import httpx

from ticketing.conversations.circuit_breaker import CircuitBreaker
from ticketing.observability.metrics import BOT_TURN_SECONDS


class RasaUnavailable(Exception):
    """Rasa (or the action server behind it) did not answer usefully."""


class RasaClient:
    """After 3 failed turns in a row Rasa is not asked for 30 s: messages meanwhile fail at
    once (the hub hands them to a person) instead of each waiting for a timeout."""

    def __init__(
        self, base_url: str, timeout_seconds: float = 30.0, breaker: CircuitBreaker | None = None
    ) -> None:
        self.url = base_url.rstrip("/") + "/webhooks/rest/webhook"
        self.client = httpx.AsyncClient(timeout=timeout_seconds)
        self.breaker = breaker or CircuitBreaker("Rasa", failures_to_open=3, open_seconds=30)

    async def send(
        self, sender: str, message: str, metadata: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """Every reply Rasa gives to one customer message, in order (timed as a bot turn)."""
        if not self.breaker.closed:
            BOT_TURN_SECONDS.labels("skipped").observe(0)
            raise RasaUnavailable(
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
        return replies

    async def _send(
        self, sender: str, message: str, metadata: dict[str, Any] | None
    ) -> list[dict[str, Any]]:
        body: dict[str, Any] = {"sender": sender, "message": message}
        if metadata:
            body["metadata"] = metadata
        try:
            response = await self.client.post(self.url, json=body)
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
