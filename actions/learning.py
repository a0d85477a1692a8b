"""Reporting what the bot did not understand to the training inbox (`POST
/api/training/misunderstandings`), with what Rasa's REST answer does not carry: the bot's
intent ranking and the entities it found (the backend masks them), and a little context.

Best effort: a report that fails is logged and the customer's turn goes on. Only messages that
came through the hub are reported (the backend wants the hub's proof for the conversation).
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from actions.clients.ticketing_api import ApiRefusal, BackendUnavailable, TicketingApi
from actions.parsing import clip
from actions.turn import PROOF_KEY, Turn

log = logging.getLogger(__name__)

FALLBACK = "fallback"
OUT_OF_SCOPE = "out_of_scope"
CLARIFICATION_REJECTED = "clarification_rejected"
HANDOFF = "handoff"
MAX_GUESSES = 5
# Entities the backend masks in the text (the rest, e.g. an item, are not personal).
PERSONAL_ENTITIES = ("order_number", "email", "phone")
# Slots holding what the bot learnt about the customer, masked too, as these entities.
PERSONAL_SLOTS = {
    "customer_name": "name",
    "verified_order": "order_number",
    "order_number": "order_number",
    "contact": "contact",
}
# A report must not hold the customer's answer up for long when the backend is slow.
REPORT_TIMEOUT_SECONDS = 2.0


def _user_events(turn: Turn) -> list[dict[str, Any]]:
    return [event for event in turn.tracker.events if event.get("event") == "user"]


def _typed(event: dict[str, Any] | None) -> str | None:
    """The customer's own words (a button payload such as `/affirm` is not)."""
    text = (event or {}).get("text")
    if not isinstance(text, str) or not text.strip() or text.startswith("/"):
        return None
    return clip(text)


def _before(turn: Turn, event: dict[str, Any]) -> tuple[str | None, str | None]:
    """The bot's last words and the customer's previous message before `event`."""
    events = turn.tracker.events
    index = next((i for i, e in enumerate(events) if e is event), len(events))
    bot_text = customer_text = None
    for earlier in reversed(events[:index]):
        kind = earlier.get("event")
        if kind == "bot" and bot_text is None and earlier.get("text"):
            bot_text = clip(earlier["text"])
        elif kind == "user" and customer_text is None:
            customer_text = _typed(earlier)
        if bot_text is not None and customer_text is not None:
            break
    return bot_text, customer_text


def _known_from_slots(turn: Turn) -> list[dict[str, str]]:
    """The customer's name, order and contact as the bot knows them (e.g. after verifying)."""
    known: list[dict[str, str]] = []
    for slot, kind in PERSONAL_SLOTS.items():
        value = turn.slot(slot)
        if isinstance(value, str) and value.strip():
            if kind == "contact":
                kind = "email" if "@" in value else "phone"
            known.append({"entity": kind, "value": value[:500]})
    return known


def report_body(
    turn: Turn, event: dict[str, Any], reason: str, parse_data: dict[str, Any] | None = None
) -> dict[str, Any] | None:
    """The report of the customer message `event` (None when it holds no typed words);
    `parse_data`: what the NLU made of it, when not the event's own."""
    text = _typed(event)
    if text is None:
        return None
    parse_data = parse_data or event.get("parse_data") or {}
    guesses = [
        {"intent": str(entry["name"]), "confidence": float(entry.get("confidence") or 0)}
        for entry in (parse_data.get("intent_ranking") or [])[:MAX_GUESSES]
        if entry.get("name")
    ]
    if not guesses and (parse_data.get("intent") or {}).get("name"):
        intent = parse_data["intent"]
        guesses = [
            {"intent": str(intent["name"]), "confidence": float(intent.get("confidence") or 0)}
        ]
    entities = [
        {"entity": found["entity"], "value": str(found["value"])[:500]}
        for found in parse_data.get("entities") or []
        if found.get("entity") in PERSONAL_ENTITIES and isinstance(found.get("value"), str)
    ]
    entities.extend(_known_from_slots(turn))
    bot_text, customer_text = _before(turn, event)
    return {
        "conversation_id": turn.conversation_id,
        "text": text,
        "reason": reason,
        "guesses": guesses,
        "previous_bot_text": bot_text,
        "previous_customer_text": customer_text,
        "entities": entities,
    }


def handed_over_now(turn: Turn) -> bool:
    """Whether this action handed the conversation to a person (not an earlier one)."""
    return any(
        event.get("event") == "slot" and event.get("name") == "handed_off" and event.get("value")
        for event in turn.events
    )


async def report(turn: Turn, reason: str, *, messages_back: int = 0) -> None:
    """Report the latest customer message (`messages_back=1`: the one before it, e.g. the
    message a rejected clarification was about)."""
    users = _user_events(turn)
    if len(users) <= messages_back:
        return
    event = users[-1 - messages_back]
    proof = turn.metadata.get(PROOF_KEY)
    latest = turn.tracker.latest_message if messages_back == 0 else None
    body = report_body(turn, event, reason, latest)
    if body is None or not proof:
        return
    config = dataclasses.replace(
        turn.api.config,
        timeout_seconds=min(turn.api.config.timeout_seconds, REPORT_TIMEOUT_SECONDS),
    )
    api = TicketingApi(config, proof=str(proof))
    try:
        await api.report_misunderstanding(body)
    except (BackendUnavailable, ApiRefusal) as error:
        log.warning("the training inbox did not take a %s report: %s", reason, error)
