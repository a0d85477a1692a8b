from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.api.helpers import codes, staff_headers, verify
from tests.conftest import Clock, new_key
from tests.contract import assert_documented
from tests.factories import make_customer, make_order, make_staff
from ticketing.db import Database
from ticketing.refunds.models import Refund
from ticketing.staff.models import StaffRole


@pytest.fixture
def shop(database: Database, clock: Clock) -> dict[str, object]:
    with database.session() as s:
        ada = make_customer(s)
        recent = make_order(s, ada, now=clock.now, delivered_days_ago=10)
        old = make_order(s, ada, now=clock.now, delivered_days_ago=41)
        mixed = make_order(
            s,
            ada,
            now=clock.now,
            delivered_days_ago=3,
            items=[("Gift card", 1, "25.00", True), ("Rain jacket", 1, "89.00", False)],
        )
        pricey = make_order(s, ada, now=clock.now, items=[("Espresso machine", 1, "349.00", False)])
        make_staff(s, "agent", StaffRole.AGENT)
        make_staff(s, "boss", StaffRole.MANAGER)
    return locals()


def _open_return(client, headers, number: str, **body) -> dict:
    response = client.post(
        f"/api/orders/{number}/returns",
        json={"reason": "does_not_fit", **body},
        headers={**headers, "Idempotency-Key": new_key()},
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_eligibility_explains_the_window(client, service_headers, shop):
    headers = verify(client, service_headers, shop["recent"], shop["ada"])
    ok = client.get(
        f"/api/orders/{shop['recent'].number}/return-eligibility", headers=headers
    ).json()
    assert ok["eligible"] is True
    assert ok["days_left"] == 20
    old = client.get(f"/api/orders/{shop['old'].number}/return-eligibility", headers=headers).json()
    assert old["eligible"] is False
    number = shop["old"].number
    assert old["reason"] == (
        f"Order {number} was delivered 41 days ago; returns are accepted within 30 days."
    )
    exchange = client.get(
        f"/api/orders/{shop['old'].number}/return-eligibility?resolution=exchange", headers=headers
    ).json()
    assert exchange["eligible"] is True  # the exchange window is 45 days


def test_return_then_receive_then_refund_exactly_once(client, service_headers, shop, database):
    headers = verify(client, service_headers, shop["recent"], shop["ada"])
    number = shop["recent"].number
    early = client.post(
        f"/api/orders/{number}/refunds", json={}, headers={**headers, "Idempotency-Key": new_key()}
    )
    assert codes(early) == ["no_return"]
    rma = _open_return(client, headers, number)
    assert rma["status"] == "approved"
    assert rma["rma_number"].startswith("RMA-")
    assert rma["refund_amount"] == "69.80"
    assert "return label" in rma["next_steps"]
    assert rma["rma_number"] not in rma["next_steps"]  # the bot says the number once, beside it
    waiting = client.post(
        f"/api/orders/{number}/refunds", json={}, headers={**headers, "Idempotency-Key": new_key()}
    )
    assert codes(waiting) == ["return_not_received"]
    assert rma["rma_number"] in waiting.json()["detail"][0]["msg"]

    received = client.post(
        f"/api/returns/{rma['rma_number']}/receive", headers=staff_headers(client, "agent")
    )
    assert received.status_code == 200, received.text
    refund = client.post(
        f"/api/orders/{number}/refunds",
        json={"reason": "too small"},
        headers={**headers, "Idempotency-Key": new_key()},
    )
    assert refund.status_code == 201, refund.text
    assert (refund.json()["amount"], refund.json()["status"]) == ("69.80", "processed")
    twice = client.post(
        f"/api/orders/{number}/refunds", json={}, headers={**headers, "Idempotency-Key": new_key()}
    )
    assert codes(twice) == ["already_refunded"]
    assert (
        client.get(f"/api/returns/{rma['rma_number']}", headers=headers).json()["status"]
        == "refunded"
    )
    with database.session() as s:
        assert len(s.scalars(select(Refund)).all()) == 1
    again = _open_return_refused(client, headers, number)
    assert codes(again) == ["no_returnable_items"]


def _open_return_refused(client, headers, number):
    return client.post(
        f"/api/orders/{number}/returns",
        json={"reason": "changed_mind"},
        headers={**headers, "Idempotency-Key": new_key()},
    )


def test_final_sale_items_are_not_returnable(client, service_headers, shop):
    headers = verify(client, service_headers, shop["mixed"], shop["ada"])
    number = shop["mixed"].number
    eligibility = client.get(f"/api/orders/{number}/return-eligibility", headers=headers).json()
    by_name = {i["name"]: i for i in eligibility["items"]}
    assert by_name["Gift card"]["returnable"] is False
    assert (
        by_name["Gift card"]["reason"]
        == "Gift card was a final-sale item, so it can't be returned."
    )
    refused = client.post(
        f"/api/orders/{number}/returns",
        json={"reason": "changed_mind", "items": [{"sku": "SKU-GIFT-CARD"}]},
        headers={**headers, "Idempotency-Key": new_key()},
    )
    assert refused.status_code == 409
    assert "final-sale" in refused.json()["detail"][0]["msg"]
    whole = _open_return(client, headers, number)  # no items: every returnable item
    assert [i["name"] for i in whole["items"]] == ["Rain jacket"]


def test_outside_the_window_the_return_is_refused(client, service_headers, shop):
    headers = verify(client, service_headers, shop["old"], shop["ada"])
    refused = _open_return_refused(client, headers, shop["old"].number)
    assert refused.status_code == 409
    assert codes(refused) == ["outside_return_window"]
    assert "delivered 41 days ago" in refused.json()["detail"][0]["msg"]


def test_a_large_refund_waits_for_a_manager(client, service_headers, shop):
    headers = verify(client, service_headers, shop["pricey"], shop["ada"])
    number = shop["pricey"].number
    rma = _open_return(client, headers, number, resolution="refund")
    client.post(f"/api/returns/{rma['rma_number']}/receive", headers=staff_headers(client, "agent"))
    refund = client.post(
        f"/api/orders/{number}/refunds", json={}, headers={**headers, "Idempotency-Key": new_key()}
    ).json()
    assert (refund["status"], refund["requires_approval"]) == ("pending", True)
    assert "waiting for approval" in refund["message"]
    agent_try = client.post(
        f"/api/refunds/{refund['id']}/approve", headers=staff_headers(client, "agent")
    )
    assert agent_try.status_code == 403
    approved = client.post(
        f"/api/refunds/{refund['id']}/approve", headers=staff_headers(client, "boss")
    )
    assert approved.json()["status"] == "processed"
    repeat = client.post(
        f"/api/refunds/{refund['id']}/approve", headers=staff_headers(client, "boss")
    )
    assert codes(repeat) == ["not_awaiting_approval"]
    status = client.get(f"/api/refunds/{refund['id']}", headers=headers).json()
    assert status["status"] == "processed" and status["expected_by"]


def test_store_credit_returns_refund_as_store_credit(client, service_headers, shop):
    headers = verify(client, service_headers, shop["recent"], shop["ada"])
    number = shop["recent"].number
    rma = _open_return(
        client,
        headers,
        number,
        resolution="store_credit",
        items=[{"sku": "SKU-WOOL-SOCKS", "quantity": 1}],
    )
    assert rma["refund_amount"] == "9.95"
    client.post(f"/api/returns/{rma['rma_number']}/receive", headers=staff_headers(client, "agent"))
    refund = client.post(
        f"/api/orders/{number}/refunds", json={}, headers={**headers, "Idempotency-Key": new_key()}
    ).json()
    assert (refund["method"], refund["amount"]) == ("store_credit", "9.95")
    rest = _open_return(client, headers, number, items=[{"sku": "SKU-WOOL-SOCKS", "quantity": 1}])
    assert rest["refund_amount"] == "9.95"
    too_many = client.post(
        f"/api/orders/{number}/returns",
        json={"reason": "changed_mind", "items": [{"sku": "SKU-WOOL-SOCKS", "quantity": 1}]},
        headers={**headers, "Idempotency-Key": new_key()},
    )
    assert too_many.status_code == 409


def test_wrong_login_gets_one_answer(client, shop):
    wrong_password = client.post("/api/auth/login", json={"username": "agent", "password": "nope"})
    no_user = client.post("/api/auth/login", json={"username": "ghost", "password": "nope"})
    assert wrong_password.status_code == no_user.status_code == 401
    assert wrong_password.json() == no_user.json()


def test_receiving_needs_staff(client, service_headers, shop):
    headers = verify(client, service_headers, shop["recent"], shop["ada"])
    rma = _open_return(client, headers, shop["recent"].number)
    response = client.post(f"/api/returns/{rma['rma_number']}/receive", headers=headers)
    assert response.status_code == 401
    assert codes(response) == ["login_required"]


def test_refusals_are_declared_in_the_schema(client, service_headers, shop):
    headers = verify(client, service_headers, shop["old"], shop["ada"])
    agent = staff_headers(client, "agent")
    refusals = [
        _open_return_refused(client, headers, shop["old"].number),
        client.get("/api/returns/RMA-000000", headers=headers),
        client.post("/api/returns/RMA-000000/receive", headers=agent),
        client.post("/api/returns/RMA-000000/receive", headers=headers),
        client.post("/api/orders/99999/refunds", json={}, headers=service_headers),
        client.get("/api/refunds/999999", headers=headers),
        client.post("/api/refunds/999999/approve", headers=agent),
    ]
    assert [r.status_code for r in refusals] == [409, 404, 404, 401, 401, 404, 403]
    for response in refusals:
        assert_documented(client, response)


def test_a_refund_id_beyond_the_database_range_is_invalid_input(client, service_headers, shop):
    # Found by the fuzzer: on PostgreSQL (32-bit ids) this was a 500 from the database.
    headers = verify(client, service_headers, shop["recent"], shop["ada"])
    too_large = client.get("/api/refunds/2147483648", headers=headers)
    approve = client.post("/api/refunds/2147483648/approve", headers=staff_headers(client, "boss"))
    assert client.get("/api/refunds/2147483647", headers=headers).status_code == 404
    for response in (too_large, approve):
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["path", "refund_id"]
        assert_documented(client, response)
