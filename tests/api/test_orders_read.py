from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.api.helpers import codes, verify
from tests.conftest import Clock
from tests.contract import assert_documented
from tests.factories import make_customer, make_order
from ticketing.db import Database
from ticketing.orders.models import OrderStatus, ShipmentStatus


@pytest.fixture
def shop(database: Database, clock: Clock) -> dict[str, object]:
    with database.session() as s:
        ada = make_customer(s)
        bob = make_customer(s)
        delivered = make_order(s, ada, now=clock.now, delivered_days_ago=3)
        late = make_order(s, ada, now=clock.now, status=OrderStatus.SHIPPED, promised_in_days=-4)
        lost = make_order(s, ada, now=clock.now, status=OrderStatus.SHIPPED, promised_in_days=-3)
        lost.shipments[0].status = ShipmentStatus.LOST
        on_time = make_order(s, ada, now=clock.now, status=OrderStatus.SHIPPED, promised_in_days=2)
        today = make_order(
            s, ada, now=clock.now, status=OrderStatus.OUT_FOR_DELIVERY, promised_in_days=1
        )
        bobs = make_order(s, bob, now=clock.now)
    return locals()


def test_order_details_for_the_verified_customer(client, service_headers, shop):
    headers = verify(client, service_headers, shop["delivered"], shop["ada"])
    response = client.get(f"/api/orders/{shop['delivered'].number}", headers=headers)
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["status"] == "delivered"
    assert data["total"] == "74.70"
    assert [i["name"] for i in data["items"]] == ["Linen shirt", "Wool socks"]
    assert data["tracking"]["delivery_state"] == "delivered"
    assert data["can_cancel"] is False


def test_someone_elses_order_looks_exactly_like_an_unknown_one(client, service_headers, shop):
    headers = verify(client, service_headers, shop["delivered"], shop["ada"])
    theirs = client.get(f"/api/orders/{shop['bobs'].number}", headers=headers)
    unknown = client.get("/api/orders/99999", headers=headers)
    assert theirs.status_code == unknown.status_code == 404
    assert codes(theirs) == codes(unknown) == ["order_not_found"]
    assert shop["bobs"].number in theirs.json()["detail"][0]["msg"]


def test_the_customer_lists_only_their_own_recent_orders(client, service_headers, shop):
    headers = verify(client, service_headers, shop["delivered"], shop["ada"])
    response = client.get("/api/customers/me/orders?limit=10", headers=headers)
    numbers = {o["number"] for o in response.json()}
    mine = {shop[k].number for k in ("delivered", "late", "lost", "on_time", "today")}
    assert numbers == mine


def test_tracking_says_late_lost_or_on_time(client, service_headers, shop):
    headers = verify(client, service_headers, shop["delivered"], shop["ada"])
    late = client.get(f"/api/orders/{shop['late'].number}/tracking", headers=headers).json()
    assert late["delivery_state"] == "late"
    assert late["days_late"] == 4
    assert "4 days late" in late["message"]
    lost = client.get(f"/api/orders/{shop['lost'].number}/tracking", headers=headers).json()
    assert lost["delivery_state"] == "presumed_lost"
    on_time = client.get(f"/api/orders/{shop['on_time'].number}/tracking", headers=headers).json()
    assert on_time["delivery_state"] == "on_time"
    assert on_time["shipments"][0]["carrier"] == "DHL"
    number = on_time["shipments"][0]["tracking_number"]
    assert on_time["shipments"][0]["tracking_url"].endswith(f"piececode={number}")

    # Days as a customer says them ("Monday 7 December"), once, in the carrier's sentence.
    def spoken(tracking: dict) -> str:
        day = date.fromisoformat(tracking["shipments"][-1]["promised_delivery_date"])
        return f"{day:%A} {day.day} {day:%B}"

    assert on_time["message"].endswith(f"should arrive by {spoken(on_time)}.")
    # where the parcel is, then how late, then the promised day
    assert late["message"].startswith(
        f"Order {shop['late'].number} is on its way with DHL but is 4 days late: "
        f"it was due on {spoken(late)}."
    )
    # out for delivery: said so (not "on its way ... by tomorrow")
    today = client.get(f"/api/orders/{shop['today'].number}/tracking", headers=headers).json()
    assert today["delivery_state"] == "on_time"
    assert today["message"] == f"Order {shop['today'].number} is out for delivery with DHL today."


def test_an_expired_or_forged_token_is_refused(client, service_headers, shop, clock):
    headers = verify(client, service_headers, shop["delivered"], shop["ada"])
    url = f"/api/orders/{shop['delivered'].number}"
    forged = {**headers, "X-Verification-Token": headers["X-Verification-Token"][:-3] + "abc"}
    assert codes(client.get(url, headers=forged)) == ["invalid_token"]
    clock.advance(minutes=31)
    expired = client.get(url, headers=headers)
    assert expired.status_code == 401
    assert codes(expired) == ["token_expired"]


def test_order_data_needs_verification_and_a_service_key(client, service_headers, shop):
    url = f"/api/orders/{shop['delivered'].number}"
    assert codes(client.get(url, headers=service_headers)) == ["verification_required"]
    headers = verify(client, service_headers, shop["delivered"], shop["ada"])
    without_key = {"X-Verification-Token": headers["X-Verification-Token"]}
    assert codes(client.get(url, headers=without_key)) == ["bad_service_key"]


def test_a_staff_token_cannot_pass_as_a_verification(client, service_headers, shop, clock):
    from tests.conftest import SECRET
    from ticketing.security import tokens

    staff_token, _ = tokens.issue(
        secret=SECRET,
        kind="staff",
        claims={"sub": "x", "role": "agent"},
        now=clock.now,
        ttl=timedelta(minutes=5),
    )
    headers = {**service_headers, "X-Verification-Token": staff_token}
    response = client.get(f"/api/orders/{shop['delivered'].number}", headers=headers)
    assert codes(response) == ["invalid_token"]


def test_refusals_are_declared_in_the_schema(client, service_headers, shop):
    headers = verify(client, service_headers, shop["delivered"], shop["ada"])
    refusals = [
        client.get(f"/api/orders/{shop['delivered'].number}", headers=service_headers),
        client.get("/api/orders/99999/tracking", headers=headers),
        client.get("/api/orders/not-a-number", headers=headers),
        client.get("/api/customers/me/orders"),
    ]
    assert [r.status_code for r in refusals] == [401, 404, 422, 401]
    for response in refusals:
        assert_documented(client, response)
