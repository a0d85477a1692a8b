"""One conversation per flow through Rasa's REST channel, with the real model, the real action
server and the real backend on seeded demo data; each checks what changed in the backend."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import exists, select

from tests.dialogue.conftest import SERVICE_KEY, Chat, Stack, take_order
from ticketing.db import utcnow
from ticketing.orders.models import Order, OrderItem, OrderStatus
from ticketing.returns.models import Return, ReturnReason, ReturnResolution

# the first test also waits for Rasa to load its model: minutes on a busy 2-core machine
pytestmark = pytest.mark.timeout(900)


def _order(stack: Stack, number: str) -> Order:
    with stack.database.session() as session:
        order = session.scalars(select(Order).where(Order.number == number)).one()
        session.expunge(order)
        return order


def _returns(stack: Stack, number: str) -> list[Return]:
    with stack.database.session() as session:
        query = select(Return).join(Order).where(Order.number == number)
        found = list(session.scalars(query))
        session.expunge_all()
        return found


def _returnable_delivered_order() -> tuple[object, ...]:
    no_final_sale = ~exists().where(OrderItem.order_id == Order.id, OrderItem.final_sale)
    no_return = ~exists().where(Return.order_id == Order.id)
    recent = Order.delivered_at > utcnow() - timedelta(days=20)
    return Order.status == OrderStatus.DELIVERED, recent, no_final_sale, no_return


def _api(stack: Stack, path: str, chat: Chat) -> httpx.Response:
    """GET as the action server does for this conversation."""
    return httpx.get(
        f"{stack.backend.url}{path}",
        headers={"X-Api-Key": SERVICE_KEY},
        params={"conversation_id": chat.sender},
    )


def test_order_status_asks_identity_then_tracks_and_collects_a_rating(
    chat: Chat, stack: Stack
) -> None:
    number, email = stack.showcase("in_transit")
    assert "order number" in chat.text("hi, where is my order?")
    assert "email" in chat.text(f"it's #{number}")
    reply = chat.text(email)
    assert "verified" in reply and number in reply and "on its way" in reply, chat.log()
    assert "rate" in chat.text("no thanks, that's all"), chat.log()
    chat.text("5")
    assert "thank you for your feedback" in chat.text("great service, quick answer"), chat.log()
    rating = _api(stack, f"/api/ratings/{chat.sender}", chat)
    assert rating.status_code == 200, rating.text
    assert rating.json()["score"] == 5
    assert "quick answer" in rating.json()["comment"]


def test_wrong_email_and_unknown_order_get_the_same_answer(chat: Chat, stack: Stack) -> None:
    number, _email = stack.showcase("in_transit")
    chat.text("where is my package")
    chat.text(number)
    wrong_email = chat.text("nobody@example.com")
    other = Chat(stack)
    other.text("where is my package")
    other.text("99999999")
    unknown_order = other.text("nobody@example.com")
    assert "couldn't verify" in wrong_email, chat.log()
    assert wrong_email == unknown_order
    assert "on its way" not in wrong_email


def test_one_wrong_email_costs_one_try_and_the_right_one_verifies(chat: Chat, stack: Stack) -> None:
    number, email = stack.showcase("in_transit")
    chat.text("where is my package")
    chat.text(number)
    refused = chat.text("nobody@example.com")
    assert "couldn't verify" in refused and "2 more tries" in refused, chat.log()
    assert "order number" not in refused.split("(")[0], chat.log()  # not asked for it again
    reply = chat.text(email)  # only the email retyped
    assert "verified" in reply and "on its way" in reply, chat.log()


def test_cancel_before_shipping_cancels_after_yes(chat: Chat, stack: Stack) -> None:
    number, email = take_order(stack, Order.status == OrderStatus.PAID)
    chat.text("I want to cancel my order")
    chat.verify(number, email)
    assert _order(stack, number).status == OrderStatus.PAID
    assert "cancelled" in chat.text("yes please"), chat.log()
    assert _order(stack, number).status == OrderStatus.CANCELLED


def test_cancel_after_shipping_is_refused_and_a_return_offered(chat: Chat, stack: Stack) -> None:
    number, email = stack.showcase("late")
    chat.text("please cancel my order")
    reply = chat.verify(number, email)
    assert "can't be cancelled" in reply and "return" in reply, chat.log()
    assert _order(stack, number).status == OrderStatus.SHIPPED


def test_deny_changes_nothing(chat: Chat, stack: Stack) -> None:
    number, email = take_order(stack, Order.status == OrderStatus.PAID)
    chat.text("cancel order")
    chat.verify(number, email)
    assert "haven't changed anything" in chat.text("no, don't"), chat.log()
    assert _order(stack, number).status == OrderStatus.PAID


def test_address_change_before_shipping(chat: Chat, stack: Stack) -> None:
    number, email = take_order(stack, Order.status == OrderStatus.PAID)
    chat.text("I need to change the delivery address")
    assert "new delivery address" in chat.verify(number, email), chat.log()
    reply = chat.text("Ann Smith, Hauptstr. 5, 10115 Berlin, DE")
    assert "i'll change the delivery address" in reply, chat.log()
    before = _order(stack, number).shipping_address
    assert before["line1"] != "Hauptstr. 5"
    chat.text("yes")
    after = _order(stack, number).shipping_address
    assert (after["line1"], after["postal_code"], after["city"]) == (
        "Hauptstr. 5",
        "10115",
        "Berlin",
    )


def test_return_inside_the_window_creates_an_rma(chat: Chat, stack: Stack) -> None:
    number, email = take_order(stack, *_returnable_delivered_order())
    chat.text("I'd like to return something")
    chat.verify(number, email)
    for answer in ("all", "it doesn't fit", "unopened", "refund"):
        reply = chat.text(answer)
        if "shall i open a return" in reply:
            break
    assert "shall i open a return" in reply, chat.log()
    assert "rma" in chat.text("yes"), chat.log()
    [created] = _returns(stack, number)
    assert created.resolution == ReturnResolution.REFUND


def _return_with_reason(chat: Chat, stack: Stack, *reasons: str) -> Return:
    """A return of the whole order, answering the reason question with `reasons` in turn."""
    number, email = take_order(stack, *_returnable_delivered_order())
    chat.text("I'd like to return something")
    reply = chat.verify(number, email)
    if "which item" in reply:
        reply = chat.text("all")
    assert "reason" in reply, chat.log()
    for said in reasons:
        reply = chat.text(said)
    for answer in ("unopened", "refund"):
        if "shall i open a return" in reply:
            break
        reply = chat.text(answer)
    assert "shall i open a return" in reply, chat.log()
    chat.text("yes")
    [created] = _returns(stack, number)
    return created


@pytest.mark.parametrize(
    ("said", "reason"),
    [
        ("it came way too late", ReturnReason.LATE_DELIVERY),
        ("I only need one of them", ReturnReason.CHANGED_MIND),
    ],
)
def test_a_return_reason_is_read_from_the_customers_words(
    chat: Chat, stack: Stack, said: str, reason: ReturnReason
) -> None:
    assert _return_with_reason(chat, stack, said).reason == reason, chat.log()


def test_an_unreadable_reason_is_asked_again_before_it_is_noted_as_other(
    chat: Chat, stack: Stack
) -> None:
    created = _return_with_reason(chat, stack, "my cat hates it", "my cat just hates it")
    assert "couldn't tell the reason" in chat.log().lower(), chat.log()
    assert created.reason == ReturnReason.OTHER, chat.log()


def test_exchange_creates_an_exchange_return(chat: Chat, stack: Stack) -> None:
    number, email = take_order(stack, *_returnable_delivered_order())
    chat.text("can I exchange an item for a different size")
    chat.verify(number, email)
    for answer in ("all", "too small", "like new", "one size up"):  # the last: what instead
        reply = chat.text(answer)
        if "shall i open a return" in reply:
            break
    assert "an exchange" in reply, chat.log()
    chat.text("yes")
    [created] = _returns(stack, number)
    assert created.resolution == ReturnResolution.EXCHANGE
    assert created.customer_note == "Exchange for: one size up"


def test_return_outside_the_window_is_refused_with_the_reason(chat: Chat, stack: Stack) -> None:
    number, email = stack.showcase("outside_window")
    chat.text("i want to return my order")
    reply = chat.verify(number, email)
    assert "days ago" in reply and "30 days" in reply, chat.log()
    assert _returns(stack, number) == []


def test_refund_status_of_a_pending_refund(chat: Chat, stack: Stack) -> None:
    number, email = stack.showcase("pending_refund")
    chat.text("what's the status of my refund")
    reply = chat.verify(number, email)
    assert "refund" in reply and ("approv" in reply or "pending" in reply), chat.log()


def test_late_delivery_opens_a_logistics_ticket(chat: Chat, stack: Stack) -> None:
    number, email = stack.showcase("late")
    chat.text("my parcel is late, it should have arrived days ago")
    reply = chat.verify(number, email)
    assert "late" in reply and "ticket" in reply, chat.log()
    reply = chat.text("yes")
    ticket_number = next(w.strip(".,;:()") for w in reply.upper().split() if w.startswith("T-"))
    ticket = _api(stack, f"/api/tickets/{ticket_number}", chat).json()
    assert ticket["category"] == "logistics"


def test_another_order_with_its_email_is_verified_before_a_ticket_is_offered(
    chat: Chat, stack: Stack
) -> None:
    """A verified customer reports a problem with a second order, someone else's, giving its
    email in the same message: the bot checks that pair before offering anything on it."""
    mine, my_email = stack.showcase("in_transit")
    other, other_email = stack.showcase("inside_window")
    chat.text(f"where is my order {mine}?")
    assert "on its way" in chat.text(my_email), chat.log()
    reply = chat.text(
        f"actually the zipper of the jacket in my order {other} is broken, {other_email}"
    )
    assert "verified" in reply and f"ticket for order {other}" in reply, chat.log()
    reply = chat.text("yes")
    ticket_number = next(w.strip(".,;:()") for w in reply.upper().split() if w.startswith("T-"))
    ticket = _api(stack, f"/api/tickets/{ticket_number}", chat).json()
    assert ticket["order_number"] == other, ticket


def test_complaint_creates_a_ticket_and_offers_a_person(chat: Chat, stack: Stack) -> None:
    chat.text("I want to make a complaint")
    chat.text("our service")
    assert "file this" in chat.text("your colleague on the phone was rude and hung up on me"), (
        chat.log()
    )
    reply = chat.text("yes")
    assert "t-" in reply and "person" in reply, chat.log()


def test_asking_for_a_person_escalates_with_the_conversation(chat: Chat, stack: Stack) -> None:
    chat.text("hello")
    reply = chat.text("I want to talk to a human agent")
    ticket_number = next(w.strip(".,;:()") for w in reply.upper().split() if w.startswith("T-"))
    ticket = _api(stack, f"/api/tickets/{ticket_number}", chat).json()
    assert ticket["source"] == "handoff"
    texts = [m["text"] for m in ticket["context"]["last_messages"]]
    assert "hello" in texts


def test_policy_question_is_answered_from_the_policy(chat: Chat) -> None:
    assert "30 days" in chat.text("how many days do I have to return an item?"), chat.log()


def test_policy_question_inside_the_identity_form_returns_to_the_form(
    chat: Chat, stack: Stack
) -> None:
    number, email = stack.showcase("in_transit")
    chat.text("where is my order")
    reply = chat.text("wait, how long does a refund take?")
    assert "days" in reply and "order number" in reply, chat.log()
    chat.verify(number, email)


def test_stop_leaves_the_form(chat: Chat) -> None:
    chat.text("I want to cancel my order")
    assert "stopped" in chat.text("never mind"), chat.log()


def test_two_misunderstandings_offer_a_person_and_yes_hands_over(chat: Chat) -> None:
    chat.text("blorf quantum zebra")
    reply = chat.text("flibber gnarp wobble")
    assert "shall i pass you to a colleague" in reply, chat.log()
    assert "t-" in chat.text("yes please"), chat.log()
