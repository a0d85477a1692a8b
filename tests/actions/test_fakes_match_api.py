"""The canned answers of the fake backend have the shapes of the real API's schemas, so the
action tests cannot pass against answers the API never gives."""

from __future__ import annotations

import re
from typing import Any

import pytest
import respx
from pydantic import BaseModel

from actions.feedback import ActionSubmitFeedback
from actions.handoff import ActionHandoff
from actions.verification import ActionVerifyCustomer
from tests.actions import helpers
from tests.actions.test_confirmations import WRITE_CASES, confirm
from ticketing.feedback.schemas import RatingCreate, RatingSaved
from ticketing.orders.schemas import (
    Address,
    AddressChangeResult,
    AddressParsed,
    AddressText,
    CancelRequest,
    CancelResult,
    OrderRead,
    TrackingRead,
)
from ticketing.policy.schemas import Policy
from ticketing.refunds.schemas import RefundCreate, RefundRead
from ticketing.returns.schemas import ReturnCreate, ReturnEligibility, ReturnRead
from ticketing.tickets.schemas import HandoffCreate, HandoffRead, TicketCreate, TicketRead
from ticketing.verification.schemas import VerificationRead, VerificationRequest


@pytest.mark.parametrize(
    ("schema", "answer"),
    [
        *[(OrderRead, helpers.order_json(status=s)) for s in helpers.DELIVERY_STATE],
        (OrderRead, helpers.order_json(status="shipped", delivery_state="late", days_late=3)),
        *[(TrackingRead, helpers.tracking_json(status=s)) for s in helpers.DELIVERY_STATE],
        (CancelResult, helpers.cancel_json()),
        (AddressChangeResult, helpers.address_json()),
        (AddressParsed, helpers.parsed_address_json()),
        (AddressParsed, helpers.parsed_address_json(line2=None)),
        (ReturnEligibility, helpers.eligibility_json()),
        (ReturnEligibility, helpers.eligibility_json(eligible=False, reason="too late")),
        *[(ReturnRead, helpers.return_json(status=s)) for s in ("requested", "received")],
        (RefundRead, helpers.refund_json(rma="RMA-10234-1")),
        (VerificationRead, helpers.verification_json()),
        (TicketRead, helpers.ticket_json()),
        (HandoffRead, helpers.handoff_json()),
        (RatingSaved, helpers.rating_json()),
        (Policy, helpers.policy_json()),
        (Policy, helpers.policy_json(returns__window_days=14)),
    ],
    ids=lambda v: v.__name__ if isinstance(v, type) else "",
)
def test_a_canned_answer_is_valid(schema: type[BaseModel], answer: dict[str, Any]) -> None:
    parsed = schema.model_validate(answer)
    assert set(answer) == set(type(parsed).model_fields)


def _keys(value: Any, prefix: str = "") -> set[str]:
    if not isinstance(value, dict):
        return set()
    found = set()
    for key, child in value.items():
        found |= {f"{prefix}{key}"} | _keys(child, f"{prefix}{key}.")
    return found


def test_the_canned_policy_has_the_structure_of_policy_yml() -> None:
    import yaml

    from_file = Policy.model_validate(
        yaml.safe_load((helpers.REPO / "policy.yml").read_text(encoding="utf-8"))
    ).model_dump(mode="json")
    assert _keys(helpers.policy_json()) == _keys(from_file)


# What the bot sends: validated against the API's request schemas
REQUEST_SCHEMAS: list[tuple[str, str, type[BaseModel]]] = [
    ("POST", r"/api/verifications", VerificationRequest),
    ("POST", r"/api/orders/\d+/cancel", CancelRequest),
    ("PUT", r"/api/orders/\d+/shipping-address", Address),
    ("POST", r"/api/orders/\d+/shipping-address/parse", AddressText),
    ("POST", r"/api/orders/\d+/returns", ReturnCreate),
    ("POST", r"/api/orders/\d+/refunds", RefundCreate),
    ("POST", r"/api/tickets", TicketCreate),
    ("POST", r"/api/handoffs", HandoffCreate),
    ("POST", r"/api/ratings", RatingCreate),
]


def assert_valid_requests(router: respx.MockRouter) -> int:
    """Every write the fake backend received is a valid request of the real API."""
    checked = 0
    for request in helpers.requests(router):
        if request.method == "GET":
            assert not request.content
            continue
        schema = next(
            s
            for m, pattern, s in REQUEST_SCHEMAS
            if m == request.method and re.fullmatch(pattern, request.url.path)
        )
        schema.model_validate(helpers.body(request))
        key = request.headers.get("Idempotency-Key")
        if request.url.path.endswith("/parse"):  # reads, changes nothing: no key
            continue
        if request.url.path not in ("/api/ratings", "/api/verifications"):  # no key needed
            assert key and re.fullmatch(r"[A-Za-z0-9._:-]{8,200}", key)  # check_key's rule
        checked += 1
    return checked


@pytest.mark.parametrize("kind", sorted(WRITE_CASES))
def test_every_confirmed_write_is_a_valid_request(api: respx.MockRouter, kind: str) -> None:
    case = WRITE_CASES[kind]
    case.backend(api)
    confirm(case)
    assert assert_valid_requests(api) == 1


LONG_HISTORY = [
    helpers.user_event(("😡 my parcel is late " * 600)[:10_000], "late_delivery") for _ in range(30)
]


@pytest.mark.parametrize("kind", [k for k in sorted(WRITE_CASES) if k.endswith("_ticket")])
def test_a_ticket_after_a_long_conversation_fits_the_api(api: respx.MockRouter, kind: str) -> None:
    case = WRITE_CASES[kind]
    case.backend(api)
    confirm(case, earlier=LONG_HISTORY)
    assert assert_valid_requests(api) == 1
    context = helpers.body(helpers.requests(api)[0])["context"]
    assert context["last_messages"][-1]["text"] == "yes"  # the newest messages are kept


def test_a_handoff_after_a_long_conversation_fits_the_api(api: respx.MockRouter) -> None:
    api.post("/api/handoffs").respond(201, json=helpers.handoff_json())
    slots = {"complaint_description": "x" * 5000, "new_address": "y" * 800, "item": "z" * 200}
    tracker = helpers.make_tracker(
        "agent", "human_agent", verified=True, slots=slots, history=LONG_HISTORY
    )
    helpers.run(ActionHandoff(), tracker)
    assert assert_valid_requests(api) == 1


def test_verification_and_rating_requests_are_valid(api: respx.MockRouter) -> None:
    api.post("/api/verifications").respond(json=helpers.verification_json())
    api.post("/api/ratings").respond(201, json=helpers.rating_json())
    for contact in ("ann@example.com", "+49 170 1234567"):
        slots = {"order_number": helpers.ORDER, "contact": contact}
        helpers.run(ActionVerifyCustomer(), helpers.make_tracker("x", "inform", slots=slots))
    for comment in ("-", "great", "é" * 2000):
        slots = {"rating": "4", "feedback_comment": comment, "ticket_number": "T-1001"}
        helpers.run(ActionSubmitFeedback(), helpers.make_tracker("x", "inform", slots=slots))
    assert assert_valid_requests(api) == 5
