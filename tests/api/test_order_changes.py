from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.api.helpers import codes, verify
from tests.conftest import Clock, new_key
from tests.contract import assert_documented
from tests.factories import ADDRESS, make_customer, make_order
from ticketing.audit.models import AuditEntry
from ticketing.db import Database
from ticketing.orders.models import Order, OrderStatus
from ticketing.refunds.models import Refund


@pytest.fixture
def shop(database: Database, clock: Clock) -> dict[str, object]:
    with database.session() as s:
        ada = make_customer(s)
        paid = make_order(s, ada, now=clock.now, status=OrderStatus.PAID)
        unpaid = make_order(s, ada, now=clock.now, status=OrderStatus.PENDING, paid=False)
        packed = make_order(s, ada, now=clock.now, status=OrderStatus.PACKED)
        shipped = make_order(s, ada, now=clock.now, status=OrderStatus.SHIPPED)
    return locals()


def _status(database: Database, number: str) -> OrderStatus:
    with database.session() as s:
        return s.scalar(select(Order.status).where(Order.number == number))


def _refunds(database: Database) -> list[Refund]:
    with database.session() as s:
        return list(s.scalars(select(Refund)))


def test_cancelling_a_paid_order_refunds_it_once(client, service_headers, shop, database):
    headers = verify(client, service_headers, shop["paid"], shop["ada"])
    key = new_key()
    url = f"/api/orders/{shop['paid'].number}/cancel"
    first = client.post(
        url, json={"reason": "ordered twice"}, headers={**headers, "Idempotency-Key": key}
    )
    assert first.status_code == 200, first.text
    assert first.json()["order"]["status"] == "cancelled"
    assert "refund of EUR 74.70 is processed" in first.json()["message"]
    again = client.post(
        url, json={"reason": "ordered twice"}, headers={**headers, "Idempotency-Key": key}
    )
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    other_key = client.post(url, json={}, headers={**headers, "Idempotency-Key": new_key()})
    assert other_key.status_code == 409
    assert codes(other_key) == ["order_cancelled"]
    refunds = _refunds(database)
    assert [(str(r.amount), r.status.value) for r in refunds] == [("74.70", "processed")]
    assert _status(database, shop["paid"].number) == OrderStatus.CANCELLED


def test_cancelling_an_unpaid_order_moves_no_money(client, service_headers, shop, database):
    headers = {
        **verify(client, service_headers, shop["unpaid"], shop["ada"]),
        "Idempotency-Key": new_key(),
    }
    response = client.post(f"/api/orders/{shop['unpaid'].number}/cancel", json={}, headers=headers)
    assert response.status_code == 200
    assert response.json()["refund_id"] is None
    assert _refunds(database) == []


def test_a_shipped_order_cannot_be_cancelled_and_nothing_changes(
    client, service_headers, shop, database
):
    headers = {
        **verify(client, service_headers, shop["shipped"], shop["ada"]),
        "Idempotency-Key": new_key(),
    }
    response = client.post(f"/api/orders/{shop['shipped'].number}/cancel", json={}, headers=headers)
    assert response.status_code == 409
    assert codes(response) == ["already_shipped"]
    msg = response.json()["detail"][0]["msg"]
    assert "has already shipped" in msg and "return it within 30 days" in msg
    assert _status(database, shop["shipped"].number) == OrderStatus.SHIPPED
    with database.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_a_write_without_an_idempotency_key_is_refused(client, service_headers, shop):
    headers = verify(client, service_headers, shop["paid"], shop["ada"])
    response = client.post(f"/api/orders/{shop['paid'].number}/cancel", json={}, headers=headers)
    assert response.status_code == 422
    assert codes(response) == ["idempotency_key_missing"]


def test_reusing_a_key_for_another_request_is_a_conflict(client, service_headers, shop):
    headers = {
        **verify(client, service_headers, shop["paid"], shop["ada"]),
        "Idempotency-Key": new_key(),
    }
    url = f"/api/orders/{shop['paid'].number}/shipping-address"
    assert client.put(url, json=ADDRESS | {"city": "Paris"}, headers=headers).status_code == 200
    response = client.put(url, json=ADDRESS | {"city": "Rome"}, headers=headers)
    assert response.status_code == 409
    assert codes(response) == ["idempotency_key_reused"]


def test_address_change_before_shipping_only(client, service_headers, shop, database):
    headers = verify(client, service_headers, shop["paid"], shop["ada"])
    new_address = ADDRESS | {
        "line1": "1 Rue de Rivoli",
        "city": "Paris",
        "postal_code": "75001",
        "country": "FR",
    }
    ok = client.put(
        f"/api/orders/{shop['paid'].number}/shipping-address",
        json=new_address,
        headers={**headers, "Idempotency-Key": new_key()},
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["order"]["shipping_address"]["city"] == "Paris"
    for name in ("packed", "shipped"):
        refused = client.put(
            f"/api/orders/{shop[name].number}/shipping-address",
            json=new_address,
            headers={**headers, "Idempotency-Key": new_key()},
        )
        assert refused.status_code == 409
        assert shop[name].number in refused.json()["detail"][0]["msg"]
    with database.session() as s:
        audit = s.scalars(
            select(AuditEntry).where(AuditEntry.action == "order.address_changed")
        ).all()
        assert len(audit) == 1
        assert audit[0].actor == f"customer:{shop['ada'].id}"
        assert audit[0].changes["to"]["city"] == "Paris"


@pytest.mark.parametrize(
    "change",
    [{"line1": "x" * 10_000}, {"country": "Germany"}, {"city": ""}, {"unknown": "field"}],
)
def test_a_bad_address_is_refused_with_a_clear_error(client, service_headers, shop, change):
    headers = {
        **verify(client, service_headers, shop["paid"], shop["ada"]),
        "Idempotency-Key": new_key(),
    }
    response = client.put(
        f"/api/orders/{shop['paid'].number}/shipping-address",
        json=ADDRESS | change,
        headers=headers,
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "body"


def test_refusals_are_declared_in_the_schema(client, service_headers, shop):
    headers = {
        **verify(client, service_headers, shop["shipped"], shop["ada"]),
        "Idempotency-Key": new_key(),
    }
    shipped = shop["shipped"].number
    cancel = client.post(f"/api/orders/{shipped}/cancel", json={}, headers=headers)
    move = client.put(f"/api/orders/{shipped}/shipping-address", json=ADDRESS, headers=headers)
    unknown = client.post("/api/orders/99999/cancel", json={}, headers=service_headers)
    assert [cancel.status_code, move.status_code, unknown.status_code] == [409, 409, 401]
    for response in (cancel, move, unknown):
        assert_documented(client, response)
