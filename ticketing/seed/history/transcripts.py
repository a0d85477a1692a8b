"""What people wrote to the assistant and what it answered, per topic, so a seeded conversation
reads like a real transcript (the agents' side is `replies.py`).

Answers about an order say what had happened to it at the moment of the conversation.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from ticketing.conversations.hub_core import BOT_DOWN
from ticketing.seed.history.orders import OrderRef
from ticketing.seed.history.world import DAY

RETURN_WINDOW_DAYS = 30  # policy.yml: returns.window_days

Turns = list[tuple[str, str]]  # (what the customer wrote, what the bot answered)
DayText = Callable[[float], str]  # an epoch as the customer reads the date ("Tue 12 May")

ASK_ORDER = (
    "What is your order number? You'll find it in your order confirmation email "
    "(for example 10234)."
)
ASK_CONTACT = (
    "To make sure it's your order: what is the email address or phone number on the order?"
)
ANYTHING_ELSE = "Is there anything else I can help you with?"
GOODBYE = "Thanks for contacting Demo Shop. Have a great day!"
NOT_UNDERSTOOD = "Sorry, I didn't quite get that. Could you say it another way?"
STILL_NOT_UNDERSTOOD = "Sorry, I still don't understand. I'll pass you to a colleague."
# The bot's answers to a message it did not understand: the hub records a `bot_misunderstood`
# event for each (the reports' fallback rate).
MISUNDERSTOOD = frozenset({NOT_UNDERSTOOD, STILL_NOT_UNDERSTOOD})
RATING_QUESTION = "How would you rate my help today, from 1 (poor) to 5 (excellent)?"

OPENINGS: dict[str, tuple[str, ...]] = {
    "order_status": (
        "Hi, where is my order?",
        "hello, when will my order arrive?",
        "Has my order shipped yet?",
        "I ordered last week and haven't heard anything since",
        "status of my order pls",
        "Can you check my order for me?",
    ),
    "late_delivery": (
        "My parcel should have arrived by now",
        "The delivery is late, it was due days ago",
        "tracking hasn't moved since Monday",
        "still waiting for my package...",
        "it says delivered but nothing came",
    ),
    "damaged_or_wrong_item": (
        "The item arrived damaged",
        "I got the wrong size",
        "The box was crushed and the jacket inside is torn",
        "You sent me the wrong colour",
        "one item is missing from my parcel",
    ),
    "payment_issue": (
        "I was charged twice for my order",
        "My card payment failed but the money has left my account",
        "I paid by bank transfer but the order still says waiting for payment",
        "paypal says paid but your shop says pending",
    ),
    "return_request": (
        "I want to return something",
        "How do I send this back?",
        "The shoes don't fit, can I return them?",
        "I'd like to exchange for a bigger size",
        "I want to return my order",
    ),
    "refund_status": (
        "When do I get my refund?",
        "I sent my return back two weeks ago, where is my money?",
        "Refund still not on my card",
        "you said 5 days for the refund, nothing yet",
    ),
    "ask_policy": (
        "How long do I have to return something?",
        "Do you ship to Austria?",
        "How much is shipping?",
        "can I pay on delivery?",
    ),
    "change_address": (
        "Can I change the delivery address?",
        "I've moved, please send my order to my new address",
        "wrong address on my order!!",
    ),
}
POLICY_ANSWERS = (
    "You can return most items within 30 days of delivery, free of charge. Final-sale items "
    "can't be returned.",
    "We ship to Germany, Austria, France, the UK and the US. Delivery takes 2-5 working days.",
    "Shipping is free from 50 EUR; below that it's 4.90 EUR.",
    "Yes: card, PayPal, bank transfer, gift card and cash on delivery (Germany only).",
)
PAYMENT_ANSWER = (
    "A second charge is usually only a reservation by your bank: we take one payment per "
    "order, and the bank releases the other within 3-5 business days."
)
NO_NUMBER = ("I don't have it at hand", "can't find the email", "no idea, sorry")
NO_NUMBER_ANSWER = (
    "No problem: you'll find it under My account > Orders, or in the confirmation email. "
    "Write again with the number any time."
)
THANKS = ("great, thanks!", "ok thank you", "perfect, thanks a lot", "thx", "ok")
NO_MORE = ("no that's all", "no thanks", "nope, all good")
ASK_PERSON = (
    "I'd like to talk to a person",
    "can I speak to a human please",
    "agent",
    "this isn't helping, I want a real person",
)
ANGRY = (
    "This is ridiculous, it's the third time I'm asking!!",
    "Useless. I want my money back NOW",
    "I've been waiting for weeks, this is unacceptable",
)
UNCLEAR = (
    "i already said, the parcel never came and the neighbour doesnt have it either",
    "the thing with the thing, it's not what I ordered",
    "and what about the other one",
)


def opening(rng: random.Random, intent: str) -> str:
    return rng.choice(OPENINGS.get(intent, OPENINGS["order_status"]))


def order_answer(intent: str, order: OrderRef, at: float, day: DayText) -> str:
    """The assistant's answer about `order` as things stood at `at`."""
    number = order.number
    if order.cancelled is not None and order.cancelled <= at:
        return f"Order {number} was cancelled on {day(order.cancelled)}."
    delivered = order.delivered if order.delivered is not None and order.delivered <= at else None
    shipped = order.shipped if order.shipped is not None and order.shipped <= at else None
    if intent in ("return_request", "damaged_or_wrong_item") and delivered is not None:
        if at - delivered > RETURN_WINDOW_DAYS * DAY:
            return (
                f"Order {number} was delivered on {day(delivered)}, more than "
                f"{RETURN_WINDOW_DAYS} days ago, so it's past the return window."
            )
        return (
            f"Order {number} was delivered on {day(delivered)}, so it's within the "
            "30-day return window. I've started a return and emailed you a free return label."
        )
    if intent == "change_address":
        if shipped is not None or delivered is not None:
            return (
                f"Order {number} has already left our warehouse, so I can't change its address "
                "any more."
            )
        return f"Done: order {number} will go to the new address. You'll get a confirmation."
    if intent == "refund_status":
        return (
            f"For order {number}: refunds go back to the original payment method within 5 "
            "business days after we receive the return. You'll get an email when it's sent."
        )
    if delivered is not None:
        return f"Order {number} was delivered on {day(delivered)}."
    if shipped is not None:
        late = " I'm sorry it's taking longer than planned." if intent == "late_delivery" else ""
        return (
            f"Order {number} left our warehouse on {day(shipped)} and is on its way; "
            f"the carrier expects to deliver it in 1-3 working days.{late}"
        )
    return f"Order {number} is paid and being packed; it usually ships within 1-2 working days."


def bot_turns(
    rng: random.Random,
    intent: str,
    order: OrderRef | None,
    at: float,
    day: DayText,
    *,
    ending: str,
) -> Turns:
    """The talk with the assistant up to `ending`: `resolved`, `abandoned` or a handoff reason
    (`requested`, `fallback`, `angry`, `backend_down`, `other`), whose last bot line is left
    for the handoff message."""
    first = opening(rng, intent)
    if intent == "ask_policy":
        turns: Turns = [(first, rng.choice(POLICY_ANSWERS))]
    elif intent == "payment_issue":
        turns = [(first, PAYMENT_ANSWER)]
    else:
        turns = [(first, ASK_ORDER)]
        if order is not None:
            said = rng.choice((order.number, f"it's {order.number}", f"order {order.number}"))
            turns.append((said, ASK_CONTACT))
    if ending == "abandoned":
        return turns[: rng.randint(1, len(turns))]
    if order is not None:
        answer = order_answer(intent, order, at, day)
        turns.append((order.email or "it's my usual email", answer))
    elif turns[-1][1] == ASK_ORDER:
        turns.append((rng.choice(NO_NUMBER), NO_NUMBER_ANSWER))
    if ending == "resolved":
        turns.append((rng.choice(THANKS), ANYTHING_ELSE))
        if rng.random() < 0.5:
            turns.append((rng.choice(NO_MORE), GOODBYE))
        return turns
    if ending == "requested":
        turns.append((rng.choice(ASK_PERSON), ""))
    elif ending == "angry":
        turns.append(
            (
                rng.choice(ANGRY),
                "I'm sorry, I'm clearly not helping. Let me get a colleague for you.",
            )
        )
    elif ending == "fallback":
        turns.append((rng.choice(UNCLEAR), NOT_UNDERSTOOD))
        turns.append((rng.choice(UNCLEAR), STILL_NOT_UNDERSTOOD))
    elif ending == "backend_down":
        turns.append((rng.choice(("can you check it please?", "hello?")), BOT_DOWN))
    else:
        turns.append(("I need more help with this", ""))
    return turns


def handoff_message(ticket_number: str, reply_minutes: float | None) -> str:
    """As `tickets.handoff.message` puts it."""
    if reply_minutes is None:
        when = "as soon as they can"
    elif reply_minutes < 120:
        when = f"within {int(reply_minutes)} minutes"
    else:
        when = f"within {int(reply_minutes // 60)} working hours"
    return (
        f"I've passed this conversation to a colleague (ticket {ticket_number}). "
        f"They will reply {when}."
    )
