"""Through the hub with the real model, action server and backend (issue 21 items 1 to 3): a
damage ticket carries the customer's own words and its links, not their email; an address
typed as people type it is read back and applied; an address in the first message is used; a
change once made is neither made again nor asked for again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from actions.tasks.problems import DAMAGE_PROMISE
from tests.dialogue.conftest import Stack, take_order
from tests.dialogue.test_hub_flows import HubChat
from ticketing.audit.models import AuditEntry
from ticketing.db import utcnow
from ticketing.orders.address_parsing import one_line
from ticketing.orders.models import Order, OrderStatus
from ticketing.tickets.models import Ticket

# the first test also waits for Rasa to load its model: minutes on a busy 2-core machine
pytestmark = pytest.mark.timeout(900)


def _order(stack: Stack, number: str) -> Order:
    with stack.database.session() as session:
        order = session.scalars(select(Order).where(Order.number == number)).one()
        session.expunge(order)
        return order


def _in_germany() -> object:
    return _in("DE")


def _in(country: str) -> object:
    return Order.shipping_address["country"].as_string() == country


def _verify(chat: HubChat, number: str, email: str, reply: str) -> str:
    """Answer the identity questions the bot asks after `reply`; the reply to the email."""
    if "what is your order number" in reply:
        reply = chat.text(number)
    assert "email" in reply, chat.log()
    reply = chat.text(email)
    assert "verified" in reply, chat.log()
    return reply


def test_a_damage_ticket_carries_the_problem_and_its_links(stack: Stack) -> None:
    recent = Order.delivered_at > utcnow() - timedelta(days=20)
    number, email = take_order(stack, Order.status == OrderStatus.DELIVERED, recent)
    chat = HubChat(stack)
    problem = f"my order {number} arrived damaged, the mug inside is smashed"
    reply = _verify(chat, number, email, chat.text(problem))
    assert "open a ticket" in reply, chat.log()
    assert "ticket" in chat.text("yes please"), chat.log()

    with stack.database.session() as s:
        query = select(Ticket).where(Ticket.conversation_id == chat.conversation_id)
        ticket = s.scalars(query.options(selectinload(Ticket.events))).one()
        order = s.scalars(select(Order).where(Order.number == number)).one()
        assert ticket.description == problem, chat.log()
        assert email not in ticket.description
        assert (ticket.order_id, ticket.customer_id) == (order.id, order.customer_id)
        assert ticket.category.value == "product_quality"
        told = ticket.events[0].data["told_customer"]
        assert told[0] == DAMAGE_PROMISE
        assert "reply" in told[1], told  # the reply time the customer was given
    conversation = chat.conversation()
    assert conversation.customer_id == order.customer_id
    created = conversation.context["collected"]["created"]
    assert {"kind": "ticket", "number": ticket.number} in created


def test_a_german_address_as_typed_is_read_back_and_applied(stack: Stack) -> None:
    number, email = take_order(stack, Order.status == OrderStatus.PAID, _in_germany())
    before = _order(stack, number).shipping_address
    chat = HubChat(stack)
    reply = _verify(chat, number, email, chat.text("I need to change the delivery address"))
    assert "new delivery address" in reply, chat.log()

    reply = chat.text("Hauptstraße 88 Heidelberg")
    assert "couldn't find a postal code" in reply and "5 digits" in reply, chat.log()
    reply = chat.text("Hauptstraße 88\n69117 Heidelberg")
    expected = f"to: {before['name']}, hauptstraße 88, 69117 heidelberg, germany. shall i?"
    assert f"i'll change the delivery address of order {number} {expected}".lower() in reply, (
        chat.log()
    )
    assert _order(stack, number).shipping_address == before  # nothing changed before the yes
    chat.text("yes")
    after = _order(stack, number).shipping_address
    assert {k: v for k, v in after.items() if v is not None} == {
        "name": before["name"],
        "line1": "Hauptstraße 88",
        "postal_code": "69117",
        "city": "Heidelberg",
        "country": "DE",
    }, chat.log()


# (order's country, as the customer types it, the fields expected besides the order's name)
SPELLINGS = [
    ("DE", "Hauptstraße 88, 69117 Heidelberg",
     {"line1": "Hauptstraße 88", "postal_code": "69117", "city": "Heidelberg"}),
    ("DE", "Anna Weber\nHauptstraße 88\n69117 Heidelberg\nGermany",
     {"name": "Anna Weber", "line1": "Hauptstraße 88", "postal_code": "69117",
      "city": "Heidelberg"}),
    ("DE", "hauptstr. 88a 69117 heidelberg",
     {"line1": "hauptstr. 88a", "postal_code": "69117", "city": "heidelberg"}),
    ("DE", "69117 Heidelberg, Hauptstraße 88, Deutschland",
     {"line1": "Hauptstraße 88", "postal_code": "69117", "city": "Heidelberg"}),
    ("GB", "10 Downing Street, London SW1A 2AA",
     {"line1": "10 Downing Street", "postal_code": "SW1A 2AA", "city": "London"}),
    ("GB", "John Smith\nFlat 2\n10 High Street\nLondon\nSW1A 1AA",
     {"name": "John Smith", "line1": "10 High Street", "line2": "Flat 2",
      "postal_code": "SW1A 1AA", "city": "London"}),
    ("GB", "12 Oxford Road, Manchester, M1 5QA, United Kingdom",
     {"line1": "12 Oxford Road", "postal_code": "M1 5QA", "city": "Manchester"}),
    ("US", "123 Main St, Springfield, IL 62704",
     {"line1": "123 Main St", "postal_code": "62704", "city": "Springfield, IL"}),
    ("US", "Jane Roe, Apt 4B, 77 Sunset Blvd, Los Angeles, CA 90028, USA",
     {"name": "Jane Roe", "line1": "77 Sunset Blvd", "line2": "Apt 4B",
      "postal_code": "90028", "city": "Los Angeles, CA"}),
    ("US", "500 Oak Ave San Francisco CA 94103",
     {"line1": "500 Oak Ave", "postal_code": "94103", "city": "San Francisco, CA"}),
]  # fmt: skip


@pytest.mark.parametrize(("country", "typed", "fields"), SPELLINGS)
def test_an_address_as_people_type_it_is_read_back_and_applied(
    stack: Stack, country: str, typed: str, fields: dict[str, str]
) -> None:
    changeable = Order.status.in_([OrderStatus.PENDING, OrderStatus.PAID])
    number, email = take_order(stack, changeable, _in(country))
    before = _order(stack, number).shipping_address
    expected = {"name": before["name"], "country": country, **fields}
    chat = HubChat(stack)
    reply = _verify(chat, number, email, chat.text("I need to change the delivery address"))
    assert "new delivery address" in reply, chat.log()

    reply = chat.text(typed)
    read_back = f"i'll change the delivery address of order {number} to: {one_line(expected)}."
    assert read_back.lower() in reply, chat.log()
    assert _order(stack, number).shipping_address == before  # nothing changed before the yes
    chat.text("yes")
    after = _order(stack, number).shipping_address
    assert {k: v for k, v in after.items() if v is not None} == expected, chat.log()


def test_an_address_in_the_first_message_is_used(stack: Stack) -> None:
    number, email = take_order(stack, Order.status == OrderStatus.PAID)
    chat = HubChat(stack)
    first = (
        f"change the delivery address of {number} to Anna Weber, Hauptstraße 88, "
        "69117 Heidelberg, Germany"
    )
    reply = _verify(chat, number, email, chat.text(first))
    assert "new delivery address" not in reply, chat.log()
    assert (
        f"i'll change the delivery address of order {number} to: anna weber, hauptstraße 88, "
        "69117 heidelberg, germany" in reply
    ), chat.log()
    chat.text("yes")
    after = _order(stack, number).shipping_address
    assert (after["name"], after["line1"], after["postal_code"], after["country"]) == (
        "Anna Weber",
        "Hauptstraße 88",
        "69117",
        "DE",
    ), chat.log()


def _address_changes(stack: Stack, number: str) -> int:
    with stack.database.session() as session:
        query = select(AuditEntry).where(
            AuditEntry.action == "order.address_changed", AuditEntry.entity_id == number
        )
        return len(session.scalars(query).all())


def test_a_change_made_is_not_made_or_asked_again(stack: Stack) -> None:
    number, email = take_order(stack, Order.status == OrderStatus.PAID, _in_germany())
    chat = HubChat(stack)
    request = f"please send order {number} to Hauptstraße 88, 69117 Heidelberg instead"
    reply = _verify(chat, number, email, chat.text(request))
    assert "shall i?" in reply, chat.log()
    chat.text("yes")
    assert _address_changes(stack, number) == 1, chat.log()

    for late in ("yes", "9 i guess", request):
        reply = chat.text(late)
        assert "shall i?" not in reply, chat.log()
    assert "already changed the delivery address" in reply, chat.log()
    assert _address_changes(stack, number) == 1, chat.log()
