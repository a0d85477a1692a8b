"""Returns of part of a line, and exchanges with the customer's wish as the note: what the chat
bot relies on."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.api.helpers import codes, verify
from tests.conftest import Clock, new_key
from tests.factories import make_customer, make_order
from ticketing.db import Database
from ticketing.returns.models import ReturnItem


@pytest.fixture
def shop(database: Database, clock: Clock) -> dict[str, Any]:
    with database.session() as s:
        ada = make_customer(s)
        candles = make_order(s, ada, now=clock.now, items=[("Scented candle", 2, "18.90", False)])
        late = make_order(
            s, ada, now=clock.now, delivered_days_ago=40, items=[("Zip hoodie", 1, "59.90", False)]
        )
    return locals()


def _post(client: TestClient, headers: dict[str, str], number: str, **body: Any) -> Any:
    return client.post(
        f"/api/orders/{number}/returns",
        json={"reason": "does_not_fit", **body},
        headers={**headers, "Idempotency-Key": new_key()},
    )


def test_one_of_two_then_at_most_the_other(
    client: TestClient, service_headers: dict[str, str], shop: dict[str, Any], database: Database
) -> None:
    headers = verify(client, service_headers, shop["candles"], shop["ada"])
    number = shop["candles"].number
    one = _post(client, headers, number, items=[{"sku": "SKU-SCENTED-CANDLE", "quantity": 1}])
    assert one.status_code == 201, one.text
    assert [(i["name"], i["quantity"]) for i in one.json()["items"]] == [("Scented candle", 1)]
    assert one.json()["refund_amount"] == "18.90"
    left = client.get(f"/api/orders/{number}/return-eligibility", headers=headers).json()
    assert left["items"][0]["returnable_quantity"] == 1
    too_many = _post(client, headers, number, items=[{"sku": "SKU-SCENTED-CANDLE", "quantity": 2}])
    assert too_many.status_code == 409
    assert codes(too_many) == ["quantity_too_large"]
    assert too_many.json()["detail"][0]["msg"] == "You can return at most 1 of Scented candle."
    with database.session() as s:
        assert [r.quantity for r in s.scalars(select(ReturnItem))] == [1]


def test_an_exchange_in_its_window_keeps_the_wish(
    client: TestClient, service_headers: dict[str, str], shop: dict[str, Any]
) -> None:
    headers = verify(client, service_headers, shop["late"], shop["ada"])
    number = shop["late"].number
    base = f"/api/orders/{number}/return-eligibility"
    assert client.get(base, headers=headers).json()["code"] == "outside_return_window"
    exchange = client.get(f"{base}?resolution=exchange", headers=headers).json()
    assert (exchange["eligible"], exchange["window_days"]) == (True, 45)
    assert codes(_post(client, headers, number)) == ["outside_return_window"]
    created = _post(client, headers, number, resolution="exchange", note="Exchange for: size L")
    assert created.status_code == 201, created.text
    rma = created.json()["rma_number"]
    assert created.json()["note"] == "Exchange for: size L"
    assert client.get(f"/api/returns/{rma}", headers=headers).json()["note"] == (
        "Exchange for: size L"
    )
    listed = client.get(f"/api/orders/{number}/returns", headers=headers).json()
    assert [(r["resolution"], r["note"]) for r in listed] == [("exchange", "Exchange for: size L")]
