"""Recognising a request about someone already erased, without keeping who they were.

The erasure's audit entry keeps keyed digests (HMAC-SHA256 with SUPPORTBOT_SECRET_KEY) of the
identifiers it erased: the email, the last 8 digits of the phone, each chat's channel identity.
A repeated request by the same email then answers "erased on ... by ..." instead of "nobody".
Nothing can be read back from a digest; only someone holding the secret key and a guess can
test the guess. Rotating the key forgets them (a repeat then answers "nobody matches").
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from ticketing.audit.models import AuditEntry
from ticketing.orders.numbers import phone_digits

if TYPE_CHECKING:
    from ticketing.privacy.lookup import Selector

ERASED_ACTION = "privacy.erased"
DIGESTS_KEY = "identifier_digests"
PHONE_TAIL = 8


def digest(kind: str, value: str, secret: str) -> str:
    return hmac.new(secret.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def email_digest(email: str, secret: str) -> str:
    return digest("email", email.strip().casefold(), secret)


def phone_digest(phone: str, secret: str) -> str | None:
    digits = phone_digits(phone).lstrip("0")
    return digest("phone", digits[-PHONE_TAIL:], secret) if len(digits) >= PHONE_TAIL else None


def conversation_digest(channel: str, external_id: str, secret: str) -> str:
    return digest("conversation", f"{channel}:{external_id}", secret)


def of_identifiers(
    *,
    email: str | None,
    phone: str | None,
    chats: Iterable[tuple[str, str]],
    secret: str,
) -> list[str]:
    """The digests an erasure records, sorted (their order says nothing)."""
    found = {conversation_digest(channel, external, secret) for channel, external in chats}
    if email:
        found.add(email_digest(email, secret))
    if phone and (value := phone_digest(phone, secret)) is not None:
        found.add(value)
    return sorted(found)


def of_selector(selector: Selector, secret: str) -> str | None:
    if selector.email is not None:
        return email_digest(selector.email, secret)
    if selector.phone is not None:
        return phone_digest(selector.phone, secret)
    if selector.channel is not None and selector.external_id is not None:
        return conversation_digest(selector.channel, selector.external_id, secret)
    return None


def previous_erasure(db_session: Session, selector: Selector, secret: str) -> AuditEntry | None:
    """The newest erasure whose digests include the selector's, if any."""
    wanted = of_selector(selector, secret)
    if wanted is None:
        return None
    entries = db_session.scalars(
        select(AuditEntry).where(AuditEntry.action == ERASED_ACTION).order_by(AuditEntry.id.desc())
    )
    for entry in entries:
        if wanted in (entry.changes or {}).get(DIGESTS_KEY, []):
            return entry
    return None
