"""POSTing one signed event to the CRM webhook with a timeout."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import httpx

from integrations.crm.models import CrmEvent
from integrations.crm.signing import sign


@dataclass(frozen=True)
class Delivery:
    """What came of one attempt. `reachable` is False when the CRM did not answer at all."""

    ok: bool
    error: str | None = None
    reachable: bool = True


def event_body(event: CrmEvent) -> bytes:
    """The JSON body: `{"id", "kind", "occurred_at", "data"}`, compact and key-sorted."""
    document = {
        "id": str(event.id),
        "kind": event.kind,
        "occurred_at": event.created_at.isoformat(),
        "data": event.payload,
    }
    return json.dumps(document, separators=(",", ":"), sort_keys=True).encode()


class WebhookSender:
    """Sends events to one URL, signed with one secret; 2xx is the only success."""

    def __init__(self, url: str, secret: str, *, timeout_seconds: float) -> None:
        self.url = url
        self.secret = secret
        self.client = httpx.Client(timeout=timeout_seconds, follow_redirects=False)

    def send(self, event: CrmEvent, *, now: datetime) -> Delivery:
        body = event_body(event)
        timestamp = str(int(now.timestamp()))
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "supportbot-crm-webhook",
            "X-Supportbot-Event-Id": str(event.id),
            "X-Supportbot-Timestamp": timestamp,
            "X-Supportbot-Signature": sign(body, self.secret, timestamp),  # covers the timestamp
        }
        try:
            response = self.client.post(self.url, content=body, headers=headers)
        except httpx.TimeoutException:
            return Delivery(ok=False, error="timed out", reachable=False)
        except httpx.TransportError as exc:
            return Delivery(ok=False, error=f"unreachable ({type(exc).__name__})", reachable=False)
        if response.is_success:
            return Delivery(ok=True)
        return Delivery(ok=False, error=f"HTTP {response.status_code}")

    def close(self) -> None:
        self.client.close()
