"""POST /api/tickets and GET /api/tickets/{number}, on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.api.helpers import codes, proof, staff_headers, verify
from tests.conftest import new_key
from tests.contract import assert_documented
from tests.factories import make_staff
from ticketing.audit.models import AuditEntry
from ticketing.db import Database
from ticketing.staff.models import StaffRole
from ticketing.tickets.models import Ticket


@pytest.fixture
def agent(client, database: Database) -> dict[str, str]:
    """Bearer headers of a logged-in agent (only where needed: password hashing is slow)."""
    with database.session() as s:
        make_staff(s, "agent", StaffRole.AGENT)
    return staff_headers(client, "agent")


def ticket_body(**overrides: object) -> dict[str, object]:
    return {
        "category": "payment",
        "severity": "medium",
        "subject": "Charged twice",
        "description": "My card was charged twice for the same order.",
        "conversation_id": "conv-1",
        "channel": "webchat",
        "context": {"intent": "payment_issue", "slots": {"order": "x"}, "last_messages": []},
        **overrides,
    }


def post_ticket(client, headers, body=None, key=None):
    """POST /api/tickets; for a conversation with the hub's proof, as the action server sends."""
    body = ticket_body() if body is None else body
    proved = proof(client, body["conversation_id"]) if body.get("conversation_id") else {}
    return client.post(
        "/api/tickets",
        json=body,
        headers={**proved, **headers, "Idempotency-Key": key or new_key()},
    )


def test_a_ticket_for_the_verified_customers_order(client, service_headers, shop, database):
    headers = verify(client, service_headers, shop["ada_order"], shop["ada"])
    number = shop["ada_order"].number
    response = post_ticket(client, headers, ticket_body(order_number=f"#{number}"))
    assert response.status_code == 201, response.text
    ticket = response.json()
    assert re.fullmatch(r"T-\d{6}", ticket["number"])
    assert ticket["message"] == (
        f"Ticket {ticket['number']} is open with normal priority; an agent will reply within "
        "8 hours (business hours)."
    )
    assert {k: ticket[k] for k in ("priority", "status", "source", "order_number")} == {
        "priority": "normal",
        "status": "new",
        "source": "bot",
        "order_number": number,
    }
    assert ticket["first_response_minutes"] == 480
    assert ticket["context"] == ticket_body()["context"]
    assert ticket["assignee"] is None
    assert [e["kind"] for e in ticket["events"]] == ["created"]
    assert ticket["events"][0]["data"]["severity"] == "medium"
    with database.session() as s:
        stored = s.scalar(select(Ticket))
        assert stored.customer_id == shop["ada"].id
        assert (stored.conversation_id, stored.channel) == ("conv-1", "webchat")
        audit = s.scalar(select(AuditEntry).where(AuditEntry.action == "ticket.created"))
        assert audit.entity_id == ticket["number"]
        assert audit.actor == f"customer:{shop['ada'].id}"


def test_vip_customers_and_severe_problems_come_first(client, service_headers, shop):
    headers = verify(client, service_headers, shop["vera_order"], shop["vera"])
    body = ticket_body(
        category="logistics", severity="high", order_number=shop["vera_order"].number
    )
    ticket = post_ticket(client, headers, body).json()
    assert ticket["priority"] == "urgent"
    assert ticket["message"].endswith("an agent will reply within 30 minutes (business hours).")


def test_outside_business_hours_the_message_says_when_we_open(client, service_headers, clock):
    clock.advance(days=5)  # Saturday June 20
    ticket = post_ticket(client, service_headers, ticket_body(severity="critical")).json()
    assert ticket["message"] == (
        f"Ticket {ticket['number']} is open with urgent priority; an agent will reply within "
        "30 minutes after we open on Monday at 09:00."
    )


def test_without_an_order_no_verification_is_needed(client, service_headers, shop, database):
    response = post_ticket(client, service_headers, ticket_body(category="other", severity="low"))
    assert response.status_code == 201, response.text
    assert (response.json()["priority"], response.json()["order_number"]) == ("low", None)
    with database.session() as s:
        assert s.scalar(select(Ticket.customer_id)) is None


def test_a_valid_token_links_the_customer_even_without_an_order(
    client, service_headers, shop, database
):
    headers = verify(client, service_headers, shop["vera_order"], shop["vera"])
    ticket = post_ticket(client, headers, ticket_body(category="other", severity="low")).json()
    assert ticket["priority"] == "normal"  # VIP: one level up
    with database.session() as s:
        assert s.scalar(select(Ticket.customer_id)) == shop["vera"].id


def test_an_expired_token_is_ignored_when_no_order_is_attached(
    client, service_headers, shop, clock
):
    headers = verify(client, service_headers, shop["ada_order"], shop["ada"])
    clock.advance(minutes=31)
    assert post_ticket(client, headers).status_code == 201
    refused = post_ticket(client, headers, ticket_body(order_number=shop["ada_order"].number))
    assert (refused.status_code, codes(refused)) == (401, ["token_expired"])


def test_attaching_an_order_needs_the_customers_token(client, service_headers, shop, database):
    ada_number = shop["ada_order"].number
    missing = post_ticket(client, service_headers, ticket_body(order_number=ada_number))
    assert (missing.status_code, codes(missing)) == (401, ["verification_required"])
    bob = verify(client, service_headers, shop["bob_order"], shop["bob"])
    someone_elses = post_ticket(client, bob, ticket_body(order_number=ada_number))
    unknown = post_ticket(client, bob, ticket_body(order_number="99999"))
    assert someone_elses.status_code == unknown.status_code == 404
    assert codes(someone_elses) == codes(unknown) == ["order_not_found"]
    assert someone_elses.json()["detail"][0]["msg"] == (
        f"We couldn't find order {ada_number} among your orders. Please check the number."
    )
    forged = post_ticket(
        client,
        {**service_headers, "X-Verification-Token": "bogus.token"},
        ticket_body(order_number=ada_number),
    )
    assert (forged.status_code, codes(forged)) == (401, ["invalid_token"])
    garbled = post_ticket(client, bob, ticket_body(order_number="my order"))
    assert (garbled.status_code, codes(garbled)) == (422, ["invalid_order_number"])
    with database.session() as s:
        assert s.scalars(select(Ticket)).all() == []


def test_staff_can_file_a_ticket_for_any_order(client, shop, agent):
    headers = agent
    body = ticket_body(order_number=shop["bob_order"].number, conversation_id=None)
    response = post_ticket(client, headers, body)
    assert response.status_code == 201, response.text
    assert (response.json()["source"], response.json()["order_number"]) == (
        "agent",
        shop["bob_order"].number,
    )
    assert response.json()["events"][0]["actor"] == "staff:agent"


def test_the_same_idempotency_key_makes_one_ticket(client, service_headers, shop, database):
    key = new_key()
    first = post_ticket(client, service_headers, key=key)
    again = post_ticket(client, service_headers, key=key)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    other = post_ticket(client, service_headers, ticket_body(subject="Something else"), key=key)
    assert (other.status_code, codes(other)) == (409, ["idempotency_key_reused"])
    with database.session() as s:
        assert len(s.scalars(select(Ticket)).all()) == 1


def test_writes_need_an_idempotency_key_and_a_service_key(client, service_headers, shop):
    no_key = client.post(
        "/api/tickets", json=ticket_body(), headers={**service_headers, **proof(client, "conv-1")}
    )
    assert (no_key.status_code, codes(no_key)) == (422, ["idempotency_key_missing"])
    no_service = client.post(
        "/api/tickets", json=ticket_body(), headers={"Idempotency-Key": new_key()}
    )
    wrong_service = post_ticket(client, {"X-Api-Key": "nope"})
    assert no_service.status_code == wrong_service.status_code == 401
    assert codes(no_service) == codes(wrong_service) == ["bad_service_key"]


def test_malformed_json_and_other_content_types_are_refused(client, service_headers):
    headers = {**service_headers, "Idempotency-Key": new_key()}
    broken = client.post(
        "/api/tickets",
        content=b'{"category": "payment",',
        headers={**headers, "Content-Type": "application/json"},
    )
    assert broken.status_code == 422
    assert codes(broken) == ["invalid_input"]
    plain = client.post(
        "/api/tickets",
        content=b"category=payment",
        headers={**headers, "Content-Type": "text/plain"},
    )
    assert plain.status_code == 415


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("subject", "x" * 201),
        ("subject", "x" * 10_000),
        ("subject", "   "),
        ("description", "x" * 5001),
        ("description", "x" * 10_000),
        ("conversation_id", "x" * 10_000),
        ("channel", "x" * 10_000),
        ("order_number", "1" * 10_000),
        ("category", "shipping"),
        ("severity", "extreme"),
        ("priority", "urgent"),  # priority is computed, never given
        ("context", "not a dict"),
        ("context", {"messages": "x" * 50_000}),
        ("context", {"a": [[[[[[[[["too deep"]]]]]]]]]}),
    ],
)
def test_bad_fields_are_refused(client, service_headers, field, value, database):
    response = post_ticket(client, service_headers, ticket_body(**{field: value}))
    assert response.status_code == 422, response.text
    assert codes(response) == ["invalid_input"]
    assert field in response.json()["detail"][0]["loc"]
    with database.session() as s:
        assert s.scalars(select(Ticket)).all() == []


def test_the_longest_allowed_fields_are_kept(client, service_headers):
    body = ticket_body(subject="s" * 200, description="d" * 5000, context={"note": "n" * 40_000})
    response = post_ticket(client, service_headers, body)
    assert response.status_code == 201, response.text
    assert len(response.json()["description"]) == 5000


def test_reading_a_ticket(client, service_headers, shop, agent):
    ada = verify(client, service_headers, shop["ada_order"], shop["ada"])
    body = ticket_body(order_number=shop["ada_order"].number)
    number = post_ticket(client, ada, body).json()["number"]

    by_staff = client.get(f"/api/tickets/{number}", headers=agent)
    assert by_staff.status_code == 200, by_staff.text
    assert by_staff.json()["order_number"] == shop["ada_order"].number
    assert client.get(f"/api/tickets/{number.lower()}", headers=ada).status_code == 200
    assert client.get(f"/api/tickets/{number[2:]}", headers=ada).status_code == 200
    from_conversation = client.get(
        f"/api/tickets/{number}", params={"conversation_id": "conv-1"}, headers=service_headers
    )
    assert from_conversation.status_code == 200

    bob = verify(client, service_headers, shop["bob_order"], shop["bob"])
    hidden = [
        client.get(f"/api/tickets/{number}", headers=service_headers),
        client.get(f"/api/tickets/{number}", headers=bob),
        client.get(
            f"/api/tickets/{number}", params={"conversation_id": "conv-2"}, headers=service_headers
        ),
        client.get("/api/tickets/T-000000", headers=agent),
    ]
    assert [r.status_code for r in hidden] == [404, 404, 404, 404]
    assert {tuple(codes(r)) for r in hidden} == {("ticket_not_found",)}
    assert client.get(f"/api/tickets/{number}").status_code == 401


def test_a_long_ticket_number_is_simply_not_found(client, service_headers):
    response = client.get(f"/api/tickets/T-{'9' * 5000}", headers=service_headers)
    assert (response.status_code, codes(response)) == (404, ["ticket_not_found"])


def test_refusals_are_declared_in_the_schema(client, service_headers):
    key = new_key()
    assert post_ticket(client, service_headers, key=key).status_code == 201
    refusals = [
        post_ticket(client, service_headers, ticket_body(subject="Other"), key=key),
        post_ticket(client, {}),
        post_ticket(client, service_headers, ticket_body(order_number="99999")),
        client.get("/api/tickets/T-999999", headers=service_headers),
    ]
    assert [r.status_code for r in refusals] == [409, 401, 401, 404]
    for response in refusals:
        assert_documented(client, response)
