"""What the bot learned reaches the agent: a verification links the conversation to the
customer, the backend records the return and ticket the bot created, a handoff continues the
bot's ticket, and the console's queue and card show it all."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import new_key
from tests.console import bot_story
from tests.console.conftest import Console
from tests.factories import make_order
from ticketing.conversations.models import Conversation
from ticketing.customers.models import Customer
from ticketing.orders.models import OrderStatus
from ticketing.tickets.models import Ticket


def stored(console: Console, conversation_id: str) -> Conversation:
    with console.database.session() as s:
        found = s.get(Conversation, conversation_id)
        assert found is not None
        return found


def test_a_verification_with_the_proof_links_the_conversation(console: Console) -> None:
    now = console.clock.now
    number = bot_story.start(console.database, now)
    bot_story.verify(console.client, now, number)
    conversation = stored(console, bot_story.CONVERSATION_ID)
    with console.database.session() as s:
        jonas = s.scalars(select(Customer).where(Customer.email == "jonas@example.org")).one()
    assert conversation.customer_id == jonas.id
    record = conversation.context["collected"]
    assert record["customer"] == {
        "name": "Jonas Becker",
        "email": "j***@example.org",
        "tier": "gold",
    }
    assert record["order"]["number"] == number
    assert record["order"]["items"] == [
        {"name": "Stoneware mug", "quantity": 2},
        {"name": "Linen napkins", "quantity": 1},
    ]


def test_without_the_proof_a_verification_links_nothing(console: Console) -> None:
    now = console.clock.now
    number = bot_story.start(console.database, now)
    bot_story.verify(console.client, now, number, proof=False)
    conversation = stored(console, bot_story.CONVERSATION_ID)
    assert conversation.customer_id is None
    assert "collected" not in conversation.context


def test_a_proof_for_another_conversation_links_nothing(console: Console) -> None:
    now = console.clock.now
    number = bot_story.start(console.database, now)
    body = {"order_number": number, "email": "jonas@example.org", "conversation_id": "web-other"}
    headers = {"X-Api-Key": bot_story.SERVICE_KEY, **bot_story._proof(now)}
    assert console.client.post("/api/verifications", json=body, headers=headers).status_code == 200
    assert stored(console, bot_story.CONVERSATION_ID).customer_id is None


def test_a_refund_the_bot_requests_is_recorded(console: Console) -> None:
    now = console.clock.now
    bot_story.start(console.database, now)
    with console.database.session(write=True) as s:
        jonas = s.scalars(select(Customer).where(Customer.email == "jonas@example.org")).one()
        cancelled = make_order(s, jonas, now=now, status=OrderStatus.CANCELLED).number
    token = bot_story.verify(console.client, now, cancelled)
    headers = {
        "X-Api-Key": bot_story.SERVICE_KEY,
        "X-Verification-Token": token,
        "Idempotency-Key": new_key(),
        **bot_story._proof(now),
    }
    answer = console.client.post(f"/api/orders/{cancelled}/refunds", json={}, headers=headers)
    assert answer.status_code == 201, answer.text
    record = stored(console, bot_story.CONVERSATION_ID).context["collected"]
    refund = answer.json()
    assert record["created"] == [
        {"kind": "refund", "number": f"refund {refund['id']}: {refund['amount']} EUR"}
    ]
    assert record["order"]["number"] == cancelled
    assert record["order"]["status"] == "cancelled"


def test_the_handoff_continues_the_bots_ticket_with_everything_it_did(console: Console) -> None:
    story = bot_story.play(console.client, console.database, console.clock.now)
    answer = bot_story.ask_for_a_person(console.client, console.clock.now)
    assert answer["number"] == story.ticket_number
    conversation = stored(console, story.conversation_id)
    with console.database.session() as s:
        query = select(Ticket).where(Ticket.conversation_id == story.conversation_id)
        tickets = list(s.scalars(query))
        assert [t.number for t in tickets] == [story.ticket_number]
        assert conversation.ticket_id == tickets[0].id
    assert conversation.customer_id == tickets[0].customer_id is not None

    console.staff("ann")
    detail = console.get("ann", f"/conversations/{story.conversation_id}")
    assert detail.status_code == 200, detail.text
    assert detail.json()["who"] == "Jonas Becker"
    collected = detail.json()["collected"]
    assert collected["customer"]["name"] == "Jonas Becker"
    assert collected["customer"]["email"] == "j***@example.org"
    assert collected["customer"]["tier"] == "gold"
    assert collected["order_number"] == story.order_number
    assert collected["order_status"] == "delivered"
    assert [line["name"] for line in collected["order_items"]] == [
        "Stoneware mug",
        "Linen napkins",
    ]
    assert collected["created"] == [
        {"kind": "return", "number": story.rma_number},
        {"kind": "ticket", "number": story.ticket_number},
    ]
    assert collected["request"] == "Damaged item (order 10410)"
    assert collected["details"]["return_reason"] == "damaged"
    assert collected["slots"] == {"item": "Stoneware mug"}
    assert detail.json()["ticket"]["number"] == story.ticket_number


def test_the_queue_names_the_customer_and_the_request(console: Console) -> None:
    story = bot_story.play(console.client, console.database, console.clock.now)
    bot_story.ask_for_a_person(console.client, console.clock.now)
    console.clock.advance(minutes=3)
    unverified = console.handoff("a1b2c3d4e5f6a7b8")  # no Rasa: straight to a person
    console.staff("ann")
    queue = console.get("ann", "/queue")
    assert queue.status_code == 200, queue.text
    items = {item["id"]: item for item in queue.json()["items"]}
    jonas = items[story.conversation_id]
    assert jonas["who"] == "Jonas Becker"
    assert jonas["request"] == "Damaged item (order 10410)"
    assert jonas["wait_seconds"] >= 180
    assert jonas["ticket_number"] == story.ticket_number
    assert items[unverified]["who"] == "Web visitor a1b2c3d4"
    assert items[unverified]["request"] is None
