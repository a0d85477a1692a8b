"""action_run_task: every task against the fake backend, reads only (writes wait for a yes)."""

from __future__ import annotations

import re
from typing import Any

import pytest
import respx
import yaml

from actions.run_task import ActionRunTask
from tests.actions.helpers import (
    API_KEY,
    ITEMS,
    ORDER,
    REPO,
    TOKEN,
    Outcome,
    eligibility_json,
    item_eligibility,
    make_tracker,
    order_json,
    policy_json,
    refund_json,
    requests,
    return_json,
    run,
    sent,
    tracking_json,
    writes,
)

ORDER_PATH = f"/api/orders/{ORDER}"


def run_task(task: str | None, text: str = "", **slots: Any) -> Outcome:
    tracker = make_tracker(text, "inform", verified=True, slots={"task": task, **slots})
    return run(ActionRunTask(), tracker)


def assert_reads_only(api: respx.MockRouter) -> None:
    assert writes(api) == []
    for request in requests(api):
        assert request.headers["X-Api-Key"] == API_KEY
        assert request.headers["X-Verification-Token"] == TOKEN
        assert "Idempotency-Key" not in request.headers


def assert_asks(outcome: Outcome, pending: str) -> None:
    assert outcome.pending == pending
    assert outcome.buttons[-2:] == ["/affirm", "/deny"]
    assert outcome.next_step == "none"


def assert_done(outcome: Outcome) -> None:
    """Answered: resolved, then "anything else?"."""
    assert outcome.slots.get("resolved") is True
    assert outcome.responses[-1] == "utter_anything_else"
    assert outcome.pending == "anything_else"
    assert outcome.next_step == "none"


# order status
def test_order_status_on_time(api: respx.MockRouter) -> None:
    api.get(ORDER_PATH).respond(json=order_json(status="shipped"))
    outcome = run_task("order_status")
    assert sent(api) == [("GET", ORDER_PATH)]
    assert_reads_only(api)
    # One sentence per fact: no "is on its way" twice, no date said twice in two formats.
    assert outcome.texts[0] == (
        "Order 10234 (1 × Blue Sneakers, 2 × Sport Socks) is on its way and due on June 17. "
        "Tracking: DHL, number JD0140001."
    )
    assert_done(outcome)


def test_order_status_names_the_carrier_once(api: respx.MockRouter) -> None:
    message = "Order 10234 is on its way with DHL and should arrive by Tuesday 8 December."
    api.get(ORDER_PATH).respond(json=order_json(status="shipped", tracking_message=message))
    outcome = run_task("order_status")
    assert outcome.texts[0] == (
        "Order 10234 (1 × Blue Sneakers, 2 × Sport Socks) is on its way with DHL and should "
        "arrive by Tuesday 8 December. Tracking number JD0140001."
    )


def test_order_status_links_the_carriers_tracking_page(api: respx.MockRouter) -> None:
    order = order_json(status="shipped")
    url = "https://www.dhl.de/track?piececode=JD0140001"
    for shipment in (*order["tracking"]["shipments"], *order.get("shipments", [])):
        shipment["tracking_url"] = url
    api.get(ORDER_PATH).respond(json=order)
    outcome = run_task("order_status")
    assert outcome.texts[0].endswith(f"Tracking: DHL, number JD0140001: {url}")
    assert outcome.all_text.count(url) == 1


def test_order_status_not_shipped_has_no_tracking_line(api: respx.MockRouter) -> None:
    api.get(ORDER_PATH).respond(json=order_json(status="paid"))
    outcome = run_task("order_status")
    assert outcome.said("is paid and being prepared", "hasn't shipped yet")
    assert not outcome.said("Tracking")
    assert_done(outcome)


def test_a_lost_parcel_is_not_also_on_its_way(api: respx.MockRouter) -> None:
    api.get(ORDER_PATH).respond(
        json=order_json(status="shipped", delivery_state="presumed_lost", days_late=12)
    )
    outcome = run_task("order_status")
    assert outcome.texts[0].startswith("Order 10234 (1 × Blue Sneakers, 2 × Sport Socks) seems")
    assert outcome.said("lost", "Tracking: DHL")
    assert not outcome.said("on its way")
    assert outcome.all_text.count("10234") == 1  # the order is named once


def test_order_status_with_many_items_is_shortened(api: respx.MockRouter) -> None:
    many = [dict(ITEMS[0], id=n, name=f"Item {n}") for n in range(1, 6)]
    api.get(ORDER_PATH).respond(json=order_json(items=many))
    outcome = run_task("order_status")
    assert outcome.said("1 × Item 1, 1 × Item 2, 1 × Item 3 and 2 more")


@pytest.mark.parametrize("state", ["late", "presumed_lost"])
def test_a_late_order_offers_a_delivery_ticket(api: respx.MockRouter, state: str) -> None:
    api.get(ORDER_PATH).respond(json=order_json(status="shipped", delivery_state=state))
    outcome = run_task("order_status")
    assert outcome.slots["resolved"] is True
    assert outcome.said("delivery ticket")
    # a lost parcel is not called late, and only it gets the replacement-or-refund promise
    assert outcome.said("sorry it's late") is (state == "late")
    assert outcome.said("replacement or a refund") is (state == "presumed_lost")
    assert_asks(outcome, "late_ticket")
    assert_reads_only(api)


# cancel
def test_cancel_allowed_asks_for_a_confirmation(api: respx.MockRouter) -> None:
    api.get(ORDER_PATH).respond(json=order_json(status="paid"))
    outcome = run_task("cancel_order")
    assert outcome.said("Order 10234 (1 × Blue Sneakers, 2 × Sport Socks, 59.80 EUR)")
    assert outcome.said("Shall I cancel it?")
    assert_asks(outcome, "cancel")
    assert "resolved" not in outcome.slots
    assert_reads_only(api)


@pytest.mark.parametrize("status", ["shipped", "out_for_delivery"])
def test_cancel_in_transit_explains_that_a_return_comes_after_delivery(
    api: respx.MockRouter, status: str
) -> None:
    api.get(ORDER_PATH).respond(json=order_json(status=status))
    outcome = run_task("cancel_order")
    assert outcome.said("has already shipped, so it can't be cancelled")
    assert outcome.said("once it arrives you can return it")
    assert outcome.slots["pending_confirmation"] == "anything_else"
    assert_reads_only(api)


def test_cancel_after_delivery_offers_a_return(api: respx.MockRouter) -> None:
    api.get(ORDER_PATH).respond(json=order_json(status="delivered"))
    outcome = run_task("cancel_order")
    assert outcome.said("already delivered, so it can't be cancelled")
    assert outcome.said("start a return")
    assert_asks(outcome, "return_instead")
    assert_reads_only(api)


def test_cancel_an_already_cancelled_order(api: respx.MockRouter) -> None:
    api.get(ORDER_PATH).respond(json=order_json(status="cancelled"))
    outcome = run_task("cancel_order")
    assert outcome.said("already cancelled")
    assert_done(outcome)


def test_cancel_refused_for_another_reason(api: respx.MockRouter) -> None:
    api.get(ORDER_PATH).respond(json=order_json(status="packed", can_cancel=False))
    outcome = run_task("cancel_order")
    assert outcome.said("can't be cancelled at this stage")
    assert outcome.pending == "anything_else"
    assert "resolved" not in outcome.slots


# address change
NEW_ADDRESS = "Ann Smith, Gartenweg 3, 20095 Hamburg, de"


@pytest.mark.parametrize(
    ("status", "why"),
    [("shipped", "has already shipped"), ("packed", "is packed and about to ship")],
)
def test_address_change_not_allowed(api: respx.MockRouter, status: str, why: str) -> None:
    api.get(ORDER_PATH).respond(json=order_json(status=status))
    outcome = run_task("change_shipping_address", new_address=NEW_ADDRESS)
    assert outcome.said(f"Order 10234 {why}, so its delivery address can't be changed")
    assert outcome.pending == "anything_else"
    assert outcome.next_step == "none"
    assert_reads_only(api)


def test_address_change_needs_the_address(api: respx.MockRouter) -> None:
    api.get(ORDER_PATH).respond(json=order_json(status="paid"))
    outcome = run_task("change_shipping_address")
    assert outcome.next_step == "details"
    assert "pending_confirmation" not in outcome.slots
    assert_reads_only(api)


# reading the typed address back: tests/actions/test_address_change.py


# returns and exchanges
ELIGIBILITY_PATH = f"{ORDER_PATH}/return-eligibility"
ALL_DETAILS = {
    "item": "sneakers",
    "return_reason": "does_not_fit",
    "item_condition": "like_new",
    "resolution": "refund",
}


def test_return_not_eligible_says_the_apis_reason(api: respx.MockRouter) -> None:
    reason = "Order 10234 was delivered 41 days ago; returns are accepted within 30 days."
    api.get(ELIGIBILITY_PATH).respond(
        json=eligibility_json(eligible=False, reason=reason, code="window_closed")
    )
    outcome = run_task("return_item", **ALL_DETAILS)
    assert outcome.texts[0] == reason
    assert_done(outcome)
    assert sent(api) == [("GET", ELIGIBILITY_PATH)]


def test_a_single_returnable_item_is_chosen_for_the_customer(api: respx.MockRouter) -> None:
    items = [
        item_eligibility(ITEMS[0]),
        item_eligibility(ITEMS[1], returnable=False, reason="Final sale"),
    ]
    api.get(ELIGIBILITY_PATH).respond(json=eligibility_json(items=items))
    outcome = run_task("return_item")
    assert outcome.slots["item"] == "1 × Blue Sneakers"
    assert outcome.next_step == "details"
    assert outcome.messages == []


def test_several_items_are_listed_and_the_details_asked(api: respx.MockRouter) -> None:
    api.get(ELIGIBILITY_PATH).respond(json=eligibility_json())
    outcome = run_task("return_item")
    assert outcome.texts == [
        "These items of order 10234 can be returned: 1 × Blue Sneakers, 2 × Sport Socks."
    ]
    assert outcome.slots.get("item") is None
    assert outcome.next_step == "details"


def test_an_item_that_matches_nothing_is_asked_again(api: respx.MockRouter) -> None:
    api.get(ELIGIBILITY_PATH).respond(json=eligibility_json())
    outcome = run_task("return_item", **{**ALL_DETAILS, "item": "the lawnmower"})
    assert outcome.slots["item"] is None
    assert outcome.texts == [
        'I can\'t find "lawnmower" in order 10234. These items of order 10234 can be returned: '
        "1 × Blue Sneakers, 2 × Sport Socks."
    ]
    assert outcome.next_step == "details"


def test_all_details_ask_for_a_confirmation(api: respx.MockRouter) -> None:
    api.get(ELIGIBILITY_PATH).respond(json=eligibility_json())
    outcome = run_task("return_item", **ALL_DETAILS)
    assert outcome.texts == [
        "Shall I open a return of 1 × Blue Sneakers from order 10234 (reason: does not fit, "
        "condition: like new) for a refund?"
    ]
    assert_asks(outcome, "return")
    assert_reads_only(api)


def test_all_items_of_the_order(api: respx.MockRouter) -> None:
    api.get(ELIGIBILITY_PATH).respond(json=eligibility_json())
    outcome = run_task("return_item", **{**ALL_DETAILS, "item": "all of it"})
    assert outcome.said("a return of 1 × Blue Sneakers, 2 × Sport Socks from order 10234")
    assert outcome.pending == "return"


def test_an_exchange_presets_the_resolution(api: respx.MockRouter) -> None:
    api.get(ELIGIBILITY_PATH).respond(json=eligibility_json())
    outcome = run_task("exchange_item", item="sneakers")
    assert outcome.slots["resolution"] == "exchange"
    assert outcome.next_step == "details"


def test_an_exchange_with_every_detail(api: respx.MockRouter) -> None:
    api.get(ELIGIBILITY_PATH).respond(json=eligibility_json())
    outcome = run_task(
        "exchange_item", **{**ALL_DETAILS, "resolution": None, "exchange_for": "size 43"}
    )
    assert outcome.slots["resolution"] == "exchange"
    assert outcome.said("for an exchange (size 43 instead)?")
    assert outcome.pending == "return"


def test_details_taken_from_entities_are_brought_to_the_apis_values(
    api: respx.MockRouter,
) -> None:
    api.get(ELIGIBILITY_PATH).respond(json=eligibility_json())
    outcome = run_task(
        "return_item",
        item="sneakers",
        return_reason="a bit too tight",
        item_condition="never used",
        resolution="my money back",
    )
    assert outcome.slots["return_reason"] == "does_not_fit"
    assert outcome.slots["item_condition"] == "unopened"
    assert outcome.slots["resolution"] == "refund"
    assert outcome.pending == "return"


def test_an_unreadable_condition_is_asked_again(api: respx.MockRouter) -> None:
    api.get(ELIGIBILITY_PATH).respond(json=eligibility_json())
    outcome = run_task("return_item", **{**ALL_DETAILS, "item_condition": "hmm"})
    assert outcome.slots["item_condition"] is None
    assert outcome.next_step == "details"
    assert "pending_confirmation" not in outcome.slots


# refunds
REFUNDS_PATH = f"{ORDER_PATH}/refunds"
RETURNS_PATH = f"{ORDER_PATH}/returns"


def refund_backend(
    api: respx.MockRouter,
    status: str = "delivered",
    refunds: list[dict[str, Any]] | None = None,
    returns: list[dict[str, Any]] | None = None,
) -> None:
    api.get(ORDER_PATH).respond(json=order_json(status=status))
    api.get(REFUNDS_PATH).respond(json=refunds or [])
    api.get(RETURNS_PATH).respond(json=returns or [])


def test_a_received_return_asks_to_request_the_refund(api: respx.MockRouter) -> None:
    refund_backend(api, returns=[return_json(status="received")])
    outcome = run_task("refund_request")
    assert outcome.texts == [
        "We received return RMA-10234-1. Shall I request the refund of 49.90 EUR now?"
    ]
    assert_asks(outcome, "refund")
    assert_reads_only(api)


def test_a_cancelled_order_without_a_refund_asks_to_request_it(api: respx.MockRouter) -> None:
    refund_backend(api, status="cancelled")
    outcome = run_task("refund_request")
    assert outcome.said("Order 10234 is cancelled. Shall I request the refund")
    assert_asks(outcome, "refund")


def test_an_existing_refund_is_reported(api: respx.MockRouter) -> None:
    refund_backend(
        api,
        refunds=[refund_json(rma="RMA-10234-1")],
        returns=[return_json(status="received")],
    )
    outcome = run_task("refund_request")
    assert outcome.texts[0] == refund_json()["message"]
    assert_done(outcome)


def test_an_open_return_explains_when_the_refund_comes(api: respx.MockRouter) -> None:
    refund_backend(api, returns=[return_json(status="approved")])
    outcome = run_task("refund_request")
    assert outcome.said("Your return RMA-10234-1 is approved. Print the label")
    assert outcome.all_text.count("RMA-10234-1") == 1  # the number and the state said once
    assert_done(outcome)


@pytest.mark.parametrize("status", ["pending", "paid", "packed"])
def test_a_refund_before_shipping_offers_a_cancellation(api: respx.MockRouter, status: str) -> None:
    refund_backend(api, status=status)
    outcome = run_task("refund_request")
    assert outcome.said("hasn't shipped yet: cancelling it refunds you in full")
    assert_asks(outcome, "cancel_instead")


def test_a_refund_of_a_delivered_order_offers_a_return(api: respx.MockRouter) -> None:
    refund_backend(api, status="delivered")
    outcome = run_task("refund_request")
    assert outcome.said("Refunds are made for items you send back")
    assert_asks(outcome, "return_instead")
    assert_reads_only(api)


def test_refund_status_with_a_refund(api: respx.MockRouter) -> None:
    api.get(REFUNDS_PATH).respond(json=[refund_json()])
    outcome = run_task("refund_status")
    assert outcome.texts[0] == refund_json()["message"]
    assert sent(api) == [("GET", REFUNDS_PATH)]
    assert_done(outcome)


def test_refund_status_with_a_return_in_progress(api: respx.MockRouter) -> None:
    api.get(REFUNDS_PATH).respond(json=[])
    api.get(RETURNS_PATH).respond(json=[return_json(status="approved")])
    outcome = run_task("refund_status")
    assert outcome.said(
        "There's no refund for order 10234 yet. Your return RMA-10234-1 is approved."
    )
    assert_done(outcome)


def test_refund_status_with_nothing(api: respx.MockRouter) -> None:
    api.get(REFUNDS_PATH).respond(json=[])
    api.get(RETURNS_PATH).respond(json=[])
    outcome = run_task("refund_status")
    assert outcome.said("refunds follow a cancellation or a return")
    assert_done(outcome)
    assert_reads_only(api)


# delivery, damage, payment, complaints
def test_a_damaged_item_offers_a_ticket_without_asking_the_backend(
    api: respx.MockRouter,
) -> None:
    outcome = run_task("damaged_or_wrong_item", "the mug arrived smashed")
    assert outcome.said("so sorry", "replacement or refund")
    assert outcome.said("open a ticket for order 10234")
    assert_asks(outcome, "damage_ticket")
    assert sent(api) == []


@pytest.mark.parametrize(("channel", "promised"), [("telegram", True), ("web", False)])
def test_photos_are_asked_for_only_where_the_channel_takes_them(
    api: respx.MockRouter, channel: str, promised: bool
) -> None:
    tracker = make_tracker(
        "the mug arrived smashed",
        "inform",
        verified=True,
        slots={"task": "damaged_or_wrong_item"},
        metadata={"channel": channel},
    )
    outcome = run(ActionRunTask(), tracker)
    assert outcome.said("open a ticket for order 10234")
    assert outcome.said("send photos") is promised


@pytest.mark.parametrize("state", ["late", "presumed_lost"])
def test_a_late_delivery_offers_a_ticket(api: respx.MockRouter, state: str) -> None:
    api.get(f"{ORDER_PATH}/tracking").respond(
        json=tracking_json(status="shipped", delivery_state=state, days_late=3)
    )
    outcome = run_task("late_delivery")
    assert outcome.texts[0].startswith("Order 10234 ")
    assert outcome.said("open a delivery ticket")
    assert outcome.said("replacement or a refund") is (state == "presumed_lost")
    assert_asks(outcome, "late_ticket")
    assert "resolved" not in outcome.slots
    assert_reads_only(api)


def test_a_delivered_parcel_that_cant_be_found_offers_a_ticket(api: respx.MockRouter) -> None:
    api.get(f"{ORDER_PATH}/tracking").respond(json=tracking_json(status="delivered"))
    outcome = run_task("late_delivery")
    assert outcome.texts[0] == "Order 10234 was delivered on June 14."
    assert outcome.said("neighbours")
    assert_asks(outcome, "late_ticket")


def test_a_delivery_on_time_is_just_explained(api: respx.MockRouter) -> None:
    api.get(f"{ORDER_PATH}/tracking").respond(json=tracking_json(status="shipped"))
    outcome = run_task("late_delivery")
    assert outcome.texts[0] == "Order 10234 is on its way and due on June 17."
    assert_done(outcome)


def test_a_payment_issue_quotes_the_policy_and_offers_a_ticket(api: respx.MockRouter) -> None:
    api.get("/api/policy").respond(json=policy_json())
    outcome = run_task("payment_issue")
    assert outcome.texts[0] == policy_json()["payment"]["text"]
    assert outcome.said("payment ticket for order 10234")
    assert_asks(outcome, "payment_ticket")
    assert_reads_only(api)


@pytest.mark.parametrize(
    "slots",
    [{}, {"complaint_category": "logistics"}, {"complaint_description": "rude courier"}],
)
def test_a_complaint_collects_its_details(api: respx.MockRouter, slots: dict[str, str]) -> None:
    outcome = run_task("complaint", **slots)
    assert outcome.next_step == "details"
    assert outcome.messages == []
    assert sent(api) == []


def test_a_complaint_with_details_asks_to_file_it(api: respx.MockRouter) -> None:
    outcome = run_task(
        "complaint", complaint_category="logistics", complaint_description="rude courier"
    )
    assert outcome.said("file this as a complaint")
    assert_asks(outcome, "complaint_ticket")
    assert sent(api) == []


@pytest.mark.parametrize("task", [None, "greet", "ask_policy"])
def test_no_task_gets_help(api: respx.MockRouter, task: str | None) -> None:
    outcome = run_task(task)
    assert outcome.responses == ["utter_help"]
    assert outcome.next_step == "none"
    assert sent(api) == []


def test_no_fixed_answer_promises_a_photo_the_web_chat_cannot_take() -> None:
    """The web chat has no upload: only channel-aware code (above) may ask for photos; the
    domain's responses and the policy's texts, said on every channel, never do."""
    domain = yaml.safe_load((REPO / "domain.yml").read_text(encoding="utf-8"))
    policy = yaml.safe_load((REPO / "policy.yml").read_text(encoding="utf-8"))
    said = [v["text"] for variants in domain["responses"].values() for v in variants if "text" in v]
    sections = [s for s in policy.values() if isinstance(s, dict) and "text" in s]
    said += [section["text"] for section in sections]
    promises = [t for t in said if re.search(r"\b(photo|picture|upload|attach)", t, re.IGNORECASE)]
    assert promises == []
