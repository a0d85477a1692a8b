"""What the bot's last message asks, from its words and buttons, as a customer would read it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

YES_NO_PAYLOADS = {"/affirm", "/deny"}


@dataclass(frozen=True)
class Question:
    kind: str  # see RULES; "statement" when nothing is asked, "unknown" when it can't be placed
    text: str
    buttons: list[dict[str, Any]] = field(default_factory=list)


def _has(*phrases: str) -> Callable[[str, set[str]], bool]:
    return lambda text, _payloads: any(phrase in text for phrase in phrases)


def _yes_no(text: str, payloads: set[str]) -> bool:
    return bool(payloads & YES_NO_PAYLOADS) or bool(re.search(r"\b(shall|should) i\b", text))


def _menu(_text: str, payloads: set[str]) -> bool:
    """Buttons that send requests ("Do you want to: [Track an order] [Something else]")."""
    return any(p.startswith("/") and p not in YES_NO_PAYLOADS for p in payloads)


def _asks(*topics: str) -> Callable[[str, set[str]], bool]:
    """A question (a question mark, or buttons to pick from) about one of `topics`."""

    def rule(text: str, payloads: set[str]) -> bool:
        return ("?" in text or bool(payloads)) and any(topic in text for topic in topics)

    return rule


# In order: the first rule that matches names the question.
RULES: tuple[tuple[str, Callable[[str, set[str]], bool]], ...] = (
    ("nps", _has("recommend", "whole number from 0")),
    ("rating", lambda t, _p: ("rate" in t and " 1 " in f" {t} ") or "from 1 to 5" in t),
    ("comment", _has("anything you'd like to add", "anything you would like to add")),
    ("anything_else", _has("anything else", "what else can i do")),
    ("did_you_mean", _has("did you mean", "do you mean")),
    ("both", _has("order number and the email", "confirm the order number and email")),
    (
        "help",
        _has(
            "i can help with",
            "what can i do for you",
            "didn't quite get",
            "another way",
            "how can i help",
            "back with the assistant",
            "what you need",
        ),
    ),
    ("menu", _menu),
    ("yes_no", _yes_no),
    ("order_number", lambda t, p: _asks("order number")(t, p) or "like an order number" in t),
    (
        "contact",
        lambda t, p: _asks("email address", "phone number")(t, p) or "i need the email" in t,
    ),
    ("address", _has("delivery address", "as an address", "new address")),
    ("change", _has("what should i change")),
    ("item", _asks("which item", "which one", "which of", "which product", "what item")),
    ("quantity", _asks("how many")),
    ("resolution", _has("refund, an exchange", "exchange or store credit")),
    ("reason", _asks("reason")),
    ("condition", _has("condition", "unopened, like new")),
    ("wish", _asks("size", "colour", "color")),
    ("complaint_topic", _has("what is it about")),
    ("complaint_text", _has("what happened")),
)


def recognise(text: str, buttons: list[dict[str, Any]]) -> Question:
    lowered = " ".join(text.lower().split())
    payloads = {str(b.get("payload", "")).strip().lower() for b in buttons}
    for kind, rule in RULES:
        if rule(lowered, payloads):
            if kind == "did_you_mean":
                kind = "choice" if _menu(lowered, payloads) else "yes_no_topic"
            if kind == "menu":
                kind = "choice"
            return Question(kind, text, buttons)
    if buttons:
        return Question("choice", text, buttons)
    if "?" not in lowered:
        return Question("statement", text, buttons)
    return Question("unknown", text, buttons)
