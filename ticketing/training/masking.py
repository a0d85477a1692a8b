"""Personal data out of a message before it is stored for training.

Stronger than the staff masks (`ticketing.tickets.masking` keeps an email's first letter and
domain and a phone's last two digits, which helps an agent): training examples end up in
`data/nlu/learned.yml`, in git, so nothing of the value is kept. Each value becomes a
placeholder naming its kind, which reads naturally to a reviewer and which the export turns
back into a neutral example value (`EXAMPLE_VALUES`) so the model still sees a sentence of the
usual shape. Dates stay: "it was due on 02.12." is what the customer meant, not who they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ticketing.tickets.masking import DATE

EMAIL = "{email}"
PHONE = "{phone}"
ORDER_NUMBER = "{order_number}"
NAME = "{name}"
# What the export writes instead of each placeholder (see the module docstring).
EXAMPLE_VALUES = {
    EMAIL: "jane@example.com",
    PHONE: "+44 7700 900123",
    ORDER_NUMBER: "10234",
    NAME: "Alex",
}

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_PHONE = re.compile(r"(?<!\w)\+?\d[\d ()./-]{6,}\d(?!\w)")
# Order numbers are 4-12 digits, maybe after '#' ("#10234", "order 10234").
_ORDER = re.compile(r"(?<![\w@])#?\d{4,12}(?![\w@])")
_KEEP = 0xE000  # private-use characters stand in for the dates while the masks run
MIN_NAME_CHARS = 2


def _without_dates(text: str) -> tuple[str, list[str]]:
    dates: list[str] = []

    def keep(match: re.Match[str]) -> str:
        dates.append(match.group(0))
        return chr(_KEEP + len(dates) - 1)

    return DATE.sub(keep, text), dates


def _name_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """Whole words of the known names ("Jane Doe" masks "Jane", "Doe" and "jane")."""
    words = {
        word
        for name in names
        for word in re.findall(r"[^\W\d_][\w'-]*", name or "")
        if len(word) >= MIN_NAME_CHARS
    }
    if not words:
        return None
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class KnownValues:
    """What the conversation is known to hold: the entities the bot recognised in the message,
    the verified order and contact, the linked customer's name."""

    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    order_numbers: tuple[str, ...] = ()
    names: tuple[str, ...] = ()


def _replace_values(text: str, values: Iterable[str], placeholder: str, prefix: str = "") -> str:
    """Each value as a whole word (`prefix`: what may come before it, e.g. an order's '#')."""
    for value in sorted({v.strip() for v in values if v and v.strip()}, key=len, reverse=True):
        if len(value) >= MIN_NAME_CHARS:
            pattern = re.compile(rf"(?<!\w){prefix}{re.escape(value)}(?!\w)", re.IGNORECASE)
            text = pattern.sub(placeholder, text)
    return text


def mask_for_training(text: str, known: KnownValues | None = None) -> str:
    """`text` with emails, phones, order numbers and the `known` values of the conversation
    (the customer's name: no pattern finds a name) replaced by placeholders."""
    known = known or KnownValues()
    masked, dates = _without_dates(text)
    masked = _replace_values(masked, known.emails, EMAIL)
    masked = _replace_values(masked, known.phones, PHONE)
    masked = _replace_values(masked, known.order_numbers, ORDER_NUMBER, prefix="#?")
    masked = _EMAIL.sub(EMAIL, masked)
    masked = _PHONE.sub(PHONE, masked)
    masked = _ORDER.sub(ORDER_NUMBER, masked)
    if (pattern := _name_pattern(known.names)) is not None:
        masked = pattern.sub(NAME, masked)
    for index, date in enumerate(dates):
        masked = masked.replace(chr(_KEEP + index), date)
    return masked


def unmasked_example(text: str) -> str:
    """A masked text with each placeholder as its neutral example value (for training)."""
    for placeholder, value in EXAMPLE_VALUES.items():
        text = text.replace(placeholder, value)
    return text
