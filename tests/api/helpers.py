"""Small helpers for API tests: seeding through a session and verifying a customer."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import SECRET
from ticketing.customers.models import Customer
from ticketing.orders.models import Order
from ticketing.verification import conversation_proof


def verify(
    client: TestClient, service_headers: dict[str, str], order: Order, customer: Customer
) -> dict[str, str]:
    """Headers of the action server acting for `customer`, verified with `order`."""
    response = client.post(
        "/api/verifications",
        json={"order_number": order.number, "email": customer.email},
        headers=service_headers,
    )
    assert response.status_code == 200, response.text
    return {**service_headers, "X-Verification-Token": response.json()["token"]}


def proof(client: TestClient, conversation_id: object) -> dict[str, str]:
    """The header the action server sends with writes for a conversation: the hub's proof for
    it (from the message metadata), issued now by the app's clock."""
    issued = conversation_proof.issue(
        secret=SECRET,
        conversation_id=str(conversation_id),
        now=client.app.state.clock(),  # type: ignore[attr-defined]
    )
    return {conversation_proof.HEADER: issued}


def codes(response: Any) -> list[str]:
    """The error codes of a `{"detail": [{"msg", "code"}]}` answer."""
    return [entry["code"] for entry in response.json()["detail"]]


STAFF_PASSWORD = "correct horse battery"  # the factories' default


def staff_headers(client: TestClient, username: str) -> dict[str, str]:
    """Bearer headers of a staff member made by `make_staff` with the default password."""
    response = client.post(
        "/api/auth/login", json={"username": username, "password": STAFF_PASSWORD}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
