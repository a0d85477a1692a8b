"""Chaos: 50 customers write 20 messages each, at the same time; once some returns are under way
the action server is killed and restarted, then Rasa, then Redis.

Afterwards every customer message is stored exactly once and in order, every message either got
an answer or came after the hub handed its conversation to a person, and no return or refund
exists twice.
"""

from __future__ import annotations

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import exists, func, select

from tests.faults.conftest import Customer, Stack, wait_until
from ticketing.conversations.models import Conversation, Direction, Message, Owner
from ticketing.db import utcnow
from ticketing.orders.models import Order, OrderItem, OrderStatus
from ticketing.refunds.models import Refund
from ticketing.returns.models import Return

# A load run: `make test` leaves it out (pyproject addopts); run it with
# `.venv/bin/pytest -m load tests/faults/test_chaos.py` on a machine with nothing else running.
pytestmark = [pytest.mark.slow, pytest.mark.load, pytest.mark.timeout(1500)]  # Rasa restarts inside

CUSTOMERS = 50
MESSAGES = 20
RETURNING = 10  # customers who go through a return (a write that must never happen twice)
FIRST_RETURNS_SECONDS = 480  # the chaos starts once two returns exist, or after this long
SMALL_TALK = [
    "hi",
    "what is your return policy?",
    "how long does a refund take?",
    "do you ship to Austria?",
    "which payment methods do you accept?",
    "thanks",
    "are you a bot?",
    "what about the warranty?",
    "ok",
    "bye",
]


def returnable_orders(stack: Stack, count: int) -> list[tuple[str, str]]:
    """(number, email) of delivered orders with nothing returned yet, no final-sale items."""
    from ticketing.customers.models import Customer as ShopCustomer

    no_final_sale = ~exists().where(OrderItem.order_id == Order.id, OrderItem.final_sale)
    no_return = ~exists().where(Return.order_id == Order.id)
    recent = Order.delivered_at > utcnow() - timedelta(days=20)
    query = (
        select(Order.number, ShopCustomer.email)
        .join(ShopCustomer)
        .where(Order.status == OrderStatus.DELIVERED, recent, no_final_sale, no_return)
        .order_by(Order.number.desc())
        .limit(count)
    )
    with stack.database.session() as session:
        found = [(number, email) for number, email in session.execute(query)]
    assert len(found) == count, f"the seed has only {len(found)} returnable orders"
    return found


def script(index: int, order: tuple[str, str] | None, rng: random.Random) -> list[str]:
    """Twenty messages: a return for some customers, order status or small talk for others."""
    if order is not None:
        number, email = order
        steps = ["I'd like to return something", number, email, "all", "it doesn't fit"]
        steps += ["unopened", "refund", "yes", "yes"]
    elif index % 2:
        number, email = "SB-" + str(10000 + index), f"nobody{index}@example.com"
        steps = ["where is my order?", number, email]
    else:
        steps = []
    while len(steps) < MESSAGES:
        steps.append(rng.choice(SMALL_TALK))
    return steps[:MESSAGES]


def converse(customer: Customer, messages: list[str], rng: random.Random) -> None:
    for text in messages:
        customer.say(text)  # asserts HTTP 200 and a list, even when that list is empty
        time.sleep(rng.uniform(0.05, 0.4))


def returns_opened(stack: Stack, numbers: list[str]) -> int:
    with stack.database.session() as session:
        query = select(func.count(Return.id)).join(Order).where(Order.number.in_(numbers))
        return int(session.scalar(query) or 0)


def chaos(stack: Stack, numbers: list[str], done: threading.Event, log: list[str]) -> None:
    """Once some returns are under way, break one piece after another while customers write."""

    def step(what: str) -> None:
        log.append(f"{time.strftime('%H:%M:%S')} {what}")

    # 50 customers make every bot turn slow (on an idle machine the first two returns take about
    # a minute): wait for them, so the chaos hits some returns while others are still under way.
    deadline = time.monotonic() + FIRST_RETURNS_SECONDS
    while returns_opened(stack, numbers) < 2 and time.monotonic() < deadline:
        time.sleep(0.5)
    step(f"returns opened so far: {returns_opened(stack, numbers)}")
    if returns_opened(stack, numbers) == 0:
        step("no return opened: nothing broken, the test fails")
        return
    step("actions: kill")
    stack.actions.stop()
    time.sleep(3)
    stack.restart_actions()
    step("actions: back")
    time.sleep(2)
    step("rasa: kill")
    stack.rasa.kill()
    time.sleep(2)
    stack.ensure_rasa()  # same port; loading the model takes a while
    step("rasa: back")
    time.sleep(2)
    step("redis: kill")
    stack.redis.kill()
    time.sleep(4)
    stack.redis.start()
    step("redis: back")
    done.set()


def unanswered_before_handoff(stack: Stack, conversation_id: str) -> list[str]:
    """Customer messages without a reply that came while the bot still owned the conversation."""
    with stack.database.session() as session:
        conversation = session.get(Conversation, conversation_id)
        assert conversation is not None
        handed_off_at = conversation.handed_off_at if conversation.owner == Owner.HUMAN else None
        messages = list(
            session.scalars(
                select(Message)
                .where(Message.conversation_id == conversation_id)
                .order_by(Message.id)
            )
        )
    answered = {m.reply_to_id for m in messages if m.direction == Direction.OUT}
    return [
        f"#{m.id} {m.text!r} at {m.created_at}"
        for m in messages
        if m.direction == Direction.IN
        and m.id not in answered
        and (handed_off_at is None or m.created_at < handed_off_at)
    ]


def test_fifty_conversations_survive_rasa_actions_and_redis_going_down(live: Stack) -> None:
    rng = random.Random(42)  # noqa: S311 - test data
    orders = returnable_orders(live, RETURNING)
    customers = [Customer(live) for _ in range(CUSTOMERS)]
    scripts = [
        script(i, orders[i] if i < RETURNING else None, random.Random(i)) for i in range(CUSTOMERS)
    ]
    done, log = threading.Event(), []
    numbers = [number for number, _email in orders]
    breaker = threading.Thread(target=chaos, args=(live, numbers, done, log), daemon=True)
    with ThreadPoolExecutor(max_workers=CUSTOMERS) as pool:
        breaker.start()
        futures = [
            pool.submit(converse, c, s, random.Random(rng.random()))
            for c, s in zip(customers, scripts, strict=True)
        ]
        failures = [f.exception() for f in futures if f.exception(timeout=900) is not None]
    breaker.join(timeout=600)
    assert done.is_set(), f"the chaos schedule did not finish: {log}"
    assert failures == [], f"{len(failures)} customers failed, first: {failures[0]}\n{log}"
    wait_until(live.redis.answers, "the private Redis to answer again", 15)

    for customer in customers:
        customer.assert_every_message_stored_once()
        missing = unanswered_before_handoff(live, customer.conversation_id)
        assert missing == [], (
            f"{customer.conversation_id}: unanswered while the bot owned it: {missing}\n"
            f"{customer.log()}\n{log}"
        )

    with live.database.session() as session:
        returns_per_order = session.execute(
            select(Order.number, func.count(Return.id))
            .join(Return, Return.order_id == Order.id)
            .where(Order.number.in_(numbers))
            .group_by(Order.number)
        ).all()
        refunds_per_return = session.execute(
            select(Refund.return_id, func.count(Refund.id))
            .join(Order, Refund.order_id == Order.id)
            .where(Order.number.in_(numbers), Refund.return_id.is_not(None))
            .group_by(Refund.return_id)
        ).all()
    assert returns_per_order, f"no return was opened, so nothing proves none was made twice: {log}"
    assert all(count == 1 for _number, count in returns_per_order), returns_per_order
    assert all(count == 1 for _return, count in refunds_per_return), refunds_per_return
    print("chaos:", log, f"returns opened: {len(returns_per_order)}/{RETURNING}")  # noqa: T201
