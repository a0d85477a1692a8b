"""Signed, expiring tokens (HMAC-SHA256): customer verifications and staff sessions."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime, timedelta
from typing import Any

from ticketing.errors import AuthenticationError


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(secret: str, body: str) -> str:
    digest = hmac.new(secret.encode(), body.encode("ascii"), hashlib.sha256).digest()
    return _b64encode(digest)


def issue(
    *, secret: str, kind: str, claims: dict[str, Any], now: datetime, ttl: timedelta
) -> tuple[str, datetime]:
    """A token of `kind` carrying `claims`, and when it expires."""
    expires_at = now + ttl
    payload = {"kind": kind, "exp": int(expires_at.timestamp()), **claims}
    body = _b64encode(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode())
    return f"{body}.{_signature(secret, body)}", expires_at


def read(*, secret: str, kind: str, token: str, now: datetime) -> dict[str, Any]:
    """The claims of a valid token of `kind`; AuthenticationError if forged, expired or other."""
    body, _, signature = token.partition(".")
    if not body or not signature or not hmac.compare_digest(signature, _signature(secret, body)):
        raise AuthenticationError("The token is not valid. Verify again.", code="invalid_token")
    try:
        payload: dict[str, Any] = json.loads(_b64decode(body))
    except (ValueError, UnicodeDecodeError) as exc:
        raise AuthenticationError("The token is not valid.", code="invalid_token") from exc
    if payload.get("kind") != kind:
        raise AuthenticationError("The token is not valid here.", code="invalid_token")
    if int(payload.get("exp", 0)) <= now.timestamp():
        raise AuthenticationError(
            "The verification has expired. Please verify again.", code="token_expired"
        )
    return payload
