"""The actions send the hub's conversation proof (from the latest message's metadata) with the
writes no verification token covers and with those the backend records for the conversation
(verification, return, refund), and the customer's address with a verification."""

from __future__ import annotations

from typing import Any

import respx

from actions.feedback import ActionSubmitFeedback
from actions.handoff import ActionHandoff
from actions.verification import ActionVerifyCustomer
from tests.actions.helpers import (
    ORDER,
    body,
    error_json,
    handoff_json,
    make_tracker,
    only,
    rating_json,
    run,
    user_event,
    verification_json,
)

PROOF = "proof-of-the-latest-message"
METADATA = {"channel": "web", "client_ip": "203.0.113.5", "conversation_proof": PROOF}
HEADER = "X-Conversation-Proof"


def test_the_rating_carries_the_proof_of_the_latest_message(api: respx.MockRouter) -> None:
    api.post("/api/ratings").respond(201, json=rating_json(4))
    earlier = user_event("hi", "greet", metadata={"conversation_proof": "an older proof"})
    tracker = make_tracker(
        "no", "deny", slots={"rating": "4"}, history=[earlier], metadata=METADATA
    )
    run(ActionSubmitFeedback(), tracker)
    assert only(api, "POST", "/api/ratings").headers[HEADER] == PROOF


def test_the_handoff_carries_the_proof(api: respx.MockRouter) -> None:
    api.post("/api/handoffs").respond(201, json=handoff_json())
    run(ActionHandoff(), make_tracker("a person please", "human_handoff", metadata=METADATA))
    assert only(api, "POST", "/api/handoffs").headers[HEADER] == PROOF


def verification_turn() -> Any:
    """The customer sends order number and email, with the hub's metadata."""
    return make_tracker(
        "10234 ann@example.com",
        "inform",
        slots={"order_number": ORDER, "contact": "ann@example.com"},
        metadata=METADATA,
    )


def test_the_verification_carries_it_so_the_backend_links_the_conversation(
    api: respx.MockRouter,
) -> None:
    api.post("/api/verifications").respond(200, json=verification_json())
    run(ActionVerifyCustomer(), verification_turn())
    assert only(api, "POST", "/api/verifications").headers[HEADER] == PROOF


def test_the_verification_sends_the_customers_address(api: respx.MockRouter) -> None:
    api.post("/api/verifications").respond(401, json=error_json("no", "verification_failed"))
    run(ActionVerifyCustomer(), verification_turn())
    assert body(only(api, "POST", "/api/verifications"))["client_ip"] == "203.0.113.5"


def test_without_metadata_nothing_extra_is_sent(api: respx.MockRouter) -> None:
    api.post("/api/ratings").respond(201, json=rating_json(4))
    api.post("/api/verifications").respond(200, json=verification_json())
    run(ActionSubmitFeedback(), make_tracker("no", "deny", slots={"rating": "4"}))
    slots = {"order_number": ORDER, "contact": "ann@example.com"}
    run(ActionVerifyCustomer(), make_tracker("10234 ann@example.com", "inform", slots=slots))
    assert HEADER not in only(api, "POST", "/api/ratings").headers
    assert "client_ip" not in body(only(api, "POST", "/api/verifications"))


def test_a_persons_rating_kept_by_the_api_is_explained(api: respx.MockRouter) -> None:
    kept = "This conversation was already rated after a colleague handled it."
    api.post("/api/ratings").respond(409, json=error_json(kept, "rating_kept"))
    tracker = make_tracker("no", "deny", slots={"rating": "5"}, metadata=METADATA)
    outcome = run(ActionSubmitFeedback(), tracker)
    assert outcome.texts == [f"Thank you! {kept}"]
    assert outcome.slots["feedback_done"] is True
