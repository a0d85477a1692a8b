"""The `nps` section of the policy: defaults, the demo policy, and clear errors for bad values."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from ticketing.policy import service as policy_service
from ticketing.policy.schemas import DEFAULT_NPS_QUESTION, Policy
from ticketing.settings import REPO_ROOT


def document() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((REPO_ROOT / "policy.yml").read_text(encoding="utf-8"))
    return loaded


def test_the_demo_policy_asks_every_90_days() -> None:
    policy = policy_service.load_file(REPO_ROOT / "policy.yml")
    nps = policy.nps

    assert (nps.enabled, nps.cooldown_days) == (True, 90)
    assert "recommend {shop_name} to" in nps.question, "one setting names the shop"
    renamed = policy.model_copy(update={"shop_name": "Linen & Wool"})
    assert renamed.nps_question().startswith(
        "One last question: how likely are you to recommend Linen & Wool to a friend"
    )


def test_a_policy_without_the_section_does_not_ask() -> None:
    """Versions stored before NPS existed stay valid, and NPS stays off until turned on."""
    older = document()
    del older["nps"]

    nps = Policy.model_validate(older).nps

    assert (nps.enabled, nps.cooldown_days, nps.question) == (False, 90, DEFAULT_NPS_QUESTION)


@pytest.mark.parametrize(
    ("change", "where", "words"),
    [
        ({"cooldown_days": -1}, "nps.cooldown_days", "greater than or equal to 0"),
        ({"cooldown_days": 5000}, "nps.cooldown_days", "less than or equal to 3650"),
        ({"cooldown_days": "ninety"}, "nps.cooldown_days", "valid integer"),
        ({"cooldown_days": 7.5}, "nps.cooldown_days", "valid integer"),
        ({"enabled": "sometimes"}, "nps.enabled", "valid boolean"),
        ({"question": "   "}, "nps.question", "must not be blank"),
        ({"question": "x" * 501}, "nps.question", "at most 500 characters"),
        ({"asked_by": "email"}, "nps.asked_by", "Extra inputs are not permitted"),
    ],
)
def test_bad_values_are_refused_with_the_field_named(
    change: dict[str, Any], where: str, words: str
) -> None:
    bad = document()
    bad["nps"].update(change)

    with pytest.raises(ValidationError) as refused:
        Policy.model_validate(bad)

    [error] = refused.value.errors()
    assert ".".join(str(part) for part in error["loc"]) == where
    assert words in error["msg"], error["msg"]
