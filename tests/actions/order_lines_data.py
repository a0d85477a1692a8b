"""An order with several lines (2 candles, 3 mugs, a hoodie, a final-sale swimsuit) as the fake
backend answers for it, and runners for the return actions."""

from __future__ import annotations

from typing import Any

import respx

from actions.confirmations import ActionConfirm, ActionDecline
from actions.run_task import ActionRunTask
from tests.actions.helpers import (
    ORDER,
    Outcome,
    bot_event,
    eligibility_json,
    item_eligibility,
    make_tracker,
    run,
    user_event,
)

ORDER_PATH = f"/api/orders/{ORDER}"
ELIGIBILITY_PATH = f"{ORDER_PATH}/return-eligibility"
RETURNS_PATH = f"{ORDER_PATH}/returns"


def _item(item_id: int, sku: str, name: str, quantity: int, final_sale: bool = False) -> Any:
    return {
        "id": item_id,
        "sku": sku,
        "name": name,
        "quantity": quantity,
        "unit_price": "10.00",
        "final_sale": final_sale,
    }


CANDLE = _item(11, "SKU-CANDLE-CEDAR", "Scented candle, cedarwood", 2)
MUG = _item(12, "SKU-MUG-WHT-350", "Ceramic mug, white, 350 ml", 3)
HOODIE = _item(13, "SKU-HOODIE-BLK-M", "Zip hoodie, black, M", 1)
SWIMSUIT = _item(14, "SKU-SWIM-BLU-38", "Swimsuit, blue, 38", 1, final_sale=True)
FINAL_SALE = "Swimsuit, blue, 38 was a final-sale item, so it can't be returned."
DETAILS: dict[str, Any] = {
    "return_reason": "does_not_fit",
    "item_condition": "like_new",
    "resolution": "refund",
}


def lines_eligibility(**changes: Any) -> dict[str, Any]:
    """Candles and mugs returnable; the swimsuit is final sale."""
    items = [
        item_eligibility(CANDLE),
        item_eligibility(MUG),
        item_eligibility(HOODIE),
        item_eligibility(SWIMSUIT, returnable=False, reason=FINAL_SALE),
    ]
    return eligibility_json(items=items, **changes)


def backend(api: respx.MockRouter, **changes: Any) -> respx.Route:
    return api.get(ELIGIBILITY_PATH).respond(json=lines_eligibility(**changes))


def request_history(text: str, intent: str = "return_item") -> list[dict[str, Any]]:
    """The message that started the request, then the bot's questions."""
    return [user_event(text, intent), bot_event("What is your order number?")]


def run_task(
    text: str = "",
    intent: str = "inform",
    history: list[dict[str, Any]] | None = None,
    **slots: Any,
) -> Outcome:
    slots.setdefault("task", "return_item")
    tracker = make_tracker(text, intent, verified=True, slots=slots, history=history or [])
    return run(ActionRunTask(), tracker)


def answer(
    action: type[ActionConfirm] | type[ActionDecline],
    text: str,
    pending: str,
    history: list[dict[str, Any]] | None = None,
    **slots: Any,
) -> Outcome:
    """The customer's yes or no (`text`) to the question `pending`."""
    intent = "affirm" if action is ActionConfirm else "deny"
    values = {"task": "return_item", **DETAILS, "pending_confirmation": pending, **slots}
    tracker = make_tracker(text, intent, verified=True, slots=values, history=history or [])
    return run(action(), tracker)
