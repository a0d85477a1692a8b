"""The building blocks of erasure: the marker, the tombstone, and JSON values made anonymous.

Every function here returns the same value when given its own output, so an erasure run twice
changes nothing the second time.
"""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Mapping
from typing import Any

ERASED = "[erased]"
ERASED_EMAIL_DOMAIN = "erased.invalid"  # RFC 2606: can never be a real address
PSEUDONYM = re.compile(r"^erased-[0-9a-f]{32}$")

# Keys of JSON documents (event data, audit changes, CRM payloads) whose values are what a
# person wrote or sent: replaced whatever their shape. Everything else (statuses, priorities,
# scores, seconds, ticket and order numbers, staff usernames) is what the reports and the SLA
# clock read, and is kept.
FREE_TEXT_KEYS = frozenset(
    {
        "text",
        "comment",
        "note",
        "summary",
        "slots",
        "last_messages",
        "attachments",
        "description",
        "subject",
        "customer_note",
        "email",
        "phone",
        "address",
    }
)
ADDRESS_KEYS = frozenset({"line1", "city"})
# What an erased address keeps: the country decides the VAT of the sale.
KEPT_ADDRESS_KEYS = ("country",)


def erased_value(value: Any) -> Any:
    """`value` with its content gone and its type kept (code that reads it still works).
    Numbers, booleans and None hold no text and are kept."""
    if isinstance(value, str):
        return ERASED if value else value
    if isinstance(value, list):
        return []
    if isinstance(value, dict):
        return {}
    return value


def erased_text(value: str | None) -> str | None:
    """ERASED for any text, None stays None."""
    return None if value is None else erased_value(value)


def tombstone_email(customer_id: int) -> str:
    """A unique address nobody can type: verification compares emails, so an erased customer's
    orders must not be claimable by guessing a pattern."""
    return f"erased-{customer_id}-{secrets.token_hex(12)}@{ERASED_EMAIL_DOMAIN}"


def is_tombstone_email(email: str) -> bool:
    return email.endswith("@" + ERASED_EMAIL_DOMAIN)


def new_pseudonym() -> str:
    """A random external id for an erased conversation: it links to nobody."""
    return f"erased-{uuid.uuid4().hex}"


def is_pseudonym(external_id: str) -> bool:
    return bool(PSEUDONYM.match(external_id))


def is_address(value: Any) -> bool:
    return isinstance(value, dict) and ADDRESS_KEYS <= value.keys()


def redact_address(address: Mapping[str, Any]) -> dict[str, Any]:
    """Every field erased but the country; still a valid `Address` for the order API."""
    redacted = {key: erased_value(value) for key, value in address.items()}
    for key in KEPT_ADDRESS_KEYS:
        if key in address:
            redacted[key] = address[key]
    return redacted


def scrub(value: Any, renames: Mapping[str, str]) -> Any:
    """A copy of a JSON value with free text erased, addresses redacted and old conversation
    ids replaced by their pseudonyms."""
    if is_address(value):
        return redact_address(value)
    if isinstance(value, dict):
        return {
            key: erased_value(item) if key in FREE_TEXT_KEYS else scrub(item, renames)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [scrub(item, renames) for item in value]
    if isinstance(value, str):
        return renames.get(value, value)
    return value


def keep_keys(document: Mapping[str, Any] | None, keys: tuple[str, ...]) -> dict[str, Any]:
    """Only `keys` of a context document (what reports and follow-ups read), the rest dropped."""
    return {key: document[key] for key in keys if document and key in document}
