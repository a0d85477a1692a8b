"""A ticket as shown outside the customer's own record (to staff): emails and phone numbers
the customer typed into its free text are masked with the log masks (`ticketing.logs.mask`);
dates ("2026-12-01", "01.12.2026") are kept, which the phone mask would otherwise take."""

from __future__ import annotations

import re
from typing import Any

from ticketing.logs import mask

DATE = re.compile(r"(?<![\w.+/-])\d{1,4}[./-]\d{1,2}[./-]\d{1,4}(?![\w/-]|\.\d)")
_KEEP = 0xE000  # private-use characters stand in for the dates while the masks run


def masked_text(text: str) -> str:
    """`text` with emails and phone numbers masked ("j***@example.org", "***89")."""
    dates: list[str] = []

    def keep(match: re.Match[str]) -> str:
        dates.append(match.group(0))
        return chr(_KEEP + len(dates) - 1)

    masked = mask(DATE.sub(keep, text))
    for index, date in enumerate(dates):
        masked = masked.replace(chr(_KEEP + index), date)
    return masked


def masked_json(value: Any) -> Any:
    """Every string inside a JSON value (a ticket's context) masked; keys and numbers kept."""
    if isinstance(value, str):
        return masked_text(value)
    if isinstance(value, dict):
        return {key: masked_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [masked_json(item) for item in value]
    return value
