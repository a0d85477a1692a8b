"""The rating at the end: validate_feedback_form and action_submit_feedback."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx
from httpx import Response

from actions.feedback import ActionSubmitFeedback, ValidateFeedbackForm
from tests.actions.helpers import (
    API_KEY,
    CONVERSATION,
    Outcome,
    body,
    error_json,
    form_tracker,
    make_tracker,
    only,
    rating_json,
    run,
    sent,
)


def validate(slot: str, text: str) -> Outcome:
    tracker = form_tracker("feedback_form", {slot: text}, text, requested_slot=slot)
    return run(ValidateFeedbackForm(), tracker)


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("5", "5"),
        ("1", "1"),
        ("4 stars", "4"),
        ("five", "5"),
        ("Five!", "5"),
        ("★★★", "3"),
        ("⭐⭐⭐⭐", "4"),
        ("⭐️⭐️", "2"),
        ("4/5", "4"),
        ("3 out of 5", "3"),
        ("I'd give it a 2", "2"),
        ("2 ⭐", "2"),
    ],
)
def test_ratings_in_many_shapes(text: str, score: str) -> None:
    outcome = validate("rating", text)
    assert outcome.slots == {"rating": score}
    assert outcome.messages == []


@pytest.mark.parametrize(
    "text",
    ["great", "0", "6", "10", "-1", "3.5", "one or two", "4 5", "", "🙂", "x" * 10_000],
    ids=lambda t: t[:12] or "empty",
)
def test_junk_ratings_are_refused(text: str) -> None:
    outcome = validate("rating", text)
    assert outcome.slots == {"rating": None}
    assert outcome.texts == ["Please answer with a number from 1 to 5."]


@pytest.mark.parametrize("text", ["no", "No.", "nope!", "no thanks", "none", "-", "that's all"])
def test_no_comment(text: str) -> None:
    assert validate("feedback_comment", text).slots == {"feedback_comment": "-"}


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Fast and friendly, thanks 😊", "Fast and friendly, thanks 😊"),
        ("  no problems at all  ", "no problems at all"),
        ("no, it was fine", "no, it was fine"),
    ],
)
def test_a_comment_is_kept(text: str, kept: str) -> None:
    assert validate("feedback_comment", text).slots == {"feedback_comment": kept}


def test_a_long_comment_is_clipped() -> None:
    comment = validate("feedback_comment", "a" * 10_000).slots["feedback_comment"]
    assert len(comment) == 2000
    assert comment.endswith("…")


def submit(**slots: Any) -> Outcome:
    tracker = make_tracker("no", "deny", slots=slots, channel="telegram")
    return run(ActionSubmitFeedback(), tracker)


def test_the_rating_is_stored(api: respx.MockRouter) -> None:
    route = api.post("/api/ratings").respond(201, json=rating_json(4))
    outcome = submit(rating="4", feedback_comment="Quick answers", ticket_number="T-1001")
    assert route.call_count == 1
    request = only(api, "POST", "/api/ratings")
    assert request.headers["X-Api-Key"] == API_KEY
    assert body(request) == {
        "conversation_id": CONVERSATION,
        "score": 4,
        "comment": "Quick answers",
        "channel": "telegram",
        "ticket_number": "T-1001",
    }
    assert outcome.texts == ["Thank you for your feedback!"]
    assert outcome.responses == ["utter_goodbye"]
    assert outcome.slots == {"feedback_done": True, "next_step": "none"}


def test_no_comment_is_sent_as_none(api: respx.MockRouter) -> None:
    api.post("/api/ratings").respond(201, json=rating_json(5))
    submit(rating="5", feedback_comment="-")
    assert body(only(api, "POST", "/api/ratings")) == {
        "conversation_id": CONVERSATION,
        "score": 5,
        "comment": None,
        "channel": "telegram",
    }


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ConnectError("Connection refused"),
        httpx.ConnectTimeout("timed out"),
        httpx.ReadTimeout("timed out"),
        Response(500),
        Response(503),
        Response(200, text="<html>oops</html>"),
        Response(422, json=error_json("score: Input should be less than or equal to 5")),
    ],
    ids=["refused", "connect-timeout", "read-timeout", "500", "503", "not-json", "422"],
)
def test_a_rating_that_cant_be_saved_is_said_honestly(api: respx.MockRouter, failure: Any) -> None:
    route = api.post("/api/ratings")
    if isinstance(failure, Response):
        route.mock(return_value=failure)
    else:
        route.mock(side_effect=failure)
    outcome = submit(rating="3", feedback_comment="-")
    assert outcome.said("could not be saved")
    assert not outcome.said("Thank you for your feedback!")
    assert outcome.responses == ["utter_goodbye"]
    assert outcome.slots == {
        "feedback_done": True,
        "next_step": "none",
    }  # asked once, even when it failed
    assert sent(api) == [("POST", "/api/ratings")]


def test_submit_without_a_rating_posts_nothing_and_waits(api: respx.MockRouter) -> None:
    outcome = run(ActionSubmitFeedback(), make_tracker(slots={"rating": None}))
    assert not api.calls
    assert outcome.slots == {"next_step": "none"}
    assert outcome.responses == ["utter_anything_else"]
