"""action_session_start: the shop's name from the backend's policy reaches the `shop_name` slot
that domain.yml's responses interpolate, with a fallback when the backend does not answer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import respx
import yaml

from actions import session
from actions.session import ActionSessionStart
from tests.actions.helpers import API_KEY, DOMAIN, REPO, make_tracker, policy_json, run


@pytest.fixture(autouse=True)
def _forget_the_last_name() -> Iterator[None]:
    session._last_known.clear()
    yield
    session._last_known.clear()


def start(**slots: object):  # type: ignore[no-untyped-def]
    return run(ActionSessionStart(), make_tracker("", slots=dict(slots)))


def test_the_shop_name_from_the_policy_reaches_the_slot(api: respx.MockRouter) -> None:
    route = api.get("/api/policy").respond(json=policy_json(shop_name="Linen & Wool"))
    outcome = start()
    assert outcome.slots["shop_name"] == "Linen & Wool"
    assert route.calls.last.request.headers["X-Api-Key"] == API_KEY
    assert outcome.messages == []


def test_the_session_starts_and_ends_listening_with_the_slots_carried_over(
    api: respx.MockRouter,
) -> None:
    api.get("/api/policy").respond(json=policy_json())
    outcome = start(customer_name="Ann", order_number="10234", shop_name="Old Name")
    kinds = [event["event"] for event in outcome.events]
    assert kinds[0] == "session_started"
    last = outcome.events[-1]
    assert (last["event"], last["name"]) == ("action", "action_listen")
    assert outcome.slots["customer_name"] == "Ann"
    assert outcome.slots["order_number"] == "10234"
    assert outcome.slot_events("shop_name") == ["Demo Shop"]  # set once, fresh


def test_no_carry_over_when_the_domain_says_so(api: respx.MockRouter) -> None:
    api.get("/api/policy").respond(json=policy_json())
    domain = {**DOMAIN, "session_config": {"carry_over_slots_to_new_session": False}}
    outcome = run(ActionSessionStart(), make_tracker("", slots={"customer_name": "Ann"}), domain)
    assert set(outcome.slots) == {"shop_name"}


@pytest.mark.parametrize(
    "failure",
    [httpx.ConnectError("refused"), httpx.ReadTimeout("timed out"), httpx.Response(503)],
    ids=["refused", "timeout", "503"],
)
def test_a_backend_that_does_not_answer_falls_back_to_the_policy_file(
    api: respx.MockRouter, failure: object
) -> None:
    api.get("/api/policy").mock(side_effect=[failure])
    outcome = start()
    policy = yaml.safe_load((REPO / "policy.yml").read_text(encoding="utf-8"))
    assert outcome.slots["shop_name"] == policy["shop_name"]
    assert outcome.events[0]["event"] == "session_started"


def test_the_last_name_the_backend_gave_beats_the_file(api: respx.MockRouter) -> None:
    api.get("/api/policy").mock(
        side_effect=[
            httpx.Response(200, json=policy_json(shop_name="Renamed by an admin")),
            httpx.ConnectError("refused"),
        ]
    )
    assert start().slots["shop_name"] == "Renamed by an admin"
    assert start().slots["shop_name"] == "Renamed by an admin"


def test_without_backend_or_file_a_neutral_name(
    api: respx.MockRouter, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SUPPORTBOT_POLICY_FILE", str(tmp_path / "missing.yml"))
    api.get("/api/policy").mock(side_effect=httpx.ConnectError("refused"))
    assert start().slots["shop_name"] == session.LAST_RESORT_NAME


def test_a_blank_name_from_the_backend_is_not_used(
    api: respx.MockRouter, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    policy_file = tmp_path / "policy.yml"
    policy_file.write_text("shop_name: From The File\n", encoding="utf-8")
    monkeypatch.setenv("SUPPORTBOT_POLICY_FILE", str(policy_file))
    api.get("/api/policy").respond(json=policy_json(shop_name="  "))
    assert start().slots["shop_name"] == "From The File"


def test_domain_yml_names_the_shop_only_through_the_slot() -> None:
    """The shop's name lives in the policy; domain.yml's responses interpolate {shop_name}."""
    text = (REPO / "domain.yml").read_text(encoding="utf-8")
    shop = yaml.safe_load((REPO / "policy.yml").read_text(encoding="utf-8"))["shop_name"]
    assert shop not in text
    assert "Demo Shop" not in text
    slot = DOMAIN["slots"]["shop_name"]
    assert slot["influence_conversation"] is False
    assert slot["mappings"] == [{"type": "custom"}]
    assert "action_session_start" in DOMAIN["actions"]
    greeting = DOMAIN["responses"]["utter_greet"][0]["text"]
    assert greeting.startswith("Hi! I'm the {shop_name} assistant.")
    for name in ("utter_goodbye", "utter_out_of_scope"):
        assert "{shop_name}" in DOMAIN["responses"][name][0]["text"]


def test_a_handoff_summary_leaves_the_shop_name_out() -> None:
    from rasa_sdk.executor import CollectingDispatcher

    from actions.turn import Turn

    tracker = make_tracker("agent please", "human_agent", slots={"shop_name": "Demo Shop"})
    summary = Turn(CollectingDispatcher(), tracker).summary()
    assert "shop_name" not in summary["slots"]
