"""What a bot ticket records beyond the problem (issue 21 item 1): what the customer was told,
the customer of a conversation verified earlier, and its free text masked for staff while the
customer's own record (the bot, for the conversation or the verified customer) sees it whole."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.api.helpers import staff_headers, verify
from tests.api.test_tickets import post_ticket, ticket_body
from tests.conftest import Clock
from tests.factories import make_staff
from ticketing.conversations.models import Conversation, CsatState, Owner
from ticketing.db import Database
from ticketing.staff.models import StaffRole
from ticketing.tickets.masking import masked_json, masked_text
from ticketing.tickets.models import Ticket

PROBLEM = (
    "The mug arrived smashed on 2026-12-01. Call me on +49 171 2345678 or write to "
    "jurgen.fischer160@example.org, order 10944."
)
MASKED = (
    "The mug arrived smashed on 2026-12-01. Call me on ***78 or write to "
    "j***@example.org, order 10944."
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (PROBLEM, MASKED),
        ("ann@example.com", "a***@example.com"),
        ("my number: 0171/2345678", "my number: ***78"),
        ("ordered 01.12.2026, due 7.12.2026", "ordered 01.12.2026, due 7.12.2026"),
        (
            "order 10944 and RMA-323114, ticket T-123456",
            "order 10944 and RMA-323114, ticket T-123456",
        ),
        ("", ""),
    ],
)
def test_masked_text(text: str, expected: str) -> None:
    assert masked_text(text) == expected


def test_masked_json_masks_every_string_and_keeps_the_rest() -> None:
    context = {"slots": {"contact": "ann@example.com", "count": 2}, "last_messages": [
        {"sender": "customer", "text": "+49 171 2345678"}], "ok": True}  # fmt: skip
    assert masked_json(context) == {
        "slots": {"contact": "a***@example.com", "count": 2},
        "last_messages": [{"sender": "customer", "text": "***78"}],
        "ok": True,
    }


@pytest.fixture
def agent(client, database: Database) -> dict[str, str]:
    with database.session() as s:
        make_staff(s, "agent", StaffRole.AGENT)
    return staff_headers(client, "agent")


def _problem_ticket(client, headers) -> dict[str, object]:
    context = {"last_messages": [{"sender": "customer", "text": PROBLEM}]}
    body = ticket_body(description=PROBLEM, context=context, told_customer="We'll make it right.")
    response = post_ticket(client, headers, body)
    assert response.status_code == 201, response.text
    return response.json()


def test_staff_see_the_free_text_masked(client, service_headers, agent) -> None:
    created = _problem_ticket(client, service_headers)
    shown = client.get(f"/api/tickets/{created['number']}", headers=agent).json()
    assert shown["description"] == MASKED
    assert shown["context"]["last_messages"][0]["text"] == MASKED
    assert "jurgen" not in str(shown) and "2345678" not in str(shown)


def test_the_customers_own_record_is_whole(client, service_headers, database) -> None:
    created = _problem_ticket(client, service_headers)
    assert created["description"] == PROBLEM  # the answer to the bot that opened it
    own = client.get(
        f"/api/tickets/{created['number']}",
        headers=service_headers,
        params={"conversation_id": "conv-1"},
    ).json()
    assert own["description"] == PROBLEM
    with database.session() as s:
        assert s.scalar(select(Ticket.description)) == PROBLEM  # stored as the customer wrote it


def test_the_ticket_keeps_what_the_customer_was_told(client, service_headers) -> None:
    created = _problem_ticket(client, service_headers)
    [event] = created["events"]
    assert event["data"]["told_customer"] == ["We'll make it right.", created["message"]]


def test_without_a_promise_the_reply_is_still_recorded(client, service_headers) -> None:
    response = post_ticket(client, service_headers, ticket_body())
    told = response.json()["events"][0]["data"]["told_customer"]
    assert told == [response.json()["message"]]


def test_a_verified_conversation_links_its_customer(
    client, service_headers, shop, database: Database, clock: Clock
) -> None:
    with database.session() as s:
        s.add(
            Conversation(
                id="conv-1",
                channel="web",
                external_id="conv-1",
                owner=Owner.BOT,
                csat_state=CsatState.NONE,
                customer_id=shop["bob"].id,
                context={},
                created_at=clock.now,
                updated_at=clock.now,
            )
        )
    response = post_ticket(client, service_headers, ticket_body(category="other"))
    assert response.status_code == 201, response.text
    with database.session() as s:
        ticket = s.scalar(select(Ticket))
        assert (ticket.customer_id, ticket.order_id) == (shop["bob"].id, None)


def test_an_unlinked_conversation_links_nobody(client, service_headers, database) -> None:
    post_ticket(client, service_headers, ticket_body())
    with database.session() as s:
        assert s.scalar(select(Ticket.customer_id)) is None


def test_a_verified_customers_complaint_links_order_and_customer(
    client, service_headers, shop, database
) -> None:
    headers = verify(client, service_headers, shop["ada_order"], shop["ada"])
    body = ticket_body(category="other", order_number=shop["ada_order"].number)
    assert post_ticket(client, headers, body).status_code == 201
    with database.session() as s:
        ticket = s.scalar(select(Ticket))
        assert (ticket.customer_id, ticket.order_id) == (shop["ada"].id, shop["ada_order"].id)
