"""The hub's client for Rasa's REST channel (`POST /webhooks/rest/webhook`)."""

from __future__ import annotations

from typing import Any

import httpx


class RasaUnavailable(Exception):
    """Rasa (or the action server behind it) did not answer usefully."""


class RasaClient:
    def __init__(self, base_url: str, timeout_seconds: float = 30.0) -> None:
        self.url = base_url.rstrip("/") + "/webhooks/rest/webhook"
        self.client = httpx.AsyncClient(timeout=timeout_seconds)

    async def send(
        self, sender: str, message: str, metadata: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """Every reply Rasa gives to one customer message, in order."""
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
