"""A new session: carry the slots over (as Rasa's default does) and set `shop_name`, which the
responses in domain.yml interpolate, from the policy the backend serves (`GET /api/policy`)."""

# ruff: noqa: ARG002 (rasa_sdk passes dispatcher, tracker and domain to every callback)
from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clients.ticketing_api import ApiRefusal, BackendUnavailable, TicketingApi

logger = logging.getLogger(__name__)

SHOP_NAME_SLOT = "shop_name"
# The backend's own default policy file: the name it starts from until an admin changes it.
DEFAULT_POLICY_FILE = Path(__file__).resolve().parent.parent / "policy.yml"
LAST_RESORT_NAME = "our shop"

_last_known: list[str] = []  # the name the backend gave last, for when it does not answer


def _name_in(policy: Any) -> str | None:
    name = policy.get("shop_name") if isinstance(policy, dict) else None
    return name.strip() if isinstance(name, str) and name.strip() else None


def _name_in_policy_file() -> str | None:
    path = Path(os.environ.get("SUPPORTBOT_POLICY_FILE") or DEFAULT_POLICY_FILE)
    try:
        with path.open(encoding="utf-8") as handle:
            return _name_in(yaml.safe_load(handle))
    except (OSError, yaml.YAMLError):
        return None


async def shop_name(api: TicketingApi) -> str:
    """The shop's name from the backend's policy; if the backend does not answer, the last
    name it gave, else the name in the policy file, else a neutral "our shop"."""
    try:
        name = _name_in(await api.policy())
    except (BackendUnavailable, ApiRefusal) as error:
        logger.warning("no shop name from the backend (%s): using a fallback", error)
        name = None
    if name is not None:
        _last_known[:] = [name]
        return name
    return (_last_known[0] if _last_known else None) or _name_in_policy_file() or LAST_RESORT_NAME


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        carry_over = domain.get("session_config", {}).get("carry_over_slots_to_new_session", True)
        carried = [
            SlotSet(name, value)
            for name, value in tracker.slots.items()
            if carry_over and value is not None and name != SHOP_NAME_SLOT
        ]
        return [
            SessionStarted(),
            *carried,
            SlotSet(SHOP_NAME_SLOT, await shop_name(TicketingApi())),
            ActionExecuted("action_listen"),
        ]
