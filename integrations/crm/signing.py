"""HMAC-SHA256 signatures of webhook bodies, as sent in `X-Supportbot-Signature`."""

from __future__ import annotations

import hashlib
import hmac

PREFIX = "sha256="


def sign(body: bytes, secret: str) -> str:
    """`sha256=<hex HMAC-SHA256 of the raw body>`."""
    return PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(body: bytes, secret: str, signature: str) -> bool:
    """Whether `signature` is `sign(body, secret)` (constant-time comparison)."""
    return hmac.compare_digest(sign(body, secret), signature)
