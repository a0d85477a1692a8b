"""The scenarios: for each, the order (a query on the seeded data), what the customer wants and
knows beyond it, and how the conversation opens (the customer's own words, a real customer's
first message from a dataset, or something out of scope first)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from benchmarks.simulation import openings
from benchmarks.simulation.openings import RealOpening
from benchmarks.simulation.personas import Address, Want
from benchmarks.simulation.queries import (
    ANY_RETURNABLE,
    CLOTHING,
    DELIVERED,
    FINAL_MIXED,
    FINAL_ONLY,
    GADGET,
    JEANS,
    LATE,
    LOST,
    NOT_BLACK,
    NOT_L,
    ON_TIME,
    OUT,
    PACKED,
    PAID,
    PENDING,
    QTY2,
    QTY3,
    RECEIVED,
    REFUND_DONE,
    REFUND_FAILED,
    REFUND_PENDING,
    RETURN_OPEN,
    RETURNED_PENDING,
    SEVERAL_LINES,
    SEVERAL_NOT_L,
    SHOE,
    SINGLE_LINE,
    TWO_OR_MORE,
    WINDOW_CLOSED,
    OrderQuery,
)


@dataclass(frozen=True)
class Scenario:
    name: str
    flow: str
    goals: tuple[str, ...]  # goals.GOALS keys, in the order the customer brings them up
    order: OrderQuery | None
    want: Want = field(default_factory=Want)
    real: RealOpening | None = None  # the first message, from a real customer
    first: str | None = None  # own first message (out of scope, or a particular wording)
    contact: str = "email"  # email | phone: what the customer proves the order with


BERLIN = Address("Lindenstraße 12", "10969", "Berlin", "DE")
PARIS = Address("8 rue de la Paix", "75002", "Paris", "FR")
LONDON = Address("221 Baker Street", "NW1 6XE", "London", "GB", line2="Flat 2")
MUNICH = Address("Leopoldstr. 40", "80802", "München", "DE", line2="c/o Weber")
HAMBURG = Address("Große Bergstraße 7", "22767", "Hamburg", "DE")

RETURN_WINDOW_Q = (
    "how long do I have to return something?",
    "what's your return policy?",
    "can I still send something back three weeks after delivery?",
)

A, H = openings.abcd, openings.hint3
WONT_TURN_ON = (
    "my {short} won't turn on",
    "the {short} I got doesn't work, it won't turn on",
    "the {short} won't switch on at all, I think it's faulty",
)
STAINED = ("there's a stain on the {short} I received", "the {short} came with a stain on it")


def fit(**more: Any) -> Want:
    """A customer whose item doesn't fit (like new, for a refund unless said otherwise)."""
    return Want(**{"reason": "does_not_fit", "condition": "like_new", **more})


SCENARIOS: tuple[Scenario, ...] = (
    # order status
    Scenario("status_in_transit", "order_status", ("order_status",), ON_TIME),
    Scenario("status_delivered", "order_status", ("order_status",), DELIVERED),
    Scenario("status_paid_preparing", "order_status", ("order_status",), PAID, contact="phone"),
    Scenario("status_out_for_delivery", "order_status", ("order_status",), OUT),
    Scenario(
        "status_real_abcd_282",
        "order_status",
        ("order_status",),
        ON_TIME,
        real=A(282, "order_status"),
    ),
    Scenario(
        "status_real_abcd_563",
        "order_status",
        ("order_status",),
        ON_TIME,
        real=A(563, "order_status"),
        contact="phone",
    ),
    Scenario(
        "status_real_hint3_483", "order_status", ("order_status",), OUT, real=H(483, "order_status")
    ),
    # cancellation
    Scenario("cancel_paid", "cancel", ("cancel",), PAID),
    Scenario("cancel_pending", "cancel", ("cancel",), PENDING, contact="phone"),
    Scenario("cancel_packed", "cancel", ("cancel",), PACKED),
    Scenario("cancel_real_hint3_350", "cancel", ("cancel",), PENDING, real=H(350, "cancel_order")),
    # address change
    Scenario("address_paid_berlin", "address", ("address",), PAID, Want(address=BERLIN)),
    Scenario(
        "address_pending_paris",
        "address",
        ("address",),
        PENDING,
        Want(address=PARIS),
        contact="phone",
    ),
    Scenario("address_paid_london_flat", "address", ("address",), PAID, Want(address=LONDON)),
    Scenario(
        "address_real_abcd_254",
        "address",
        ("address",),
        PAID,
        Want(address=MUNICH),
        real=A(254, "change_shipping_address"),
    ),
    Scenario(
        "address_real_hint3_534",
        "address",
        ("address",),
        PENDING,
        Want(address=HAMBURG),
        real=H(534, "change_shipping_address"),
    ),
    # returns
    Scenario("return_single_item", "return", ("return",), SINGLE_LINE, fit()),
    Scenario(
        "return_one_line_of_several",
        "return",
        ("return",),
        SEVERAL_LINES,
        Want(line="last", reason="changed_mind", condition="unopened"),
    ),
    Scenario(
        "return_one_unit_of_several", "return", ("return",), QTY2, fit(line="qty", quantity=1)
    ),
    Scenario(
        "return_two_units_of_three",
        "return",
        ("return",),
        QTY3,
        Want(line="qty", quantity=2, reason="changed_mind", condition="unopened"),
    ),
    Scenario(
        "return_all_lines",
        "return",
        ("return",),
        TWO_OR_MORE,
        Want(line="all", reason="changed_mind", condition="unopened"),
    ),
    Scenario(
        "return_store_credit",
        "return",
        ("return",),
        ANY_RETURNABLE,
        Want(reason="not_as_described", condition="like_new", resolution="store_credit"),
    ),
    Scenario(
        "return_used_not_as_described",
        "return",
        ("return",),
        CLOTHING,
        Want(line="clothes", reason="not_as_described", condition="used"),
        contact="phone",
    ),
    Scenario(
        "return_real_abcd_128",
        "return",
        ("return",),
        CLOTHING,
        fit(line="clothes"),
        real=A(128, "return_item"),
    ),
    Scenario(
        "return_real_abcd_996",
        "return",
        ("return",),
        JEANS,
        fit(line="clothes", condition="unopened"),
        real=A(996, "return_item"),
    ),
    Scenario(
        "return_real_hint3_663",
        "return",
        ("return",),
        SINGLE_LINE,
        Want(reason="changed_mind", condition="unopened"),
        real=H(663, "return_item"),
    ),
    # exchanges
    Scenario(
        "exchange_size",
        "exchange",
        ("exchange",),
        NOT_L,
        fit(line="tops", resolution="exchange", wish="size L", wish_words=("l", "large")),
    ),
    Scenario(
        "exchange_colour",
        "exchange",
        ("exchange",),
        NOT_BLACK,
        Want(
            line="clothes",
            reason="not_as_described",
            resolution="exchange",
            wish="the same in black",
            wish_words=("black",),
        ),
    ),
    Scenario(
        "exchange_shoe_size",
        "exchange",
        ("exchange",),
        SHOE,
        fit(
            line="shoes",
            condition="unopened",
            resolution="exchange",
            wish="EU 43",
            wish_words=("43",),
        ),
    ),
    Scenario(
        "exchange_one_line_of_several",
        "exchange",
        ("exchange",),
        SEVERAL_NOT_L,
        fit(
            line="tops",
            condition="unopened",
            resolution="exchange",
            wish="a large",
            wish_words=("l", "large"),
        ),
    ),
    Scenario(
        "exchange_chosen_during_return",
        "exchange",
        ("exchange",),
        NOT_L,
        fit(line="tops", resolution="exchange", wish="size L", wish_words=("l", "large")),
        first="I'd like to return something I bought",
    ),
    # refund requests
    Scenario("refund_request_received_return", "refund_request", ("refund_request",), RECEIVED),
    Scenario(
        "refund_request_via_return",
        "refund_request",
        ("refund_request",),
        SINGLE_LINE,
        Want(reason="changed_mind", condition="unopened"),
    ),
    Scenario(
        "refund_request_real_abcd_366",
        "refund_request",
        ("refund_request",),
        SINGLE_LINE,
        Want(reason="changed_mind", condition="unopened"),
        real=A(366, "refund_request"),
    ),
    Scenario(
        "refund_request_real_abcd_223",
        "refund_request",
        ("refund_request",),
        ANY_RETURNABLE,
        Want(reason="changed_mind", condition="unopened"),
        real=A(223, "refund_request"),
    ),
    # refund status
    Scenario("refund_status_pending", "refund_status", ("refund_status",), REFUND_PENDING),
    Scenario("refund_status_processed", "refund_status", ("refund_status",), REFUND_DONE),
    Scenario(
        "refund_status_failed", "refund_status", ("refund_status",), REFUND_FAILED, contact="phone"
    ),
    Scenario("refund_status_return_on_its_way", "refund_status", ("refund_status",), RETURN_OPEN),
    Scenario(
        "refund_status_real_abcd_1",
        "refund_status",
        ("refund_status",),
        REFUND_DONE,
        real=A(1, "refund_status"),
    ),
    Scenario(
        "refund_status_real_abcd_68",
        "refund_status",
        ("refund_status",),
        RETURNED_PENDING,
        real=A(68, "refund_status"),
    ),
    # late or lost parcels
    Scenario("late_parcel", "late_delivery", ("late_delivery",), LATE),
    Scenario("late_lost_parcel", "late_delivery", ("late_delivery",), LOST),
    Scenario(
        "late_real_abcd_132",
        "late_delivery",
        ("late_delivery",),
        LATE,
        real=A(132, "late_delivery"),
    ),
    Scenario(
        "late_real_abcd_980",
        "late_delivery",
        ("late_delivery",),
        LATE,
        real=A(980, "late_delivery"),
        contact="phone",
    ),
    Scenario(
        "late_real_hint3_448",
        "late_delivery",
        ("late_delivery",),
        LOST,
        real=H(448, "late_delivery"),
    ),
    # damaged or wrong items
    Scenario(
        "damaged_wont_turn_on",
        "damaged",
        ("damaged",),
        GADGET,
        Want(line="electronic", reason="damaged", condition="damaged"),
    ),
    Scenario(
        "damaged_arrived_broken",
        "damaged",
        ("damaged",),
        ANY_RETURNABLE,
        Want(reason="damaged", condition="damaged"),
    ),
    Scenario(
        "wrong_item_sent",
        "damaged",
        ("wrong_item",),
        ANY_RETURNABLE,
        Want(reason="wrong_item", condition="unopened"),
    ),
    Scenario(
        "damaged_real_abcd_882",
        "damaged",
        ("damaged",),
        CLOTHING,
        Want(line="clothes", reason="damaged", condition="damaged", requests=STAINED),
        real=A(882, "damaged_or_wrong_item"),
    ),
    # payment problems
    Scenario("payment_charged_twice", "payment", ("payment",), DELIVERED),
    Scenario(
        "payment_real_abcd_739", "payment", ("payment",), ON_TIME, real=A(739, "payment_issue")
    ),
    Scenario(
        "payment_failed_money_taken",
        "payment",
        ("payment",),
        PENDING,
        first="my payment failed but the money was still taken from my account",
    ),
    # complaints
    Scenario("complaint_rude_service", "complaint", ("complaint",), None),
    Scenario(
        "complaint_courier_then_person",
        "complaint",
        ("complaint",),
        None,
        Want(
            category="logistics",
            person=True,
            complaint="The courier threw my parcel over the fence and drove off.",
        ),
    ),
    Scenario(
        "complaint_real_abcd_849",
        "complaint",
        ("complaint",),
        None,
        Want(category="other", complaint="Your prices are far higher than elsewhere."),
        real=A(849, "complaint"),
    ),
    # policy questions and delivery options
    Scenario(
        "policy_return_window",
        "policy",
        ("policy",),
        None,
        Want(questions=RETURN_WINDOW_Q, expect=("30 days",)),
    ),
    Scenario(
        "policy_refund_time",
        "policy",
        ("policy",),
        None,
        Want(
            questions=(
                "how long does a refund take?",
                "when do I get my money back after returning something?",
            ),
            expect=("5 days",),
        ),
    ),
    Scenario(
        "policy_final_sale",
        "policy",
        ("policy",),
        None,
        Want(
            questions=("can I return clearance items?", "are sale items refundable?"),
            expect=("final sale",),
        ),
    ),
    Scenario(
        "policy_warranty",
        "policy",
        ("policy",),
        None,
        Want(
            questions=(
                "is there a warranty on your products?",
                "what guarantee do I get on electronics?",
            ),
            expect=("24",),
        ),
    ),
    Scenario(
        "policy_real_abcd_218",
        "policy",
        ("policy",),
        None,
        Want(questions=RETURN_WINDOW_Q, expect=("30 days",)),
        real=A(218, "ask_policy"),
    ),
    Scenario(
        "delivery_options_express",
        "delivery_options",
        ("delivery_options",),
        None,
        Want(
            questions=(
                "what delivery options do you have?",
                "how much is express shipping?",
                "how fast can you deliver?",
            ),
            expect=("express",),
        ),
    ),
    Scenario(
        "delivery_real_abcd_556",
        "delivery_options",
        ("delivery_options",),
        None,
        Want(
            questions=("how much do I have to spend to get free shipping?", "is shipping free?"),
            expect=("free above",),
        ),
        real=A(556, "delivery_options"),
    ),
    # a person
    Scenario("handoff_straight_away", "handoff", ("handoff",), None),
    Scenario("handoff_after_order_status", "handoff", ("order_status", "handoff"), ON_TIME),
    Scenario("handoff_real_hint3_388", "handoff", ("handoff",), None, real=H(388, "human_agent")),
    # refused, and the customer insists
    Scenario(
        "refused_final_sale_item",
        "refused",
        ("refused_return",),
        FINAL_MIXED,
        Want(line="final_sale"),
    ),
    Scenario(
        "refused_only_final_sale",
        "refused",
        ("refused_return",),
        FINAL_ONLY,
        Want(line="final_sale"),
    ),
    Scenario("refused_window_closed", "refused", ("refused_return",), WINDOW_CLOSED),
    Scenario("refused_cancel_shipped", "refused", ("refused_cancel",), LATE),
    Scenario(
        "refused_address_packed", "refused", ("refused_address",), PACKED, Want(address=BERLIN)
    ),
    # switching task mid-conversation
    Scenario(
        "switch_status_then_return", "switching", ("order_status", "return"), SINGLE_LINE, fit()
    ),
    Scenario("switch_status_then_cancel", "switching", ("order_status", "cancel"), PAID),
    Scenario(
        "switch_policy_then_return",
        "switching",
        ("policy", "return"),
        TWO_OR_MORE,
        Want(
            line="last",
            reason="changed_mind",
            condition="unopened",
            questions=RETURN_WINDOW_Q,
            expect=("30 days",),
        ),
    ),
    # out of scope first, then a real request
    Scenario(
        "oos_weather_then_status",
        "out_of_scope_first",
        ("order_status",),
        ON_TIME,
        first="what's the weather going to be like in Berlin tomorrow?",
    ),
    Scenario(
        "oos_real_hint3_0_then_return",
        "out_of_scope_first",
        ("return",),
        SINGLE_LINE,
        fit(),
        real=H(0, "out_of_scope"),
    ),
    Scenario(
        "oos_real_abcd_0_then_cancel",
        "out_of_scope_first",
        ("cancel",),
        PAID,
        real=A(0, "out_of_scope"),
    ),
)
BY_NAME = {scenario.name: scenario for scenario in SCENARIOS}
