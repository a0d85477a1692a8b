"""POST /api/orders/{n}/shipping-address/parse: the typed address in fields for the bot to read
back, with the order's own country and name as defaults; nothing changes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.api.helpers import codes, verify
from tests.conftest import Clock
from tests.contract import assert_documented
from tests.factories import ADDRESS, make_customer, make_order
from ticketing.db import Database
from ticketing.orders.models import Order, OrderStatus


@pytest.fixture
def shop(database: Database, clock: Clock) -> dict[str, object]:
    with database.session() as s:
        ada = make_customer(s)
        paid = make_order(s, ada, now=clock.now, status=OrderStatus.PAID)
        bob = make_customer(s)
        bobs = make_order(s, bob, now=clock.now, status=OrderStatus.PAID)
    return locals()


def _parse(client, headers, order: Order, text: str):
    return client.post(
        f"/api/orders/{order.number}/shipping-address/parse", json={"text": text}, headers=headers
    )


def test_a_typed_address_is_read_with_the_orders_name(client, service_headers, shop, database):
    headers = verify(client, service_headers, shop["paid"], shop["ada"])
    response = _parse(client, headers, shop["paid"], "Hauptstraße 88\n69117 Heidelberg, Germany")
    assert response.status_code == 200, response.text
    assert_documented(client, response)
    assert response.json() == {
        "address": {
            "name": ADDRESS["name"],
            "line1": "Hauptstraße 88",
            "line2": None,
            "postal_code": "69117",
            "city": "Heidelberg",
            "country": "DE",
        },
        "text": f"{ADDRESS['name']}, Hauptstraße 88, 69117 Heidelberg, Germany",
    }
    with database.session() as s:  # reading changes nothing
        stored = s.scalar(select(Order.shipping_address).where(Order.id == shop["paid"].id))
        assert stored == ADDRESS


def test_the_orders_country_is_the_default(client, service_headers, shop):
    headers = verify(client, service_headers, shop["paid"], shop["ada"])  # a UK order
    response = _parse(client, headers, shop["paid"], "Jane Doe, 5 Kings Road, London SW3 4UD")
    assert response.json()["address"]["country"] == "GB"
    assert response.json()["text"] == "Jane Doe, 5 Kings Road, London SW3 4UD, United Kingdom"


@pytest.mark.parametrize(
    ("text", "field", "code"),
    [
        ("5 Kings Road, London", "postal_code", "address_postal_code_missing"),
        ("London SW3 4UD", "street", "address_street_missing"),
        ("x" * 10_000, "address", "address_too_long"),
        ("🏠", "address", "address_symbols"),
    ],
    ids=["no postal code", "only a city", "10000 characters", "emoji"],
)
def test_an_unreadable_address_names_the_field(client, service_headers, shop, text, field, code):
    headers = verify(client, service_headers, shop["paid"], shop["ada"])
    response = _parse(client, headers, shop["paid"], text)
    assert response.status_code == 422, response.text
    assert_documented(client, response)
    assert codes(response) == [code]
    assert response.json()["detail"][0]["context"] == {"field": field}


def test_someone_elses_order_is_not_found(client, service_headers, shop):
    headers = verify(client, service_headers, shop["paid"], shop["ada"])
    response = _parse(client, headers, shop["bobs"], "Hauptstraße 88, 69117 Heidelberg")
    assert response.status_code == 404
    assert codes(response) == ["order_not_found"]


def test_without_verification_nothing_is_read(client, service_headers, shop):
    response = _parse(client, service_headers, shop["paid"], "Hauptstraße 88, 69117 Heidelberg")
    assert response.status_code == 401
