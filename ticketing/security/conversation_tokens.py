"""Conversation tokens: the customer's only credential on the web chat and the public REST channel.

A token is a random nonce followed by an HMAC of it under the backend's secret key, so only
tokens this server issued are accepted (a well-formed guess is not), and nothing has to be
stored: the conversation is found by a hash of the token. Changing `SUPPORTBOT_SECRET_KEY`
invalidates every token; customers then start a new chat.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

NONCE_BYTES = 18
NONCE_CHARS = 24  # token_urlsafe(18)
MAC_BYTES = 18  # 24 characters
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{48}")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _mac(secret: str, purpose: str, nonce: str) -> str:
    message = f"conversation-token:{purpose}:{nonce}".encode()
    return _b64(hmac.new(secret.encode(), message, hashlib.sha256).digest()[:MAC_BYTES])


def issue(*, secret: str, purpose: str) -> str:
    """A new token for `purpose` (a channel name: a web chat token is no REST token)."""
    nonce = secrets.token_urlsafe(NONCE_BYTES)
    return nonce + _mac(secret, purpose, nonce)


def is_issued(token: str | None, *, secret: str, purpose: str) -> bool:
    """True only for a token `issue` made with this secret and purpose."""
    if not token or not TOKEN_PATTERN.fullmatch(token):
        return False
    nonce, mac = token[:NONCE_CHARS], token[NONCE_CHARS:]
    return hmac.compare_digest(mac, _mac(secret, purpose, nonce))


def digest(token: str) -> str:
    """What is stored and shown instead of the token (32 hex characters)."""
    return hashlib.sha256(token.encode()).hexdigest()[:32]
