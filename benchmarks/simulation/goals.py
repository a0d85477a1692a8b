"""What a simulated customer can want: how they word the request, which yes/no questions they
say yes to, and which of the bot's words tell them their request was dealt with."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Goal:
    kind: str
    requests: tuple[str, ...]  # str.format fields: number, email, short, wish, wish_kind, question
    accept: tuple[str, ...] = ()  # a yes/no question containing one of these gets "yes"
    intents: tuple[str, ...] = ()  # the bot's intents that mean this request (button choice)
    markers: tuple[str, ...] = ()  # the bot's words showing it was dealt with
    refused: bool = False  # the shop's rules refuse it: the customer insists once
    whole_order: tuple[str, ...] = ()  # requests when every line is meant

    @property
    def informational(self) -> bool:
        return not self.accept and not self.refused and self.kind != "handoff"


REFUSAL = (
    "final-sale",
    "final sale",
    "can't be returned",
    "can't be cancelled",
    "can't be changed",
    "accepted within",
    "days ago",
    "already shipped",
    "already delivered",
    "not returnable",
)
RETURN_REQUESTS = (
    "I'd like to return something",
    "I want to send back the {short}",
    "how do I return the {short} from order {number}?",
    "I need to return an item from my order",
    "hi, I want to return the {short} please",
)
RETURN_ALL = (
    "I want to return my whole order",
    "I'd like to send everything back",
    "hi, I need to return order {number}",
)
CANCEL_REQUESTS = (
    "I want to cancel my order",
    "please cancel order {number}",
    "I ordered by mistake, can you cancel it?",
    "cancel my order please, I don't need it any more",
    "Hi, I'd like to cancel order {number}. My email is {email}.",
)
ADDRESS_REQUESTS = (
    "I need to change the delivery address",
    "can you send my order to a different address?",
    "I moved, please update the shipping address of order {number}",
    "the address on my order is wrong, can I change it?",
)

GOALS = {
    "order_status": Goal(
        "order_status",
        (
            "where is my order?",
            "Hi, when will my parcel arrive?",
            "what's the status of order {number}?",
            "has my order shipped yet?",
            "can you track my order please",
            "hi, order {number}, email {email}: where is it?",
        ),
        intents=("order_status",),
        markers=("on its way", "delivered", "being prepared", "waiting for payment", "packed"),
    ),
    "cancel": Goal(
        "cancel",
        CANCEL_REQUESTS,
        accept=("cancel it", "cancel the order", "shall i cancel"),
        intents=("cancel_order",),
    ),
    "address": Goal(
        "address",
        ADDRESS_REQUESTS,
        accept=("change the delivery address", "change the address"),
        intents=("change_shipping_address",),
    ),
    "return": Goal(
        "return",
        RETURN_REQUESTS,
        accept=("open a return", "start a return"),
        intents=("return_item",),
        markers=("rma",),
        whole_order=RETURN_ALL,
    ),
    "exchange": Goal(
        "exchange",
        (
            "can I exchange the {short} for {wish}?",
            "I'd like to exchange the {short}",
            "I want to exchange something I bought",
            "I need a different {wish_kind} of the {short}, can I swap it?",
        ),
        accept=("open a return", "start a return", "exchange"),
        intents=("exchange_item", "return_item"),
        markers=("rma",),
    ),
    "refund_request": Goal(
        "refund_request",
        (
            "I want my money back for order {number}",
            "I'd like a refund please",
            "can I get a refund?",
            "I want a refund for my order",
        ),
        accept=("refund", "start a return", "open a return", "cancel it"),
        intents=("refund_request", "return_item"),
    ),
    "refund_status": Goal(
        "refund_status",
        (
            "where is my refund?",
            "what's the status of my refund?",
            "I still haven't received my refund",
            "has my refund been paid yet?",
        ),
        intents=("refund_status",),
        markers=("refund of", "no refund", "is waiting", "was issued", "could not be paid"),
    ),
    "late_delivery": Goal(
        "late_delivery",
        (
            "my parcel is late",
            "my package still hasn't arrived, it was due days ago",
            "the delivery of order {number} is overdue",
            "I'm still waiting for my order, it should have been here by now",
        ),
        accept=("ticket", "investigat"),
        intents=("late_delivery", "order_status"),
    ),
    "damaged": Goal(
        "damaged",
        (
            "the {short} arrived broken",
            "I received my order but the {short} was damaged",
            "the {short} came damaged, the box was crushed",
        ),
        accept=("ticket", "open a return", "start a return", "replacement"),
        intents=("damaged_or_wrong_item", "return_item"),
    ),
    "wrong_item": Goal(
        "wrong_item",
        (
            "you sent me the wrong item",
            "I received something I didn't order",
            "the parcel had the wrong product in it instead of my {short}",
        ),
        accept=("ticket", "open a return", "start a return", "replacement"),
        intents=("damaged_or_wrong_item", "return_item"),
    ),
    "payment": Goal(
        "payment",
        (
            "I was charged twice for my order",
            "my card was charged two times for order {number}",
            "there's a double charge on my card for my last order",
            "the payment for my order was taken twice",
        ),
        accept=("ticket",),
        intents=("payment_issue",),
    ),
    "complaint": Goal(
        "complaint",
        (
            "I want to make a complaint",
            "I'd like to complain",
            "I'm not happy and want to file a complaint",
        ),
        accept=("file this", "complaint"),
        intents=("complaint",),
    ),
    "policy": Goal("policy", ("{question}",), intents=("ask_policy",)),
    "delivery_options": Goal(
        "delivery_options", ("{question}",), intents=("delivery_options", "ask_policy")
    ),
    "handoff": Goal(
        "handoff",
        (
            "I want to talk to a human",
            "can I speak to a real person please",
            "agent please",
            "please connect me with someone from your team",
        ),
        accept=("colleague", "person", "agent"),
        intents=("human_agent",),
    ),
    "refused_return": Goal(
        "refused_return", RETURN_REQUESTS, refused=True, intents=("return_item",)
    ),
    "refused_cancel": Goal(
        "refused_cancel", CANCEL_REQUESTS, refused=True, intents=("cancel_order",)
    ),
    "refused_address": Goal(
        "refused_address", ADDRESS_REQUESTS, refused=True, intents=("change_shipping_address",)
    ),
}
INSIST = {
    "refused_return": (
        "But I really want to return the {short}. Can't you make an exception?",
        "That's not fair, I want to send the {short} back anyway.",
    ),
    "refused_cancel": (
        "But I really need to cancel it. Can't you stop the parcel?",
        "Please, just cancel the order anyway.",
    ),
    "refused_address": (
        "But I won't be at the old address! Please change it anyway.",
        "Can't you just update the address? It's important.",
    ),
}
PERSON_OFFER = (
    "pass you to a colleague",
    "pass you to a person",
    "to a colleague?",
    "talk to a person",
    "speak to a person",
    "to a person",
)
# How a customer recognises a request in the bot's words ("Did you mean: start a return?").
INTENT_WORDS = {
    "order_status": ("order status", "where", "track", "status of"),
    "cancel_order": ("cancel",),
    "change_shipping_address": ("address",),
    "return_item": ("return",),
    "exchange_item": ("exchange", "swap"),
    "refund_request": ("refund",),
    "refund_status": ("refund",),
    "late_delivery": ("late", "delay", "not arrived", "hasn't arrived", "missing"),
    "damaged_or_wrong_item": ("damaged", "broken", "wrong item", "defect", "faulty"),
    "payment_issue": ("payment", "charge"),
    "complaint": ("complaint", "complain"),
    "ask_policy": ("policy", "policies"),
    "delivery_options": ("delivery option", "shipping option", "delivery", "shipping"),
    "human_agent": ("person", "agent", "human", "colleague"),
}
