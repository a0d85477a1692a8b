"""Damaged or wrong items, late or lost parcels, payment problems and complaints: explain what
we know, then (after a yes) open a ticket with a priority from severity and customer tier."""

from __future__ import annotations

import json
from typing import Any

from actions import parsing
from actions.clients.ticketing_api import idempotency_key
from actions.mood import anger_score
from actions.tasks import problem_words, words
from actions.turn import Turn

# pending confirmation -> (category, severity, subject)
TICKETS = {
    "damage_ticket": ("product_quality", "medium", "Damaged or wrong item"),
    "late_ticket": ("logistics", "medium", "Late or lost delivery"),
    "payment_ticket": ("payment", "medium", "Payment problem"),
    "complaint_ticket": ("other", "medium", "Complaint"),
}
# What the bot promised before the customer said yes, in its words: the ticket keeps it
# (`told_customer`) next to the reply time the ticket's answer gives.
DAMAGE_PROMISE = (
    "We'll make it right: our team can send a replacement or refund you, and you won't pay for "
    "the return."
)
PROMISES = {
    "damage_ticket": DAMAGE_PROMISE,
    "late_ticket": "Our logistics team investigates with the carrier.",
    "payment_ticket": "Our payments team checks double charges and failed payments and refunds "
    "anything taken by mistake.",
    "complaint_ticket": "Filed as a complaint so the responsible team looks into it.",
}
SEVERITY_BY_ANGER = {0: "medium", 1: "high"}
PHOTOS = {"telegram"}  # channels whose customers can send a photo of the damage
CONTEXT_BYTES = 40_000  # below the API's 48 KiB limit on a ticket's context
CONTEXT_MESSAGE_CHARS = 2000


async def damaged_or_wrong_item(turn: Turn) -> None:
    turn.say(f"I'm so sorry your order arrived like that. {DAMAGE_PROMISE}")
    # Only Telegram takes photos: the web chat has no upload, so it is not promised there.
    photos = " (You can send photos in this chat; they help.)" if turn.channel in PHOTOS else ""
    turn.ask(
        f"Shall I open a ticket for order {turn.order} so a colleague arranges it?{photos}",
        pending="damage_ticket",
    )


async def late_delivery(turn: Turn) -> None:
    tracking = await turn.api.tracking(str(turn.order))
    turn.say(str(tracking["message"]))
    state = tracking["delivery_state"]
    if state in words.DELIVERY_TICKET_QUESTION:
        turn.ask(words.DELIVERY_TICKET_QUESTION[state], pending="late_ticket")
    elif state == "delivered":
        turn.ask(
            "If you can't find the parcel (check with neighbours and your mailbox), shall I "
            "open a ticket so we investigate with the carrier?",
            pending="late_ticket",
        )
    else:
        turn.solved()
        turn.anything_else()


async def payment_issue(turn: Turn) -> None:
    policy = await turn.api.policy()
    turn.say(str(policy.get("payment", {}).get("text") or "Sorry about the payment trouble."))
    turn.ask(
        f"Shall I open a payment ticket for order {turn.order}? Our payments team checks "
        "double charges and failed payments and refunds anything taken by mistake.",
        pending="payment_ticket",
    )


async def complaint(turn: Turn) -> None:
    if not turn.slot("complaint_category") or not turn.slot("complaint_description"):
        turn.next("details")
        return
    turn.ask(
        "Thank you for telling me. Shall I file this as a complaint so the responsible "
        "team looks into it?",
        pending="complaint_ticket",
    )


def _description(turn: Turn, subject: str) -> str:
    """The customer's own words about the problem (a complaint: its form's answer too), never
    a message that only held an email, a phone or an order number, nor the "yes" that opened
    the ticket."""
    words = problem_words.customer_description(turn.tracker.events, turn.slot("task"))
    told = turn.slot("complaint_description")
    if told and (not words or str(told) not in words):
        words = f"{words}\n{told}" if words else str(told)
    if not words:
        return f"{subject}: the customer gave no details in the chat."
    return parsing.clip(words, 5000)


def _ticket_request(turn: Turn, kind: str) -> dict[str, Any]:
    category, severity, subject = TICKETS[kind]
    description = _description(turn, subject)
    if kind == "complaint_ticket":
        category = parsing.complaint_category(turn.slot("complaint_category")) or "other"
        severity = SEVERITY_BY_ANGER.get(anger_score(description), "critical")
    summary = _bounded(turn.summary())
    request: dict[str, Any] = {
        "category": category,
        "severity": severity,
        "subject": f"{subject} (order {turn.order})" if turn.order else subject,
        "description": description,
        "conversation_id": turn.conversation_id,
        "channel": turn.channel,
        "context": summary,
        "told_customer": PROMISES[kind],
    }
    if turn.order:
        request["order_number"] = turn.order
    return request


def _bounded(summary: dict[str, Any]) -> dict[str, Any]:
    """The API refuses a ticket context above 48 KiB of JSON: shorten the messages, then drop
    the oldest until it fits."""
    messages = [
        {**m, "text": parsing.clip(m["text"], CONTEXT_MESSAGE_CHARS)}
        for m in summary["last_messages"]
    ]
    summary = {**summary, "last_messages": messages}
    while messages and len(json.dumps(summary, ensure_ascii=False).encode()) > CONTEXT_BYTES:
        messages.pop(0)
    return summary


async def do_ticket(turn: Turn, kind: str) -> None:
    request = _ticket_request(turn, kind)
    # The API keeps the first answer per key and refuses the key with another payload (the
    # context grows with every message): one key per turn, the same when the turn is retried.
    turns = sum(1 for event in turn.tracker.events if event.get("event") == "user")
    key = idempotency_key("ticket", turn.conversation_id, kind, turn.order, turns)
    ticket = await turn.api.create_ticket(request, key=key)
    turn.set("ticket_number", ticket["number"])
    turn.say(str(ticket.get("message") or f"I've opened ticket {ticket['number']}."))
    turn.solved()
    if kind == "complaint_ticket":
        turn.ask("Would you like to talk to a person about it now?", pending="handoff")
    else:
        turn.anything_else()
