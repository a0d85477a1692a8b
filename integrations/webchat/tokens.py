"""Chat tokens: a secret per browser, issued by `POST /chat/api/sessions`, that is the
customer's only credential.

Only tokens this server issued are accepted (`ticketing.security.conversation_tokens`), so
every chat went through the session limit. The conversation id is derived from a hash of the
token, so ids that show up in consoles, logs and reports never let anyone read or write the
conversation.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header

from ticketing.conversations.store import conversation_id_for
from ticketing.deps import SettingsDep
from ticketing.errors import AuthenticationError
from ticketing.security import conversation_tokens
from ticketing.settings import Settings

CHANNEL = "web"


def new_token(settings: Settings) -> str:
    return conversation_tokens.issue(secret=settings.secret_key.get_secret_value(), purpose=CHANNEL)


def external_id(token: str) -> str:
    return conversation_tokens.digest(token)


def conversation_id(token: str) -> str:
    return conversation_id_for(CHANNEL, external_id(token))


def check(token: str | None, settings: Settings) -> str:
    """The token if this server issued it for a web chat; 401 otherwise."""
    secret = settings.secret_key.get_secret_value()
    if token is None or not conversation_tokens.is_issued(token, secret=secret, purpose=CHANNEL):
        raise AuthenticationError(
            "This chat session is missing or invalid; start a new chat.", code="bad_chat_token"
        )
    return token


def chat_token(settings: SettingsDep, x_chat_token: Annotated[str | None, Header()] = None) -> str:
    return check(x_chat_token, settings)


ChatTokenDep = Annotated[str, Depends(chat_token)]
