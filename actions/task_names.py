"""The requests the bot handles as tasks (intents in domain.yml), in one place for the modules
that decide what happens next and the tasks that read a conversation back."""

from __future__ import annotations

# Requests that need a verified order; complaints may go without one.
NEEDS_ORDER = frozenset(
    {
        "order_status",
        "cancel_order",
        "change_shipping_address",
        "return_item",
        "exchange_item",
        "refund_request",
        "refund_status",
        "damaged_or_wrong_item",
        "late_delivery",
        "payment_issue",
    }
)
TASKS = NEEDS_ORDER | {"complaint"}
