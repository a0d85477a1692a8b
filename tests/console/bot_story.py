"""Jonas's conversation with the bot, played through the API as the action server plays it:
verified with order 10410, a return (RMA) opened, a ticket for a damaged item. Every write
carries the hub's proof for the conversation; the test then hands the conversation over."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from tests.conftest import SECRET, SERVICE_KEY, new_key
from tests.factories import make_customer, make_order
from ticketing.conversations import store
from ticketing.customers.models import CustomerTier
from ticketing.db import Database
from ticketing.verification import conversation_proof

EXTERNAL_ID = "0975481bb668c0ffee"
CONVERSATION_ID = store.conversation_id_for("web", EXTERNAL_ID)
ITEMS = [("Stoneware mug", 2, "14.00", False), ("Linen napkins", 1, "19.00", False)]


class Poster(Protocol):
    def post(self, url: str, *, json: Any, headers: dict[str, str]) -> Any: ...


@dataclass(frozen=True)
class Story:
    conversation_id: str
    order_number: str
    rma_number: str
    ticket_number: str


def _proof(now: datetime, conversation_id: str = CONVERSATION_ID) -> dict[str, str]:
    issued = conversation_proof.issue(secret=SECRET, conversation_id=conversation_id, now=now)
    return {conversation_proof.HEADER: issued}


def _ok(response: Any) -> dict[str, Any]:
    assert response.status_code in (200, 201), response.text
    answer: dict[str, Any] = response.json()
    return answer


def start(database: Database, now: datetime) -> str:
    """Jonas (gold tier) with his order 10410 and a web chat the bot owns; the order number."""
    with database.session(write=True) as s:
        jonas = make_customer(
            s, name="Jonas Becker", email="jonas@example.org", tier=CustomerTier.GOLD
        )
        number = make_order(s, jonas, now=now, items=ITEMS, number="10410").number
        store.get_or_create(s, channel="web", external_id=EXTERNAL_ID, now=now)
    return number


def verify(api: Poster, now: datetime, order_number: str, *, proof: bool = True) -> str:
    """The bot verifies Jonas; his verification token."""
    body = {
        "order_number": order_number,
        "email": "jonas@example.org",
        "conversation_id": CONVERSATION_ID,
    }
    headers = {"X-Api-Key": SERVICE_KEY, **(_proof(now) if proof else {})}
    return str(_ok(api.post("/api/verifications", json=body, headers=headers))["token"])


def play(api: Poster, database: Database, now: datetime) -> Story:
    """Verification, a return and a ticket, as the bot does them in Jonas's conversation."""
    number = start(database, now)
    token = verify(api, now, number)
    headers = {
        "X-Api-Key": SERVICE_KEY,
        "X-Verification-Token": token,
        **_proof(now),
    }
    rma = _ok(
        api.post(
            f"/api/orders/{number}/returns",
            json={"reason": "damaged", "condition": "damaged"},
            headers={**headers, "Idempotency-Key": new_key()},
        )
    )["rma_number"]
    ticket = {
        "category": "product_quality",
        "subject": "Damaged item (order 10410)",
        "description": "One mug arrived broken",
        "order_number": number,
        "conversation_id": CONVERSATION_ID,
        "channel": "web",
        "context": {"intent": "damaged_or_wrong_item", "slots": {"item": "Stoneware mug"}},
    }
    opened = _ok(
        api.post("/api/tickets", json=ticket, headers={**headers, "Idempotency-Key": new_key()})
    )["number"]
    return Story(CONVERSATION_ID, number, str(rma), str(opened))


def ask_for_a_person(api: Poster, now: datetime, token: str | None = None) -> dict[str, Any]:
    """The bot's handoff ("Talk to a person") with only what the hub itself knows."""
    body = {
        "conversation_id": CONVERSATION_ID,
        "channel": "web",
        "reason": "requested",
        "summary": {"last_messages": [{"sender": "customer", "text": "Yes"}]},
    }
    headers = {"X-Api-Key": SERVICE_KEY, **_proof(now), "Idempotency-Key": new_key()}
    if token:
        headers["X-Verification-Token"] = token
    return _ok(api.post("/api/handoffs", json=body, headers=headers))
