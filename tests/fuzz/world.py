"""The shop the fuzzer works on: a customer with orders, an admin, and one of each thing the API
names in a path (return, refund, ticket, conversations, canned reply), made through the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient

from tests.api.helpers import proof, staff_headers
from tests.conftest import SERVICE_KEY, Clock, new_key
from tests.factories import make_customer, make_order, make_staff
from tests.hub.helpers import rest_id, rest_say
from ticketing.db import Database
from ticketing.orders.models import OrderStatus
from ticketing.staff.models import StaffRole


@dataclass(frozen=True)
class World:
    """Working credentials, and path-parameter values that name something that exists."""

    verification_token: str
    staff_token: str
    chat_token: str
    known: dict[str, list[str]] = field(default_factory=dict)

    @property
    def service_key(self) -> str:
        return SERVICE_KEY


def _created(response: Any) -> dict[str, Any]:
    assert response.status_code in {200, 201}, response.text
    body: dict[str, Any] = response.json()
    return body


def seed(client: TestClient, database: Database, clock: Clock) -> World:
    """People and orders straight into the database; everything else through the API."""
    with database.session() as db_session:
        ada = make_customer(db_session)
        orders = [
            make_order(db_session, ada, now=clock.now),
            make_order(db_session, ada, now=clock.now, status=OrderStatus.PAID),
            make_order(db_session, ada, now=clock.now, status=OrderStatus.SHIPPED),
        ]
        make_staff(db_session, "admin", StaffRole.ADMIN)
        numbers = [order.number for order in orders]
        customer_id, email = str(ada.id), ada.email
    delivered = numbers[0]
    service = {"X-Api-Key": SERVICE_KEY}
    token = _created(
        client.post(
            "/api/verifications",
            json={"order_number": delivered, "email": email},
            headers=service,
        )
    )["token"]
    customer = {**service, "X-Verification-Token": token}
    staff = staff_headers(client, "admin")

    def write(path: str, body: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        return _created(
            client.post(path, json=body, headers={**headers, "Idempotency-Key": new_key()})
        )

    rma = write(f"/api/orders/{delivered}/returns", {"reason": "does_not_fit"}, customer)
    _created(client.post(f"/api/returns/{rma['rma_number']}/receive", headers=staff))
    refund = write(f"/api/orders/{delivered}/refunds", {"rma_number": rma["rma_number"]}, customer)
    _created(rest_say(client, "fuzz", "hello"))
    handoff = {"conversation_id": rest_id("fuzz"), "channel": "rest"}
    write("/api/handoffs", handoff, {**customer, **proof(client, rest_id("fuzz"))})
    ticket = write(
        "/api/tickets",
        {"category": "other", "subject": "Fuzz", "description": "For the fuzzer"},
        customer,
    )
    chat = _created(client.post("/chat/api/sessions"))
    _created(
        client.post(
            "/chat/api/messages",
            json={"text": "Where is my parcel?", "client_id": "fuzz-1"},
            headers={"X-Chat-Token": chat["token"]},
        )
    )
    reply = _created(
        client.post(
            "/api/console/canned-replies", json={"title": "Hi", "text": "Hello!"}, headers=staff
        )
    )
    return World(
        verification_token=token,
        staff_token=staff["Authorization"].removeprefix("Bearer "),
        chat_token=chat["token"],
        known={
            "order_number": numbers,
            "rma_number": [rma["rma_number"]],
            "refund_id": [str(refund["id"])],
            "conversation_id": [rest_id("fuzz"), chat["conversation_id"]],
            "number": [ticket["number"]],
            "customer_id": [customer_id],
            "reply_id": [str(reply["id"])],
            "email": [email],
            "username": ["admin"],
        },
    )
