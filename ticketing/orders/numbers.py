"""Order numbers as customers type them: '#10234', 'order no. 10234', ' 10234 '."""

from __future__ import annotations

import re

from ticketing.errors import InvalidInputError

_DIGITS = re.compile(r"\d{4,12}")


def normalise_order_number(raw: str) -> str:
    """The digits of an order number; InvalidInputError when there are none."""
    if len(raw) > 64:
        raise InvalidInputError("An order number is at most 64 characters long.")
    found: list[str] = _DIGITS.findall(raw)
    if len(found) != 1:
        raise InvalidInputError(
            "That doesn't look like an order number: it is the 5-digit number in your "
            "order confirmation email, e.g. 10234.",
            code="invalid_order_number",
        )
    return found[0]


def phone_digits(raw: str) -> str:
    """Only the digits of a phone number, without the international '00' prefix."""
    digits = re.sub(r"\D", "", raw)
    return digits[2:] if digits.startswith("00") else digits


def phones_match(given: str, stored_digits: str | None) -> bool:
    """Equal digits, or one ends with the other and at least 8 digits agree (a country code)."""
    if not stored_digits:
        return False
    digits = phone_digits(given)
    if len(digits) < 8:
        return False
    if digits == stored_digits:
        return True
    trimmed = digits.lstrip("0")
    return len(trimmed) >= 8 and stored_digits.endswith(trimmed)
