"""POST /api/handoffs: one open handoff ticket per conversation, with the bot's whole summary."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from tests.api.helpers import codes, proof, staff_headers, verify
from tests.conftest import new_key
from tests.contract import assert_documented
from tests.factories import make_staff
from ticketing.db import Database
from ticketing.orders.oms import get_order_system
from ticketing.staff.models import StaffRole
from ticketing.tickets.handoff import hand_off
from ticketing.tickets.models import Ticket, TicketSource, TicketStatus
from ticketing.tickets.schemas import HandoffCreate


def summary(**overrides: object) -> dict[str, object]:
    return {
        "intent": "late_delivery",
        "order_number": None,
        "slots": {"task": "late_delivery", "customer_name": "Ada"},
        "last_messages": [
            {"sender": "customer", "text": "Where is my parcel?"},
            {"sender": "bot", "text": "It was due yesterday."},
            {"sender": "customer", "text": "I want to talk to a person."},
        ],
        **overrides,
    }


def handoff_body(**overrides: object) -> dict[str, object]:
    return {
        "conversation_id": "conv-7",
        "channel": "telegram",
        "reason": "requested",
        "summary": summary(),
        **overrides,
    }


def post_handoff(client, headers, body=None, key=None):
    """POST /api/handoffs as the action server does: with the hub's proof for the conversation."""
    body = handoff_body() if body is None else body
    return client.post(
        "/api/handoffs",
        json=body,
        headers={
            **proof(client, body.get("conversation_id")),
            **headers,
            "Idempotency-Key": key or new_key(),
        },
    )


def stored_tickets(database: Database) -> list[Ticket]:
    with database.session() as s:
        return list(s.scalars(select(Ticket).order_by(Ticket.id)))


def test_a_handoff_opens_a_ticket_with_the_whole_summary(client, service_headers, shop, database):
    headers = verify(client, service_headers, shop["ada_order"], shop["ada"])
    body = handoff_body(summary=summary(order_number=shop["ada_order"].number))
    response = post_handoff(client, headers, body)
    assert response.status_code == 201, response.text
    answer = response.json()
    assert set(answer) == {
        "number",
        "priority",
        "status",
        "reason",
        "created",
        "order_linked",
        "expected_wait_minutes",
        "message",
    }
    assert (answer["priority"], answer["status"], answer["reason"]) == (
        "normal",
        "new",
        "requested",
    )
    assert (answer["created"], answer["order_linked"], answer["expected_wait_minutes"]) == (
        True,
        True,
        480,
    )
    assert answer["message"] == (
        f"I've passed this conversation to a colleague (ticket {answer['number']}). "
        "They will reply within 8 hours (business hours)."
    )
    [ticket] = stored_tickets(database)
    assert (ticket.source, ticket.category, ticket.channel) == (
        TicketSource.HANDOFF,
        "logistics",
        "telegram",
    )
    assert (ticket.order_id, ticket.customer_id) == (shop["ada_order"].id, shop["ada"].id)
    assert ticket.context == body["summary"]
    assert ticket.subject == "Customer asked for a person (late_delivery)"
    assert "Last message from the customer: I want to talk to a person." in ticket.description
    assert f"Order: {shop['ada_order'].number} (verified)." in ticket.description


def test_an_upset_customer_gets_at_least_high_priority(client, service_headers, shop):
    angry = post_handoff(client, service_headers, handoff_body(reason="angry")).json()
    assert angry["priority"] == "high"
    assert angry["message"].endswith("They will reply within 2 hours (business hours).")
    vip = verify(client, service_headers, shop["vera_order"], shop["vera"])
    body = handoff_body(conversation_id="conv-vip", reason="angry")
    assert post_handoff(client, vip, body).json()["priority"] == "urgent"


@pytest.mark.parametrize(
    ("intent", "category"),
    [
        ("payment_issue", "payment"),
        ("damaged_or_wrong_item", "product_quality"),
        ("return_item", "after_sales"),
        (None, "after_sales"),
    ],
)
def test_the_category_follows_the_intent(client, service_headers, database, intent, category):
    body = handoff_body(summary=summary(intent=intent))
    assert post_handoff(client, service_headers, body).status_code == 201
    assert stored_tickets(database)[0].category == category


def test_a_second_handoff_reuses_the_open_ticket(client, service_headers, shop, database):
    first = post_handoff(client, service_headers)
    again = post_handoff(client, service_headers, handoff_body(reason="angry"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["number"] == first.json()["number"]
    assert (again.json()["created"], again.json()["reason"]) == (False, "angry")
    assert again.json()["priority"] == "high"  # raised by the upset customer
    assert again.json()["message"].startswith(
        f"A colleague already has this conversation (ticket {first.json()['number']})."
    )
    with database.session() as s:
        [ticket] = s.scalars(select(Ticket)).all()
        assert [e.kind for e in ticket.events] == ["created", "handoff_repeated", "priority_raised"]
        assert ticket.events[1].data["reason"] == "angry"
        assert ticket.events[2].data == {"priority": ["normal", "high"]}
        ticket.status = TicketStatus.OPEN
    working = post_handoff(client, service_headers).json()
    assert working["message"] == (
        f"A colleague is already looking after this conversation (ticket {working['number']})."
    )


def test_a_resolved_ticket_is_not_reused(client, service_headers, shop, database):
    first = post_handoff(client, service_headers).json()
    with database.session() as s:
        s.scalar(select(Ticket)).status = TicketStatus.RESOLVED
    second = post_handoff(client, service_headers)
    assert second.status_code == 201
    assert second.json()["number"] != first["number"]
    other_conversation = post_handoff(client, service_headers, handoff_body(conversation_id="c-2"))
    assert other_conversation.status_code == 201
    assert len(stored_tickets(database)) == 3


def bot_ticket(client, service_headers, conversation_id="conv-7") -> dict:
    """The bot opens a ticket in the conversation, as actions/tasks/problems.py does."""
    ticket = {
        "category": "product_quality",
        "subject": "Damaged item",
        "description": "The mug arrived broken",
        "conversation_id": conversation_id,
        "context": summary(intent="damaged_or_wrong_item", slots={"item": "mug"}),
    }
    headers = {**service_headers, **proof(client, conversation_id), "Idempotency-Key": new_key()}
    response = client.post("/api/tickets", json=ticket, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_a_handoff_after_a_bot_ticket_continues_that_ticket(client, service_headers, database):
    opened = bot_ticket(client, service_headers)
    bot_ticket(client, service_headers, conversation_id="another-conversation")
    body = handoff_body(summary=summary(intent=None, slots={}))  # the hub's "talk to a person"
    response = post_handoff(client, service_headers, body)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["number"] == opened["number"]
    assert answer["created"] is False
    passed = f"passed this conversation to a colleague (ticket {opened['number']})"
    assert passed in answer["message"]
    tickets = [t for t in stored_tickets(database) if t.conversation_id == "conv-7"]
    assert [t.number for t in tickets] == [opened["number"]]
    with database.session() as s:
        ticket = s.scalars(select(Ticket).where(Ticket.number == opened["number"])).one()
        assert [e.kind for e in ticket.events] == ["created", "handed_off"]
        assert ticket.status == TicketStatus.NEW
        # the bot's summary stays where the handoff's says nothing
        assert ticket.context["intent"] == "damaged_or_wrong_item"
        assert ticket.context["slots"] == {"item": "mug"}


def test_a_second_handoff_after_a_bot_ticket_is_a_repeat_of_the_same_ticket(
    client, service_headers, database
):
    opened = bot_ticket(client, service_headers)
    assert post_handoff(client, service_headers).status_code == 200
    again = post_handoff(client, service_headers)
    assert again.json()["number"] == opened["number"]
    assert "already" in again.json()["message"]
    with database.session() as s:
        ticket = s.scalars(select(Ticket).where(Ticket.number == opened["number"])).one()
        assert [e.kind for e in ticket.events] == ["created", "handed_off", "handoff_repeated"]


def test_a_resolved_bot_ticket_is_not_continued(client, service_headers, database):
    opened = bot_ticket(client, service_headers)
    with database.session(write=True) as s:
        ticket = s.scalars(select(Ticket).where(Ticket.number == opened["number"])).one()
        ticket.status = TicketStatus.RESOLVED
    response = post_handoff(client, service_headers)
    assert response.status_code == 201
    assert response.json()["number"] != opened["number"]
    assert [t.source for t in stored_tickets(database)] == ["bot", "handoff"]


def test_only_the_verified_customers_own_order_is_linked(client, service_headers, shop, database):
    ada_number = shop["ada_order"].number
    bob = verify(client, service_headers, shop["bob_order"], shop["bob"])
    cases = [
        ("no-token", service_headers, ada_number),
        ("bobs-token", bob, ada_number),
        ("unknown-order", bob, "99999"),
        ("garbled-order", bob, "my parcel"),
    ]
    for conversation, headers, number in cases:
        body = handoff_body(conversation_id=conversation, summary=summary(order_number=number))
        response = post_handoff(client, headers, body)
        assert response.status_code == 201, (conversation, response.text)
        assert response.json()["order_linked"] is False
    tickets = stored_tickets(database)
    assert [t.order_id for t in tickets] == [None, None, None, None]
    assert [t.customer_id for t in tickets] == [
        None,
        shop["bob"].id,
        shop["bob"].id,
        shop["bob"].id,
    ]
    assert tickets[0].context["order_number"] == ada_number  # kept for the agent, not linked
    assert f"Order: {ada_number} (not verified)." in tickets[0].description


def test_an_expired_token_does_not_stop_a_handoff(client, service_headers, shop, clock):
    headers = verify(client, service_headers, shop["ada_order"], shop["ada"])
    clock.advance(hours=2)
    body = handoff_body(summary=summary(order_number=shop["ada_order"].number))
    response = post_handoff(client, headers, body)
    assert response.status_code == 201, response.text
    assert response.json()["order_linked"] is False


def test_the_same_idempotency_key_replays_the_first_answer(client, service_headers, database):
    key = new_key()
    first = post_handoff(client, service_headers, key=key)
    again = post_handoff(client, service_headers, key=key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    [ticket] = stored_tickets(database)
    with database.session() as s:
        assert len(s.get(Ticket, ticket.id).events) == 1


def test_handoffs_need_the_service_key_and_an_idempotency_key(client, service_headers, database):
    no_key = client.post(
        "/api/handoffs",
        json=handoff_body(),
        headers={**service_headers, **proof(client, "conv-7")},
    )
    assert (no_key.status_code, codes(no_key)) == (422, ["idempotency_key_missing"])
    assert post_handoff(client, {}).status_code == 401
    assert codes(post_handoff(client, {"X-Api-Key": "wrong"})) == ["bad_service_key"]
    with database.session() as s:
        make_staff(s, "agent", StaffRole.AGENT)
    staff_only = post_handoff(client, staff_headers(client, "agent"))
    assert (staff_only.status_code, codes(staff_only)) == (401, ["bad_service_key"])
    assert stored_tickets(database) == []


def test_malformed_json_is_refused(client, service_headers):
    response = client.post(
        "/api/handoffs",
        content=b'{"conversation_id": "c", "summary": {',
        headers={
            **service_headers,
            "Idempotency-Key": new_key(),
            "Content-Type": "application/json",
        },
    )
    assert (response.status_code, codes(response)) == (422, ["invalid_input"])


def test_fifty_messages_of_ten_thousand_characters_are_within_bounds(client, service_headers):
    message = {"sender": "customer", "text": "x" * 10_000}
    body = handoff_body(summary=summary(last_messages=[message]))
    assert post_handoff(client, service_headers, body).status_code == 201
    many = [{"sender": "bot", "text": f"message {i}"} for i in range(50)]
    body = handoff_body(conversation_id="conv-50", summary=summary(last_messages=many))
    assert post_handoff(client, service_headers, body).status_code == 201


def test_a_body_over_the_size_limit_is_refused(client, service_headers):
    messages = [{"sender": "customer", "text": "x" * 10_000} for _ in range(7)]
    body = handoff_body(summary=summary(last_messages=messages))
    response = post_handoff(client, service_headers, body)
    assert (response.status_code, codes(response)) == (413, ["too_large"])


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"conversation_id": None}, "conversation_id"),
        ({"conversation_id": ""}, "conversation_id"),
        ({"conversation_id": "c" * 10_000}, "conversation_id"),
        ({"channel": "c" * 10_000}, "channel"),
        ({"reason": "bored"}, "reason"),
        ({"owner": "human"}, "owner"),
        ({"summary": summary(intent="i" * 10_000)}, "intent"),
        ({"summary": summary(order_number="1" * 10_000)}, "order_number"),
        ({"summary": summary(slots={"note": "n" * 40_000})}, "slots"),
        ({"summary": summary(slots=[1, 2])}, "slots"),
        ({"summary": summary(last_messages=[{"sender": "x", "text": "hi"}])}, "sender"),
        ({"summary": summary(last_messages=[{"sender": "bot", "text": "x" * 10_001}])}, "text"),
        (
            {"summary": summary(last_messages=[{"sender": "bot", "text": "hi"}] * 51)},
            "last_messages",
        ),
        ({"summary": summary(mood="angry")}, "mood"),
    ],
)
def test_bad_fields_are_refused(client, service_headers, database, change, where):
    response = post_handoff(client, service_headers, handoff_body(**change))
    assert response.status_code == 422, response.text
    assert where in response.json()["detail"][0]["loc"]
    assert stored_tickets(database) == []


def test_concurrent_handoffs_of_one_conversation_share_a_ticket(database, clock):
    """The second writer waits for the first to commit, then finds its ticket."""
    request = HandoffCreate.model_validate(handoff_body())
    first_inside, first_may_commit = threading.Event(), threading.Event()
    results: dict[str, tuple[str, bool]] = {}

    def run(name: str) -> None:
        with database.session(write=True) as s:
            outcome = hand_off(
                db_session=s,
                request=request,
                customer_id=None,
                oms=get_order_system(s),
                now=clock.now,
                actor="service",
            )
            results[name] = (outcome.ticket.number, outcome.created)
            if name == "first":
                first_inside.set()
                first_may_commit.wait(10)

    first = threading.Thread(target=run, args=("first",))
    second = threading.Thread(target=run, args=("second",))
    first.start()
    assert first_inside.wait(10)
    second.start()
    second.join(0.5)
    assert "second" not in results  # blocked behind the first writer's lock
    first_may_commit.set()
    first.join(10)
    second.join(10)
    assert results["first"][1] is True
    assert results["second"] == (results["first"][0], False)
    assert len(stored_tickets(database)) == 1


def test_refusals_are_declared_in_the_schema(client, service_headers):
    key = new_key()
    assert post_handoff(client, service_headers, key=key).status_code == 201
    reused = post_handoff(client, service_headers, handoff_body(reason="angry"), key=key)
    anonymous = post_handoff(client, {})
    assert [reused.status_code, anonymous.status_code] == [409, 401]
    for response in (reused, anonymous):
        assert_documented(client, response)
