"""Returns and exchanges of orders as they really are, through Rasa's REST channel with the real
model, action server and backend on seeded demo data: a number of one line, an exchange with a
size wish after the return window (inside the exchange window), and a final-sale refusal the
customer insists on. Each checks what the backend stored."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import exists, func, select

from tests.dialogue.conftest import Chat, Stack, take_order
from ticketing.db import utcnow
from ticketing.orders.models import Order, OrderItem, OrderStatus
from ticketing.returns.models import Return, ReturnResolution

# the first test also waits for Rasa to load its model: minutes on a busy 2-core machine
pytestmark = pytest.mark.timeout(900)


def _returns(stack: Stack, number: str) -> list[tuple[Return, list[tuple[str, int]]]]:
    """The order's returns with (item name, quantity) of each line."""
    with stack.database.session() as session:
        query = select(Return).join(Order).where(Order.number == number)
        found = [
            (rma, [(line.order_item.name, line.quantity) for line in rma.items])
            for rma in session.scalars(query)
        ]
        session.expunge_all()
        return found


def _noun(name: str) -> str:
    """What a customer calls a product: "Scented candle, cedarwood" -> "candle"."""
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z-]*", name.split(",")[0]) if len(w) > 2]
    return str(words[-1]).lower()


def _plural(name: str) -> str:
    noun = _noun(name)
    return noun if noun.endswith("s") else f"{noun}s"


def _delivered(days_from: int, days_to: int) -> tuple[Any, ...]:
    """Delivered between `days_from` and `days_to` days ago, nothing final-sale, no return."""
    no_final_sale = ~exists().where(OrderItem.order_id == Order.id, OrderItem.final_sale)
    no_return = ~exists().where(Return.order_id == Order.id)
    return (
        Order.status == OrderStatus.DELIVERED,
        Order.delivered_at < utcnow() - timedelta(days=days_from),
        Order.delivered_at > utcnow() - timedelta(days=days_to),
        no_final_sale,
        no_return,
    )


def _one_line(*quantity: Any) -> Any:
    """The order has exactly one line (so the product's noun names it), of `quantity`."""
    lines = select(func.count(OrderItem.id)).where(OrderItem.order_id == Order.id)
    count = lines.scalar_subquery() == 1
    if not quantity:
        return count
    return count & exists().where(OrderItem.order_id == Order.id, *quantity)


def _item(stack: Stack, number: str, final_sale: bool | None = None) -> OrderItem:
    with stack.database.session() as session:
        query = select(OrderItem).join(Order).where(Order.number == number)
        if final_sale is not None:
            query = query.where(OrderItem.final_sale == final_sale)
        item = session.scalars(query.order_by(OrderItem.id)).first()
        assert item is not None
        session.expunge(item)
        return item


ANSWERS = {
    "how many": "1",
    "reason": "it doesn't fit",
    "condition": "like new",
    "refund, an exchange or store credit": "refund",
    "what would you like instead": "a size M",
}


def _answer_until_asked(chat: Chat, reply: str, answers: dict[str, str]) -> str:
    """Answer the details form until the bot asks to open the return."""
    for _ in range(8):
        if "shall i open a return" in reply:
            return reply
        question = next((q for q in answers if q in reply), None)
        assert question, f"unexpected question: {reply}\n{chat.log()}"
        reply = chat.text(answers[question])
    raise AssertionError(chat.log())


def test_return_one_of_the_two(chat: Chat, stack: Stack) -> None:
    number, email = take_order(
        stack, *_delivered(1, 20), _one_line(OrderItem.quantity == 2, ~OrderItem.final_sale)
    )
    item = _item(stack, number)
    chat.text(f"I want to return one of the two {_plural(item.name)}")
    reply = _answer_until_asked(chat, chat.verify(number, email), ANSWERS)
    assert f"1 × {item.name.lower()}" in reply, chat.log()
    assert "rma" in chat.text("yes"), chat.log()
    [(_rma, lines)] = _returns(stack, number)
    assert lines == [(item.name, 1)]


def test_no_just_one_changes_the_return_instead_of_asking_again(chat: Chat, stack: Stack) -> None:
    number, email = take_order(
        stack, *_delivered(1, 20), _one_line(OrderItem.quantity == 2, ~OrderItem.final_sale)
    )
    item = _item(stack, number)
    chat.text(f"I'd like to return the {_plural(item.name)}")
    reply = _answer_until_asked(chat, chat.verify(number, email), {**ANSWERS, "how many": "2"})
    assert f"2 × {item.name.lower()}" in reply, chat.log()
    changed = chat.text("no, just one")
    assert f"1 × {item.name.lower()}" in changed and changed != reply, chat.log()
    chat.text("yes")
    [(_rma, lines)] = _returns(stack, number)
    assert lines == [(item.name, 1)]


def test_an_exchange_with_a_size_after_the_return_window(chat: Chat, stack: Stack) -> None:
    # returns: 30 days; exchanges: 45 (policy.yml); a day's margin for the shop's timezone
    number, email = take_order(stack, *_delivered(32, 43), _one_line())
    item = _item(stack, number)
    chat.text(f"can I exchange the {_noun(item.name)} for a size M?")
    reply = chat.verify(number, email)
    assert "returns are accepted within 30 days" not in reply, chat.log()
    reply = _answer_until_asked(chat, reply, ANSWERS)
    assert "an exchange (size m instead)" in reply, chat.log()
    assert "rma" in chat.text("yes"), chat.log()
    [(rma, lines)] = _returns(stack, number)
    assert rma.resolution == ReturnResolution.EXCHANGE
    assert rma.customer_note == "Exchange for: size M"
    assert [name for name, _ in lines] == [item.name]


def test_a_final_sale_refusal_stays_refused(chat: Chat, stack: Stack) -> None:
    number, email = stack.showcase("final_sale")
    final = _item(stack, number, final_sale=True)
    chat.text(f"I want to return the {_noun(final.name)}")
    reply = chat.verify(number, email)
    assert "final-sale" in reply and "shall i open a return" not in reply, chat.log()
    for insisting in ("but I really want to return it", "yes please return it"):
        reply = chat.text(insisting)
        assert "shall i open a return" not in reply, chat.log()
        if "person" in reply or "colleague" in reply:
            break
    assert "person" in reply or "colleague" in reply, chat.log()
    assert _returns(stack, number) == []
