"""The customer's own description of a problem, for the ticket an agent reads: the messages of
this request that say what happened, never one that only held an email, a phone number, an
order number or a "yes"."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from actions import parsing
from actions.task_names import TASKS

MAX_MESSAGES = 6
MAX_CHARS = 5000
# Intents that open a request: the customer's first message about this problem is the last
# one read back.
OPENING_INTENTS = TASKS
NOT_DESCRIBING = frozenset({"affirm", "deny", "stop", "greet", "goodbye", "thank", "human_agent"})
# Words that say nothing about the problem: what is left of "my order is 10944, email
# ann@example.com" once the number and the email are gone.
FILLER = frozenset(
    """
    a an and as at be by for from hello hey hi i i'm im in is it it's its me my mine number
    of on or order orders our please sure thanks thank that the this to used was we with yes
    yeah yep yup ok okay no nope correct right email e-mail mail address phone mobile tel
    telephone cell contact here you your sorry just again it’s want wanna like make would
    need help have has got complain complaint file problem issue about can could there
    """.split()
)
# The complaint form's category buttons (domain.yml utter_ask_complaint_category): an answer,
# not a description.
CATEGORY_ANSWERS = frozenset(
    {"product quality", "logistics", "after-sales service", "payment", "other", "delivery"}
)
WORD = re.compile(r"[^\W\d_][\w'’-]*")


def describes(text: str) -> bool:
    """Whether a message says something about the problem (beyond contact data, order
    numbers and "yes")."""
    if not text or text.startswith("/"):  # a button's payload
        return False
    if text.strip().lower() in CATEGORY_ANSWERS:
        return False
    rest = parsing.PHONE.sub(" ", parsing.EMAIL.sub(" ", text))
    words = [w.lower() for w in WORD.findall(rest)]
    return any(len(w) >= 3 and w not in FILLER for w in words)


def _user_messages(events: Iterable[dict[str, Any]]) -> list[tuple[str, str | None]]:
    found = []
    for event in events:
        if event.get("event") == "user" and event.get("text"):
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            found.append((str(event["text"]), str(intent) if intent else None))
    return found


def customer_description(events: Iterable[dict[str, Any]], task: str | None) -> str | None:
    """The customer's messages about this request, oldest first: read back from the latest
    message to the one that opened the request (`task`'s intent, or another request's that
    says something: "10944, ann@example.com" read as order_status is not an opening); None
    when none describes anything."""
    picked: list[str] = []
    for text, intent in reversed(_user_messages(events)):
        describing = intent not in NOT_DESCRIBING and describes(text)
        if describing and text not in picked:
            picked.append(text)
        opening = intent == task or (intent in OPENING_INTENTS and describing)
        if opening or len(picked) >= MAX_MESSAGES:
            break
    if not picked:
        return None
    return parsing.clip("\n".join(reversed(picked)), MAX_CHARS)
