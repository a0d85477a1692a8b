"""The ticketing API as the action server sees it: a service key, the customer's verification
token, an Idempotency-Key on every write, timeouts, and two kinds of failure:

- `ApiRefusal`: the backend answered and said no (4xx); `message` is written for the customer.
- `BackendUnavailable`: no usable answer (connection refused, timeout, 5xx); say so honestly and
  hand over to a person.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import ssl
from dataclasses import dataclass
from typing import Any

import httpx

DEFAULT_URL = "http://127.0.0.1:8000"
DEFAULT_KEY = "dev-service-key"
PROOF_HEADER = "X-Conversation-Proof"  # ticketing.verification.conversation_proof.HEADER


@dataclass(frozen=True)
class ApiConfig:
    base_url: str
    api_key: str
    timeout_seconds: float

    @classmethod
    def from_env(cls) -> ApiConfig:
        """SUPPORTBOT_API_URL, SUPPORTBOT_ACTIONS_API_KEY, SUPPORTBOT_API_TIMEOUT (seconds)."""
        return cls(
            base_url=os.environ.get("SUPPORTBOT_API_URL", DEFAULT_URL).rstrip("/"),
            api_key=os.environ.get("SUPPORTBOT_ACTIONS_API_KEY", DEFAULT_KEY),
            timeout_seconds=float(os.environ.get("SUPPORTBOT_API_TIMEOUT", "5")),
        )


class BackendUnavailable(Exception):
    """The backend could not be reached or failed (timeout, connection error, 5xx)."""


class ApiRefusal(Exception):
    """The backend refused the request (4xx); `message` can be shown to the customer."""

    def __init__(self, status: int, code: str, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """Read the CA bundle once per process; a new httpx client would read it again on every
    API call (tens of milliseconds each)."""
    return httpx.create_ssl_context()


def idempotency_key(*parts: object) -> str:
    """A stable key for one intended change: the same conversation asking for the same thing
    twice (a double "yes", a retried webhook) gets the same key, so it happens once."""
    raw = json.dumps(parts, sort_keys=True, default=str)
    return "bot-" + hashlib.sha256(raw.encode()).hexdigest()[:40]


def _refusal(response: httpx.Response) -> ApiRefusal:
    code, message = "error", "That request was refused."
    try:
        detail = response.json().get("detail")
        if isinstance(detail, list) and detail:
            first = detail[0]
            code = str(first.get("code") or first.get("type") or code)
            message = str(first.get("msg") or message)
        elif isinstance(detail, str):
            message = detail
    except (ValueError, AttributeError):
        pass
    retry = response.headers.get("Retry-After")
    return ApiRefusal(response.status_code, code, message, int(retry) if retry else None)


class TicketingApi:
    """One method per endpoint the assistant needs."""

    def __init__(
        self, config: ApiConfig | None = None, *, token: str | None = None, proof: str | None = None
    ) -> None:
        self.config = config or ApiConfig.from_env()
        self.token = token
        self.proof = proof

    def with_token(self, token: str | None, *, proof: str | None = None) -> TicketingApi:
        """The API for one customer: their verification token, and the hub's proof for their
        conversation (from the latest message's metadata)."""
        return TicketingApi(self.config, token=token, proof=proof)

    async def _call(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        key: str | None = None,
        prove: bool = False,
    ) -> Any:
        """`prove`: the write is for this conversation: it carries the hub's proof, which the
        backend requires where no verification token covers the write (rating, ticket, handoff)
        and uses elsewhere to record what the bot did in the conversation (verification,
        return, refund)."""
        headers = {"X-Api-Key": self.config.api_key}
        if self.token:
            headers["X-Verification-Token"] = self.token
        if prove and self.proof:
            headers[PROOF_HEADER] = self.proof
        if key:
            headers["Idempotency-Key"] = key
        try:
            async with httpx.AsyncClient(
                base_url=self.config.base_url,
                timeout=self.config.timeout_seconds,
                verify=_tls_context(),
            ) as client:
                response = await client.request(method, path, json=body, headers=headers)
        except httpx.HTTPError as error:
            raise BackendUnavailable(f"{method} {path}: {type(error).__name__}") from error
        if response.status_code >= 500:
            raise BackendUnavailable(f"{method} {path}: HTTP {response.status_code}")
        if response.status_code >= 400:
            raise _refusal(response)
        try:
            return response.json()
        except ValueError as error:
            raise BackendUnavailable(f"{method} {path}: the answer is not JSON") from error

    # identity
    async def verify(
        self, order_number: str, contact: str, conversation_id: str, client_ip: str | None = None
    ) -> Any:
        """`client_ip`: the customer's address as the hub saw it, for the limits per address."""
        body: dict[str, Any] = {"order_number": order_number, "conversation_id": conversation_id}
        body["email" if "@" in contact else "phone"] = contact
        if client_ip:
            body["client_ip"] = client_ip
        return await self._call("POST", "/api/verifications", body=body, prove=True)

    # orders
    async def order(self, number: str) -> Any:
        return await self._call("GET", f"/api/orders/{number}")

    async def tracking(self, number: str) -> Any:
        return await self._call("GET", f"/api/orders/{number}/tracking")

    async def cancel(self, number: str, key: str, reason: str | None = None) -> Any:
        return await self._call(
            "POST", f"/api/orders/{number}/cancel", body={"reason": reason}, key=key
        )

    async def parse_address(self, number: str, text: str) -> Any:
        """The typed address in fields (`address`) and as one line (`text`); ApiRefusal 422
        names the missing field in its message."""
        return await self._call(
            "POST", f"/api/orders/{number}/shipping-address/parse", body={"text": text}
        )

    async def change_address(self, number: str, address: dict[str, Any], key: str) -> Any:
        return await self._call(
            "PUT", f"/api/orders/{number}/shipping-address", body=address, key=key
        )

    # returns and refunds
    async def return_eligibility(self, number: str, resolution: str | None = None) -> Any:
        """`resolution`: exchanges have their own (longer) window; None means a refund."""
        query = f"?resolution={resolution}" if resolution else ""
        return await self._call("GET", f"/api/orders/{number}/return-eligibility{query}")

    async def returns(self, number: str) -> Any:
        return await self._call("GET", f"/api/orders/{number}/returns")

    async def create_return(self, number: str, request: dict[str, Any], key: str) -> Any:
        return await self._call(
            "POST", f"/api/orders/{number}/returns", body=request, key=key, prove=True
        )

    async def refunds(self, number: str) -> Any:
        return await self._call("GET", f"/api/orders/{number}/refunds")

    async def request_refund(self, number: str, request: dict[str, Any], key: str) -> Any:
        return await self._call(
            "POST", f"/api/orders/{number}/refunds", body=request, key=key, prove=True
        )

    # policy, tickets, handoff, ratings
    async def policy(self) -> Any:
        return await self._call("GET", "/api/policy")

    async def create_ticket(self, ticket: dict[str, Any], key: str) -> Any:
        return await self._call("POST", "/api/tickets", body=ticket, key=key, prove=True)

    async def handoff(self, request: dict[str, Any], key: str) -> Any:
        return await self._call("POST", "/api/handoffs", body=request, key=key, prove=True)

    async def rate(self, rating: dict[str, Any]) -> Any:
        return await self._call("POST", "/api/ratings", body=rating, prove=True)

    # the training inbox
    async def report_misunderstanding(self, report: dict[str, Any]) -> Any:
        """A message the bot did not understand (stored masked for managers to label)."""
        return await self._call("POST", "/api/training/misunderstandings", body=report, prove=True)
