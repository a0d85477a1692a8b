"""Chat tokens: a random secret per browser that is the customer's only credential.

The conversation id is derived from a hash of the token, so ids that show up in consoles, logs
and reports never let anyone read or write the conversation.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from typing import Annotated

from fastapi import Depends, Header

from ticketing.conversations.store import conversation_id_for
from ticketing.errors import AuthenticationError

CHANNEL = "web"
TOKEN_BYTES = 24
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32}$")  # what token_urlsafe(24) produces


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def external_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:32]


def conversation_id(token: str) -> str:
    return conversation_id_for(CHANNEL, external_id(token))


def check(token: str | None) -> str:
    """The token if it has the right shape; an unknown but well-formed token is a new chat."""
    if not token or not TOKEN_PATTERN.match(token):
        raise AuthenticationError(
            "This chat session is missing or invalid; start a new chat.", code="bad_chat_token"
        )
    return token


def chat_token(x_chat_token: Annotated[str | None, Header()] = None) -> str:
    return check(x_chat_token)


ChatTokenDep = Annotated[str, Depends(chat_token)]
