"""Building blocks for the action tests: real rasa_sdk trackers, a runner that returns what an
action said and did, and canned ticketing API answers in the exact shapes of the API schemas
(tests/actions/test_fakes_match_api.py checks them against ticketing's pydantic models)."""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import respx
import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

REPO = Path(__file__).resolve().parents[2]
BASE_URL = "http://ticketing.test"
API_KEY = "test-actions-key-0123456789"
TOKEN = "vt-token-abc"
CONVERSATION = "conv-42"
ORDER = "10234"
OTHER_ORDER = "10555"
NOW = "2026-06-15T12:00:00Z"


def load_domain() -> dict[str, Any]:
    return yaml.safe_load((REPO / "domain.yml").read_text(encoding="utf-8"))


DOMAIN = load_domain()


def default_slots() -> dict[str, Any]:
    """Every slot of domain.yml at its initial value, as Rasa sends them."""
    slots = {name: spec.get("initial_value") for name, spec in DOMAIN["slots"].items()}
    slots["requested_slot"] = None
    return slots


VERIFIED = {
    "verified_order": ORDER,
    "order_number": ORDER,
    "verification_token": TOKEN,
    "customer_name": "Ann",
    "contact": "ann@example.com",
}


def user_event(
    text: str,
    intent: str | None = None,
    entities: Iterable[dict[str, Any]] = (),
    channel: str = "rest",
    metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "event": "user",
        "timestamp": 1.0,
        "text": text,
        "input_channel": channel,
        "metadata": metadata or {},
        "parse_data": {
            "text": text,
            "intent": {"name": intent, "confidence": 1.0} if intent else {},
            "entities": list(entities),
        },
    }


def bot_event(text: str) -> dict[str, Any]:
    return {"event": "bot", "timestamp": 1.0, "text": text, "data": {}}


def entity(name: str, value: str) -> dict[str, Any]:
    return {"entity": name, "value": value, "start": 0, "end": len(value), "extractor": "test"}


def make_tracker(
    text: str = "",
    intent: str | None = None,
    *,
    entities: Iterable[dict[str, Any]] = (),
    slots: dict[str, Any] | None = None,
    verified: bool = False,
    history: Iterable[dict[str, Any]] = (),
    after: Iterable[dict[str, Any]] = (),
    active_loop: str | None = None,
    channel: str = "rest",
    sender_id: str = CONVERSATION,
    metadata: dict[str, Any] | None = None,
) -> Tracker:
    """A tracker as Rasa sends it: slots at their domain defaults plus `slots`, the history
    events, then the latest user message (text, intent, entities, the hub's `metadata`), then
    `after` events."""
    values = default_slots()
    if verified:
        values.update(VERIFIED)
    values.update(slots or {})
    latest = user_event(text, intent, entities, channel, metadata)
    events = [*copy.deepcopy(list(history)), latest, *copy.deepcopy(list(after))]
    return Tracker(
        sender_id=sender_id,
        slots=values,
        latest_message=copy.deepcopy(latest["parse_data"]),
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def form_tracker(
    form: str,
    filled: dict[str, Any],
    text: str,
    *,
    requested_slot: str | None = None,
    slots: dict[str, Any] | None = None,
    intent: str = "inform",
) -> Tracker:
    """What a form validation action gets: the slot candidates as the last SlotSet events."""
    values = {**(slots or {}), **filled, "requested_slot": requested_slot}
    candidates = [
        {"event": "slot", "timestamp": 1.0, "name": name, "value": value}
        for name, value in filled.items()
    ]
    return make_tracker(text, intent, slots=values, after=candidates, active_loop=form)


@dataclass
class Outcome:
    """What one action run returned (events) and said (messages)."""

    events: list[dict[str, Any]]
    messages: list[dict[str, Any]]

    @property
    def slots(self) -> dict[str, Any]:
        """The last value each SlotSet event gave, in order."""
        return {e["name"]: e["value"] for e in self.events if e.get("event") == "slot"}

    def slot_events(self, name: str) -> list[Any]:
        return [e["value"] for e in self.events if e.get("event") == "slot" and e["name"] == name]

    @property
    def next_step(self) -> Any:
        return self.slots.get("next_step")

    @property
    def pending(self) -> Any:
        return self.slots.get("pending_confirmation")

    @property
    def texts(self) -> list[str]:
        return [m["text"] for m in self.messages if m.get("text")]

    @property
    def responses(self) -> list[str]:
        return [m["response"] for m in self.messages if m.get("response")]

    @property
    def all_text(self) -> str:
        return "\n".join(self.texts)

    def said(self, *fragments: str) -> bool:
        """Every fragment occurs in one of the texts (case-insensitive)."""
        text = self.all_text.lower()
        return all(f.lower() in text for f in fragments)

    @property
    def buttons(self) -> list[str]:
        return [b["payload"] for m in self.messages for b in m.get("buttons") or []]


def run(action: Action, tracker: Tracker, domain: dict[str, Any] | None = None) -> Outcome:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain or DOMAIN))
    return Outcome(list(events or []), dispatcher.messages)


# What reached the fake backend
def requests(router: respx.MockRouter) -> list[httpx.Request]:
    return [call.request for call in router.calls]


def sent(router: respx.MockRouter) -> list[tuple[str, str]]:
    """(method, path) of every request, in order."""
    return [(r.method, r.url.path) for r in requests(router)]


def writes(router: respx.MockRouter) -> list[tuple[str, str]]:
    return [(m, p) for m, p in sent(router) if m in ("POST", "PUT", "PATCH", "DELETE")]


def body(request: httpx.Request) -> Any:
    return json.loads(request.content)


def only(router: respx.MockRouter, method: str, path: str) -> httpx.Request:
    """The one request made to `method path`."""
    found = [r for r in requests(router) if r.method == method and r.url.path == path]
    assert len(found) == 1, f"{len(found)} requests to {method} {path}: {sent(router)}"
    return found[0]


# Canned answers, in the shapes of ticketing/*/schemas.py
ITEMS = [
    {
        "id": 1,
        "sku": "SNK-BLU-42",
        "name": "Blue Sneakers",
        "quantity": 1,
        "unit_price": "49.90",
        "final_sale": False,
    },
    {
        "id": 2,
        "sku": "SOCK-3P",
        "name": "Sport Socks",
        "quantity": 2,
        "unit_price": "4.95",
        "final_sale": False,
    },
]
NOT_SHIPPED = ("pending", "paid", "packed")
DELIVERY_STATE = {
    "pending": "not_shipped",
    "paid": "not_shipped",
    "packed": "not_shipped",
    "shipped": "on_time",
    "out_for_delivery": "on_time",
    "delivered": "delivered",
    "cancelled": "cancelled",
}


def shipment_json(
    status: str = "in_transit",
    promised: str | None = "2026-06-17",
    tracking_number: str = "JD0140001",
) -> dict[str, Any]:
    return {
        "carrier": "DHL",
        "tracking_number": tracking_number,
        "status": status,
        "shipped_at": "2026-06-13T09:00:00Z",
        "promised_delivery_date": promised,
        "delivered_at": "2026-06-14T15:00:00Z" if status == "delivered" else None,
        "events": [
            {
                "occurred_at": "2026-06-13T09:00:00Z",
                "status": "label_created",
                "location": "Berlin",
                "description": "Label created",
            }
        ],
    }


def tracking_json(
    number: str = ORDER,
    status: str = "shipped",
    delivery_state: str | None = None,
    message: str | None = None,
    days_late: int = 0,
    shipments: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    state = delivery_state or DELIVERY_STATE[status]
    default_message = {
        "not_shipped": f"Order {number} hasn't shipped yet.",
        "on_time": f"Order {number} is on its way and due on June 17.",
        "late": f"Order {number} is {days_late} days late.",
        "presumed_lost": f"Order {number} seems to be lost.",
        "delivered": f"Order {number} was delivered on June 14.",
        "cancelled": f"Order {number} was cancelled.",
    }[state]
    if shipments is None:
        shipments = [] if status in NOT_SHIPPED or status == "cancelled" else [shipment_json()]
    return {
        "order_number": number,
        "order_status": status,
        "delivery_state": state,
        "days_late": days_late,
        "message": message or default_message,
        "shipments": shipments,
    }


def order_json(
    number: str = ORDER,
    status: str = "paid",
    *,
    can_cancel: bool | None = None,
    can_change_address: bool | None = None,
    delivery_state: str | None = None,
    tracking_message: str | None = None,
    days_late: int = 0,
    items: list[dict[str, Any]] | None = None,
    total: str = "59.80",
) -> dict[str, Any]:
    shipped = status not in NOT_SHIPPED and status != "cancelled"
    return {
        "number": number,
        "status": status,
        "placed_at": "2026-06-10T10:00:00Z",
        "paid_at": None if status == "pending" else "2026-06-10T10:01:00Z",
        "shipped_at": "2026-06-13T09:00:00Z" if shipped else None,
        "delivered_at": "2026-06-14T15:00:00Z" if status == "delivered" else None,
        "cancelled_at": "2026-06-11T08:00:00Z" if status == "cancelled" else None,
        "shipping_address": {
            "name": "Ann Smith",
            "line1": "Hauptstr. 5",
            "line2": None,
            "city": "Berlin",
            "postal_code": "10115",
            "country": "DE",
        },
        "payment_method": "card",
        "currency": "EUR",
        "subtotal": "59.80",
        "shipping_total": "0.00",
        "tax_total": "9.55",
        "total": total,
        "items": copy.deepcopy(ITEMS if items is None else items),
        "tracking": tracking_json(number, status, delivery_state, tracking_message, days_late),
        "can_cancel": status in NOT_SHIPPED if can_cancel is None else can_cancel,
        "can_change_address": (
            status in ("pending", "paid") if can_change_address is None else can_change_address
        ),
    }


def item_eligibility(
    item: dict[str, Any],
    *,
    returnable: bool = True,
    returnable_quantity: int | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    quantity = item["quantity"] if returnable_quantity is None else returnable_quantity
    return {
        "item_id": item["id"],
        "sku": item["sku"],
        "name": item["name"],
        "quantity": item["quantity"],
        "returnable_quantity": quantity if returnable else 0,
        "returnable": returnable,
        "reason": reason,
    }


def eligibility_json(
    number: str = ORDER,
    *,
    eligible: bool = True,
    items: list[dict[str, Any]] | None = None,
    reason: str | None = None,
    code: str = "eligible",
    window_days: int = 30,
) -> dict[str, Any]:
    return {
        "order_number": number,
        "eligible": eligible,
        "code": code,
        "reason": reason,
        "days_since_delivery": 1,
        "window_days": window_days,
        "days_left": window_days - 1,
        "items": [item_eligibility(i) for i in ITEMS] if items is None else items,
    }


def return_json(
    rma: str = "RMA-10234-1",
    status: str = "requested",
    number: str = ORDER,
    *,
    refund_amount: str = "49.90",
    next_steps: str = "Print the label we emailed you and drop the parcel at any DHL point.",
) -> dict[str, Any]:
    return {
        "rma_number": rma,
        "order_number": number,
        "status": status,
        "resolution": "refund",
        "reason": "does_not_fit",
        "condition": "like_new",
        "note": None,
        "created_at": NOW,
        "received_at": NOW if status in ("received", "refunded") else None,
        "items": [
            {
                "item_id": 1,
                "sku": "SNK-BLU-42",
                "name": "Blue Sneakers",
                "quantity": 1,
                "unit_price": "49.90",
            }
        ],
        "refund_amount": refund_amount,
        "currency": "EUR",
        "next_steps": next_steps,
    }


def refund_json(
    number: str = ORDER,
    rma: str | None = None,
    *,
    amount: str = "49.90",
    status: str = "pending",
    message: str = "Your refund of 49.90 EUR is on its way: expect it within 5 days.",
) -> dict[str, Any]:
    return {
        "id": 7,
        "order_number": number,
        "rma_number": rma,
        "amount": amount,
        "currency": "EUR",
        "method": "original_payment",
        "status": status,
        "requires_approval": False,
        "created_at": NOW,
        "processed_at": None,
        "expected_by": "2026-06-20T12:00:00Z",
        "message": message,
    }


def verification_json(number: str = ORDER, name: str = "Ann", token: str = TOKEN) -> dict[str, Any]:
    return {
        "token": token,
        "expires_at": "2026-06-15T12:30:00Z",
        "order_number": number,
        "customer_first_name": name,
    }


def cancel_json(number: str = ORDER) -> dict[str, Any]:
    return {
        "order": order_json(number, "cancelled"),
        "refund_id": 7,
        "message": f"Order {number} is cancelled. Your refund of 59.80 EUR is on its way.",
    }


def address_json(number: str = ORDER) -> dict[str, Any]:
    return {
        "order": order_json(number, "paid"),
        "message": f"Done: order {number} will go to the new address.",
    }


NEW_ADDRESS = {
    "name": "Ann Smith",
    "line1": "Gartenweg 3",
    "line2": "2nd floor",
    "postal_code": "20095",
    "city": "Hamburg",
    "country": "DE",
}


def parsed_address_json(**fields: Any) -> dict[str, Any]:
    """AddressParsed (ticketing/orders/schemas.py): NEW_ADDRESS with `fields` changed."""
    address = {**NEW_ADDRESS, **fields}
    place = f"{address['postal_code']} {address['city']}"
    parts = [address["name"], address["line1"], address.get("line2"), place, "Germany"]
    return {"address": address, "text": ", ".join(p for p in parts if p)}


def address_slot(**fields: Any) -> str:
    """The new_address slot once the backend has read the typed address."""
    return json.dumps(parsed_address_json(**fields), ensure_ascii=False)


def ticket_json(number: str = "T-1001", priority: str = "normal") -> dict[str, Any]:
    """TicketRead (ticketing/tickets/schemas.py)."""
    return {
        "number": number,
        "category": "logistics",
        "priority": priority,
        "status": "new",
        "source": "bot",
        "subject": "Late or lost delivery (order 10234)",
        "description": "my parcel is late",
        "order_number": ORDER,
        "conversation_id": CONVERSATION,
        "channel": "rest",
        "context": {},
        "assignee": None,
        "created_at": NOW,
        "updated_at": NOW,
        "first_response_minutes": 480,
        "message": f"I've opened ticket {number}; a colleague will get back to you within a day.",
        "events": [],
    }


def handoff_json(number: str = "T-2001", reason: str = "requested") -> dict[str, Any]:
    """HandoffRead (ticketing/tickets/schemas.py)."""
    return {
        "number": number,
        "priority": "high",
        "status": "new",
        "reason": reason,
        "created": True,
        "order_linked": False,
        "expected_wait_minutes": 120,
        "message": f"I've passed you to a colleague (ticket {number}); they'll reply here soon.",
    }


def rating_json(score: int = 5) -> dict[str, Any]:
    """RatingSaved (ticketing/feedback/schemas.py)."""
    return {
        "conversation_id": CONVERSATION,
        "score": score,
        "comment": None,
        "channel": "rest",
        "ticket_number": None,
        "category": None,
        "agent": None,
        "created_at": NOW,
        "updated_at": NOW,
        "changeable_until": "2026-06-22T12:00:00Z",
        "updated": False,
    }


def error_json(message: str, code: str = "error") -> dict[str, Any]:
    """The API's error body: {"detail": [{"msg", "code"}]}."""
    return {"detail": [{"msg": message, "code": code}]}


def policy_json(**changes: Any) -> dict[str, Any]:
    """GET /api/policy as the API serialises policy.yml; `returns__window_days=14` changes one
    nested value."""
    policy: dict[str, Any] = {
        "shop_name": "Demo Shop",
        "currency": "EUR",
        "timezone": "Europe/Berlin",
        "returns": {
            "window_days": 30,
            "exchange_window_days": 45,
            "final_sale_returnable": False,
            "auto_approve": True,
            "accepted_conditions": ["unopened", "like_new", "used", "damaged"],
            "resolutions": ["refund", "exchange", "store_credit"],
        },
        "refunds": {
            "methods": ["original_payment", "store_credit", "bank_transfer"],
            "processing_days": {"original_payment": 5, "store_credit": 1, "bank_transfer": 3},
            "auto_approve_limit": "150.00",
            "refund_shipping_on_cancellation": True,
        },
        "cancellation": {"allowed_statuses": ["pending", "paid", "packed"]},
        "address_change": {"allowed_statuses": ["pending", "paid"]},
        "delivery": {
            "late_after_days": 1,
            "lost_after_days": 10,
            "options": [
                {
                    "name": "Standard",
                    "days": "3-5 business days",
                    "price": "4.90",
                    "free_above": "50.00",
                },
                {
                    "name": "Express",
                    "days": "1-2 business days",
                    "price": "12.90",
                    "free_above": None,
                },
                {
                    "name": "Pick-up point",
                    "days": "3-6 business days",
                    "price": "2.90",
                    "free_above": None,
                },
            ],
            "tracking_links": {
                carrier: f"https://{carrier.lower()}.example/track?id={{number}}"
                for carrier in ("DHL", "DPD", "Hermes", "GLS", "UPS")
            },
        },
        "warranty": {
            "months": 24,
            "text": "Every product carries a 24-month legal guarantee from the delivery date. "
            "For a defect, tell us the order number and what is wrong, and we repair, replace "
            "or refund it.",
        },
        "payment": {
            "methods": ["card", "paypal", "bank_transfer", "cash_on_delivery", "gift_card"],
            "text": "We accept cards, PayPal, bank transfer, cash on delivery and gift cards. A "
            "card is charged when the order ships; a failed payment holds the order for 3 days.",
        },
        "sla": {
            "urgent": {"first_response_minutes": 30, "resolution_hours": 4},
            "high": {"first_response_minutes": 120, "resolution_hours": 16},
            "normal": {"first_response_minutes": 480, "resolution_hours": 40},
            "low": {"first_response_minutes": 960, "resolution_hours": 80},
        },
        "business_hours": {
            "timezone": "Europe/Berlin",
            "days": ["mon", "tue", "wed", "thu", "fri"],
            "open": "09:00:00",
            "close": "18:00:00",
            "holidays": ["2026-12-25", "2026-12-26", "2027-01-01"],
        },
        "nps": {
            "enabled": True,
            "cooldown_days": 90,
            "question": "One last question: how likely are you to recommend Demo Shop to a "
            "friend or colleague? Tap a number from 0 (not at all likely) to 10 (extremely "
            "likely).",
        },
    }
    for path, value in changes.items():
        *parents, leaf = path.split("__")
        node = policy
        for name in parents:
            node = node[name]
        node[leaf] = value
    return policy
