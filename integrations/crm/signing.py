"""HMAC-SHA256 signatures of webhook events, as sent in `X-Supportbot-Signature`.

The signature covers `X-Supportbot-Timestamp` and the raw body: `HMAC(secret, "<timestamp>." +
body)`. A receiver recomputes it and refuses a timestamp older than a few minutes, so a captured
request can be replayed neither as it was (too old) nor with a new timestamp (the signature no
longer matches).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

PREFIX = "sha256="
MAX_AGE_SECONDS = 300  # what `verify` accepts by default, either way (clocks differ a little)


def signed_content(body: bytes, timestamp: str) -> bytes:
    """What is signed: the timestamp header's value, a dot, then the raw body."""
    return timestamp.encode("ascii") + b"." + body


def sign(body: bytes, secret: str, timestamp: str) -> str:
    """`sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`."""
    digest = hmac.new(secret.encode(), signed_content(body, timestamp), hashlib.sha256)
    return PREFIX + digest.hexdigest()


def verify(
    body: bytes,
    secret: str,
    signature: str,
    timestamp: str,
    *,
    now: datetime,
    max_age_seconds: int = MAX_AGE_SECONDS,
) -> bool:
    """Whether `signature` is `sign(body, secret, timestamp)` (constant-time comparison) and the
    timestamp (Unix seconds) is at most `max_age_seconds` away from `now`: the receiver's check."""
    if not timestamp.isascii() or not timestamp.isdigit():
        return False
    if abs(now.timestamp() - int(timestamp)) > max_age_seconds:
        return False
    return hmac.compare_digest(sign(body, secret, timestamp), signature)
