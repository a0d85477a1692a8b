from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.helpers import codes
from tests.conftest import SERVICE_KEY, Clock
from tests.contract import assert_documented
from tests.factories import make_customer, make_order
from ticketing.db import Database


@pytest.fixture
def shop(database: Database, clock: Clock) -> dict[str, object]:
    with database.session() as s:
        ada = make_customer(s, email="Ada.L@example.com", phone="+49 151 2345 6789")
        bob = make_customer(s, email="bob@example.com")
        order = make_order(s, ada, now=clock.now)
        other = make_order(s, bob, now=clock.now)
    return {"ada": ada, "bob": bob, "order": order, "other": other}


def post(client: TestClient, body: object, headers: dict[str, str]) -> object:
    return client.post("/api/verifications", json=body, headers=headers)


def test_email_matches_whatever_the_case_and_spacing(client, service_headers, shop):
    body = {"order_number": f"#{shop['order'].number}", "email": "  ada.l@EXAMPLE.com "}
    response = client.post("/api/verifications", json=body, headers=service_headers)
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["order_number"] == shop["order"].number
    assert data["customer_first_name"] == "Ada"
    assert data["token"]


@pytest.mark.parametrize("phone", ["+49 151 2345 6789", "0049-151-23456789", "(151) 2345 6789"])
def test_phone_matches_in_any_common_format(client, service_headers, shop, phone):
    body = {"order_number": shop["order"].number, "phone": phone}
    response = client.post("/api/verifications", json=body, headers=service_headers)
    assert response.status_code == 200, response.text


def test_wrong_email_and_unknown_order_get_the_same_answer(client, service_headers, shop):
    wrong = client.post(
        "/api/verifications",
        json={"order_number": shop["order"].number, "email": "bob@example.com"},
        headers=service_headers,
    )
    unknown = client.post(
        "/api/verifications",
        json={"order_number": "99999", "email": "bob@example.com"},
        headers=service_headers,
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert codes(wrong) == ["verification_failed"]


def test_too_many_failures_lock_the_order_even_for_the_right_email(client, service_headers, shop):
    number = shop["order"].number
    for attempt in range(5):
        body = {
            "order_number": number,
            "email": f"guess{attempt}@example.com",
            "conversation_id": f"attacker-{attempt}",
        }
        assert (
            client.post("/api/verifications", json=body, headers=service_headers).status_code == 401
        )
    right = client.post(
        "/api/verifications",
        json={"order_number": number, "email": "ada.l@example.com", "conversation_id": "ada"},
        headers=service_headers,
    )
    assert right.status_code == 429
    assert int(right.headers["Retry-After"]) > 0
    assert codes(right) == ["rate_limited"]
    other = client.post(
        "/api/verifications",
        json={
            "order_number": shop["other"].number,
            "email": "bob@example.com",
            "conversation_id": "bob",
        },
        headers=service_headers,
    )
    assert other.status_code == 200


def test_one_asker_guessing_many_orders_is_locked_out(client, service_headers, shop):
    for number in range(10001, 10006):
        body = {"order_number": str(number), "email": "x@example.com", "conversation_id": "bot-1"}
        assert (
            client.post("/api/verifications", json=body, headers=service_headers).status_code == 401
        )
    body = {
        "order_number": shop["order"].number,
        "email": "ada.l@example.com",
        "conversation_id": "bot-1",
    }
    assert client.post("/api/verifications", json=body, headers=service_headers).status_code == 429


def test_needs_a_valid_service_key_and_accepts_a_rotated_one(client, shop):
    body = {"order_number": shop["order"].number, "email": "ada.l@example.com"}
    assert client.post("/api/verifications", json=body).status_code == 401
    bad = client.post("/api/verifications", json=body, headers={"X-Api-Key": "nope"})
    assert bad.status_code == 401
    assert codes(bad) == ["bad_service_key"]
    rotated = {"X-Api-Key": f"rotated-{SERVICE_KEY}"}
    assert client.post("/api/verifications", json=body, headers=rotated).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"order_number": "10001"},
        {"email": "ada@example.com"},
        {"order_number": "x" * 10_000, "email": "ada@example.com"},
        {"order_number": "10001", "email": "a" * 10_000},
        {"order_number": "10001", "email": "ada@example.com", "extra": 1},
    ],
)
def test_malformed_bodies_are_refused_with_422(client, service_headers, shop, body):
    response = client.post("/api/verifications", json=body, headers=service_headers)
    assert response.status_code == 422
    assert all(entry["msg"] for entry in response.json()["detail"])


def test_malformed_json_and_emoji_never_cause_a_500(client, service_headers, shop):
    broken = client.post(
        "/api/verifications",
        content=b'{"order_number": "1000',
        headers={**service_headers, "Content-Type": "application/json"},
    )
    assert broken.status_code == 422
    emoji = client.post(
        "/api/verifications",
        json={"order_number": "\U0001f4e6 order 🙂", "email": "🙂@example.com"},
        headers=service_headers,
    )
    assert emoji.status_code == 422
    assert codes(emoji) == ["invalid_order_number"]


def test_refusals_are_declared_in_the_schema(client, service_headers, shop):
    body = {"order_number": shop["order"].number, "email": "wrong@example.com"}
    answers = [post(client, body, service_headers) for _ in range(8)]
    statuses = [a.status_code for a in answers]
    assert statuses[0] == 401 and statuses[-1] == 429, statuses
    for response in (answers[0], answers[-1], post(client, body, {})):
        assert_documented(client, response)
