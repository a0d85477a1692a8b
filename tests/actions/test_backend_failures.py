"""Every read and write with the backend failing: the bot apologises, tries a handoff, never
raises and never goes silent. Refusals (401 expired token, 404 not your order, 409 not allowed)
are explained instead."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import respx
from httpx import Response
from rasa_sdk import Action

from actions.confirmations import WRITES, ActionConfirm, ActionDecline
from actions.handoff import DOWN, ActionHandoff
from actions.policy_answers import ActionAnswerPolicy, ActionDeliveryOptions
from actions.run_task import ActionRunTask
from actions.verification import ActionVerifyCustomer
from tests.actions.helpers import (
    ORDER,
    OTHER_ORDER,
    Outcome,
    address_json,
    address_slot,
    body,
    cancel_json,
    eligibility_json,
    error_json,
    handoff_json,
    make_tracker,
    only,
    order_json,
    policy_json,
    refund_json,
    return_json,
    run,
    sent,
    ticket_json,
    tracking_json,
    user_event,
    verification_json,
    writes,
)

ORDER_PATH = f"/api/orders/{ORDER}"
GET_ORDER = ("GET", ORDER_PATH, order_json(status="paid"))
GET_DELIVERED = ("GET", ORDER_PATH, order_json(status="delivered"))
GET_ELIGIBILITY = ("GET", f"{ORDER_PATH}/return-eligibility", eligibility_json())
GET_REFUNDS_NONE = ("GET", f"{ORDER_PATH}/refunds", [])
GET_RETURNS = ("GET", f"{ORDER_PATH}/returns", [return_json(status="received")])
POST_TICKET = ("POST", "/api/tickets", ticket_json())
RETURN_DETAILS = {
    "item": "sneakers",
    "return_reason": "damaged",
    "item_condition": "damaged",
    "resolution": "refund",
}


@dataclass
class Flow:
    """An action with the state it needs and every request it makes, in order."""

    name: str
    action: type[Action]
    intent: str
    slots: dict[str, Any]
    routes: list[tuple[str, str, Any]]


FLOWS = [
    Flow("order_status", ActionRunTask, "order_status", {"task": "order_status"}, [GET_ORDER]),
    Flow("cancel_order", ActionRunTask, "cancel_order", {"task": "cancel_order"}, [GET_ORDER]),
    Flow(
        "change_address",
        ActionRunTask,
        "inform",
        {"task": "change_shipping_address", "new_address": address_slot()},
        [GET_ORDER],
    ),
    Flow(
        "return_item",
        ActionRunTask,
        "return_item",
        {"task": "return_item", **RETURN_DETAILS},
        [GET_ELIGIBILITY],
    ),
    Flow(
        "refund_request",
        ActionRunTask,
        "refund_request",
        {"task": "refund_request"},
        [GET_DELIVERED, GET_REFUNDS_NONE, GET_RETURNS],
    ),
    Flow(
        "refund_status",
        ActionRunTask,
        "refund_status",
        {"task": "refund_status"},
        [GET_REFUNDS_NONE, GET_RETURNS],
    ),
    Flow(
        "late_delivery",
        ActionRunTask,
        "late_delivery",
        {"task": "late_delivery"},
        [("GET", f"{ORDER_PATH}/tracking", tracking_json(delivery_state="late"))],
    ),
    Flow(
        "payment_issue",
        ActionRunTask,
        "payment_issue",
        {"task": "payment_issue"},
        [("GET", "/api/policy", policy_json())],
    ),
    Flow(
        "confirm_cancel",
        ActionConfirm,
        "affirm",
        {"task": "cancel_order", "pending_confirmation": "cancel"},
        [("POST", f"{ORDER_PATH}/cancel", cancel_json())],
    ),
    Flow(
        "confirm_address",
        ActionConfirm,
        "affirm",
        {
            "task": "change_shipping_address",
            "pending_confirmation": "address",
            "new_address": address_slot(),
        },
        [("PUT", f"{ORDER_PATH}/shipping-address", address_json())],
    ),
    Flow(
        "confirm_return",
        ActionConfirm,
        "affirm",
        {"task": "return_item", "pending_confirmation": "return", **RETURN_DETAILS},
        [GET_ELIGIBILITY, ("POST", f"{ORDER_PATH}/returns", return_json())],
    ),
    Flow(
        "confirm_return_revised",
        ActionConfirm,
        "affirm",
        {"task": "return_item", "pending_confirmation": "return_revised", **RETURN_DETAILS},
        [GET_ELIGIBILITY, ("POST", f"{ORDER_PATH}/returns", return_json())],
    ),
    Flow(  # a "no" that says something ("help me") is read against the order's items
        "decline_return",
        ActionDecline,
        "deny",
        {"task": "return_item", "pending_confirmation": "return", **RETURN_DETAILS},
        [GET_ELIGIBILITY],
    ),
    Flow(
        "confirm_refund",
        ActionConfirm,
        "affirm",
        {"task": "refund_request", "pending_confirmation": "refund"},
        [GET_REFUNDS_NONE, GET_RETURNS, ("POST", f"{ORDER_PATH}/refunds", refund_json())],
    ),
    *[
        Flow(
            f"confirm_{kind}",
            ActionConfirm,
            "affirm",
            {
                "task": "complaint",
                "pending_confirmation": kind,
                "complaint_category": "other",
                "complaint_description": "it went wrong",
            },
            [POST_TICKET],
        )
        for kind in ("damage_ticket", "late_ticket", "payment_ticket", "complaint_ticket")
    ],
    Flow(
        "verify",
        ActionVerifyCustomer,
        "inform",
        {"order_number": ORDER, "contact": "ann@example.com", "verified_order": None},
        [("POST", "/api/verifications", verification_json())],
    ),
]


def test_every_write_has_a_failure_flow() -> None:
    confirmed = {f.slots.get("pending_confirmation") for f in FLOWS if f.action is ActionConfirm}
    assert confirmed == set(WRITES)


FAILURES: dict[str, Any] = {
    "connect-timeout": httpx.ConnectTimeout("timed out"),
    "read-timeout": httpx.ReadTimeout("timed out"),
    "refused": httpx.ConnectError("[Errno 111] Connection refused"),
    "remote-closed": httpx.RemoteProtocolError("Server disconnected"),
    "500": Response(500, text="Internal Server Error"),
    "503": Response(503, json=error_json("down for maintenance", "service_unavailable")),
    "502-html": Response(502, text="<html>Bad gateway</html>"),
    "not-json": Response(200, text="<html>Welcome to nginx</html>"),
}
ROUTES = [
    (flow, index, f"{flow.name}-{flow.routes[index][0]}-{flow.routes[index][1]}")
    for flow in FLOWS
    for index in range(len(flow.routes))
]
CASES = [
    pytest.param(flow, index, failure, id=f"{name}-{failure}")
    for flow, index, name in ROUTES
    for failure in FAILURES
]


def mock(api: respx.MockRouter, method: str, path: str, answer: Any) -> respx.Route:
    route = api.route(method=method, path=path)
    if isinstance(answer, Response):
        return route.mock(return_value=answer)
    if isinstance(answer, Exception):
        return route.mock(side_effect=answer)
    return route.respond(200, json=answer)


def run_flow(api: respx.MockRouter, flow: Flow, failing: int, answer: Any) -> Outcome:
    for index, (method, path, ok) in enumerate(flow.routes):
        mock(api, method, path, answer if index == failing else ok)
    history = [user_event("it went wrong", flow.slots.get("task"))]
    tracker = make_tracker(
        "yes" if flow.intent == "affirm" else "help me",
        flow.intent,
        verified=flow.action is not ActionVerifyCustomer,
        slots=flow.slots,
        history=history,
    )
    return run(flow.action(), tracker)


@pytest.mark.parametrize(("flow", "failing", "failure"), CASES)
def test_a_failing_backend_gets_an_apology_and_a_handoff(
    api: respx.MockRouter, flow: Flow, failing: int, failure: str
) -> None:
    handoff = api.post("/api/handoffs").respond(201, json=handoff_json(reason="backend_down"))
    outcome = run_flow(api, flow, failing, FAILURES[failure])
    assert outcome.texts[0] == DOWN
    assert handoff.call_count == 1
    request = only(api, "POST", "/api/handoffs")
    assert body(request)["reason"] == "backend_down"
    assert request.headers["Idempotency-Key"].startswith("bot-")
    assert outcome.slots["handed_off"] is True
    assert outcome.said("passed you to a colleague")
    assert outcome.next_step == "none"
    assert outcome.pending is None
    assert "resolved" not in outcome.slots
    # nothing after the failing request was tried, and no other write was made
    method, path, _ = flow.routes[failing]
    assert sent(api)[: failing + 1] == [(m, p) for m, p, _ in flow.routes[: failing + 1]]
    assert set(writes(api)) <= {(method, path), ("POST", "/api/handoffs")}


@pytest.mark.parametrize(("flow", "failing"), [pytest.param(f, i, id=n) for f, i, n in ROUTES])
@pytest.mark.parametrize("answer", [{"unexpected": True}, [], "text", None])
def test_json_of_the_wrong_shape_never_raises_nor_goes_silent(
    api: respx.MockRouter, flow: Flow, failing: int, answer: Any
) -> None:
    api.post("/api/handoffs").respond(201, json=handoff_json(reason="backend_down"))
    outcome = run_flow(api, flow, failing, Response(200, json=answer))
    assert outcome.texts
    assert outcome.next_step in ("none", "verify", "details")
    if outcome.texts[0] == DOWN:
        assert outcome.slots["handed_off"] is True


@pytest.mark.parametrize("flow", [pytest.param(flow, id=flow.name) for flow in FLOWS])
@pytest.mark.parametrize("failure", ["refused", "503", "read-timeout"])
def test_everything_down_still_answers(api: respx.MockRouter, flow: Flow, failure: str) -> None:
    api.post("/api/handoffs").mock(side_effect=httpx.ConnectError("refused"))
    outcome = run_flow(api, flow, 0, FAILURES[failure])
    assert outcome.texts[0] == DOWN
    assert outcome.said("support@demo-shop.example", "mention this chat")
    assert "handed_off" not in outcome.slots
    assert outcome.next_step == "none"


@pytest.mark.parametrize("answer", [["a list"], "a string", None, 42])
def test_a_handoff_answer_of_the_wrong_shape_is_a_failed_handoff(
    api: respx.MockRouter, answer: Any
) -> None:
    api.post("/api/handoffs").respond(201, json=answer)
    outcome = run(ActionHandoff(), make_tracker("a human please", "human_agent"))
    assert outcome.said("isn't answering")
    assert "handed_off" not in outcome.slots
    assert outcome.next_step == "none"


# refusals
@pytest.mark.parametrize(
    "flow",
    [pytest.param(f, id=f.name) for f in FLOWS if f.action is not ActionVerifyCustomer],
)
def test_an_expired_token_asks_to_verify_again(api: respx.MockRouter, flow: Flow) -> None:
    expired = Response(401, json=error_json("Your verification has expired.", "token_expired"))
    outcome = run_flow(api, flow, 0, expired)
    assert outcome.texts == [
        "For your security, please confirm the order number and email or phone again."
    ]
    assert outcome.slots["verified_order"] is None
    assert outcome.slots["verification_token"] is None
    assert outcome.slots["contact"] is None
    assert "order_number" not in outcome.slots  # kept: the form only asks for the contact
    assert outcome.next_step == "verify"
    assert ("POST", "/api/handoffs") not in sent(api)


@pytest.mark.parametrize(
    "flow",
    [pytest.param(f, id=f.name) for f in FLOWS if f.action is not ActionVerifyCustomer],
)
def test_someone_elses_order_is_not_found_among_theirs(api: respx.MockRouter, flow: Flow) -> None:
    other = OTHER_ORDER
    routes = [(m, p.replace(ORDER, other), ok) for m, p, ok in flow.routes]
    api.route(method=routes[0][0], path=routes[0][1]).respond(
        404,
        json=error_json(
            f"We couldn't find order {other} among your orders. Please check the number.",
            "order_not_found",
        ),
    )
    tracker = make_tracker(
        "yes" if flow.intent == "affirm" else f"and order {other}?",
        flow.intent,
        verified=True,
        slots={**flow.slots, "verified_order": other, "order_number": other},
    )
    outcome = run(flow.action(), tracker)
    assert outcome.said(f"I can't find order {other} among your orders")
    assert outcome.slots["verified_order"] is None
    assert outcome.slots["order_number"] is None
    assert "verification_token" not in outcome.slots  # still verified for their own orders
    assert outcome.pending == "anything_else"
    assert outcome.next_step == "none"
    assert ("POST", "/api/handoffs") not in sent(api)


@pytest.mark.parametrize(
    "flow", [pytest.param(f, id=f.name) for f in FLOWS if f.action is ActionConfirm]
)
def test_a_write_the_backend_refuses_says_why(api: respx.MockRouter, flow: Flow) -> None:
    reason = "Order 10234 has shipped in the meantime, so it can't be changed any more."
    refusal = Response(409, json=error_json(reason, "not_allowed"))
    outcome = run_flow(api, flow, len(flow.routes) - 1, refusal)
    assert outcome.texts == [reason]
    assert outcome.pending == "anything_else"
    assert outcome.next_step == "none"
    assert "resolved" not in outcome.slots
    assert ("POST", "/api/handoffs") not in sent(api)


def test_a_refusal_without_a_json_body_still_says_something(api: respx.MockRouter) -> None:
    api.post(f"{ORDER_PATH}/cancel").respond(409, text="Conflict")
    tracker = make_tracker("yes", "affirm", verified=True, slots={"pending_confirmation": "cancel"})
    outcome = run(ActionConfirm(), tracker)
    assert outcome.texts == ["That request was refused."]
    assert outcome.pending == "anything_else"


# policy answers: an apology (they also run inside forms, so no handoff there)
@pytest.mark.parametrize("action", [ActionAnswerPolicy, ActionDeliveryOptions])
@pytest.mark.parametrize("failure", ["refused", "read-timeout", "500", "503", "not-json"])
def test_policy_answers_apologise_when_the_backend_is_down(
    api: respx.MockRouter, action: type[Action], failure: str
) -> None:
    mock(api, "GET", "/api/policy", FAILURES[failure])
    outcome = run(action(), make_tracker("what's your return policy?", "ask_policy"))
    assert outcome.said("can't look up our policies right now")
    assert outcome.events == []
    assert sent(api) == [("GET", "/api/policy")]
