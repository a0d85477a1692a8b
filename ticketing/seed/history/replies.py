"""What agents and returning customers wrote: the agent's greeting and replies per topic, the
customer's words when a solved problem comes back, and rating comments that fit the score."""

from __future__ import annotations

import random

from ticketing.seed.history.orders import OrderRef

Turns = list[tuple[str, str]]  # (what the customer wrote, what the agent answered)


def _first_name(name: str) -> str:
    return name.split(" ", 1)[0]


AGENT_WORK: dict[str, tuple[tuple[str, str], ...]] = {  # (customer, agent) exchanges
    "late_delivery": (
        (
            "ok, how long will it take?",
            "I've asked the carrier to trace it. If it hasn't "
            "arrived by Friday, we'll send a replacement at no cost.",
        ),
        (
            "can you just send a new one?",
            "Of course: a replacement ships today, and you'll get the tracking link by email.",
        ),
    ),
    "damaged_or_wrong_item": (
        ("what do you need from me?", "Could you send me a photo of the item and the label?"),
        (
            "[photo]",
            "Thanks, that's clear. A replacement ships tomorrow; please keep or "
            "recycle the damaged one.",
        ),
    ),
    "payment_issue": (
        (
            "I can see two payments on my statement",
            "I can see it too: the second one is only "
            "a reservation and your bank releases it within 3-5 days.",
        ),
        (
            "and if it's not released?",
            "Then write to us with this ticket number and I'll refund it straight away.",
        ),
    ),
    "return_request": (
        ("I lost the label", "No problem, I've sent a new return label to your email."),
        (
            "can I exchange instead?",
            "Yes: send it back with the label and I'll ship the new "
            "size as soon as the return is scanned.",
        ),
    ),
    "refund_status": (
        (
            "it's been more than a week",
            "You're right, the refund got stuck. I've sent it again "
            "now; it should reach you within 3 business days.",
        ),
        ("will I get an email?", "Yes, you'll get a confirmation as soon as it's processed."),
    ),
}
GENERAL_WORK = (
    ("ok thanks, I'll wait", "I'll keep an eye on it and update you here."),
    ("any news?", "Yes: it's sorted now. You'll get a confirmation by email in a moment."),
    ("thank you!", "You're welcome, sorry for the trouble."),
)
ANYTHING_MORE = "Is there anything else I can do for you?"
REOPEN = {
    "late_delivery": "it still has not arrived",
    "damaged_or_wrong_item": "the replacement hasn't come either",
    "refund_status": "the refund is still not there",
    "return_request": "I never got the return label",
}
COMMENTS = {
    1: ("Took far too long", "Nobody answered for hours", "Still waiting for my refund"),
    2: ("Took too long", "Had to explain everything twice"),
    3: ("ok", "Took a while but it's sorted", "fine"),
    4: ("Helpful, thanks", "Quick answer"),
    5: ("Quick and friendly", "Great help!", "Very kind, problem solved in minutes"),
}


def agent_greeting(rng: random.Random, agent_name: str, order: OrderRef | None) -> str:
    about = f"order {order.number}" if order is not None else "this"
    return rng.choice(
        (
            f"Hi, this is {_first_name(agent_name)}. I'm looking into {about} for you now.",
            f"Hello! {_first_name(agent_name)} here, thanks for waiting. Let me check {about}.",
        )
    )


def agent_turns(rng: random.Random, intent: str, count: int) -> Turns:
    """`count` exchanges between the customer and the agent on `intent`."""
    pool = AGENT_WORK.get(intent, ()) + GENERAL_WORK
    start = 0 if intent in AGENT_WORK else rng.randrange(len(pool))
    return [pool[(start + n) % len(pool)] for n in range(count)]


def reopen_text(intent: str) -> str:
    return REOPEN.get(intent, "sorry, me again, this isn't sorted")


def comment(rng: random.Random, score: int) -> str:
    return rng.choice(COMMENTS[score])
