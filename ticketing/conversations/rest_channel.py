"""Who may write to the public REST channel (`POST /webhooks/rest/webhook`), and as whom.

Two kinds of caller:
- a server-side integration sends `X-Channel-Key` (one of `SUPPORTBOT_REST_CHANNEL_KEYS`) and
  vouches for its own sender ids;
- anyone else gets a conversation token from `POST /webhooks/rest/conversations` and sends it
  as `sender`: only tokens this server issued are accepted, so a conversation (and the
  customer verification that lives in it) belongs to whoever holds its token.

Either way the conversation id is `rest-` and a hash, so neither a token nor an integration's
sender id appears in logs, in the agent console or at Rasa.
"""

from __future__ import annotations

from ticketing.conversations.store import conversation_id_for
from ticketing.errors import AuthenticationError
from ticketing.security import conversation_tokens
from ticketing.security.principals import service_key_ok
from ticketing.settings import Settings

CHANNEL = "rest"
CHANNEL_KEY_HEADER = "X-Channel-Key"
CONVERSATION_ID_HEADER = "X-Conversation-Id"
TOKENS_PATH = "/webhooks/rest/conversations"


def new_token(settings: Settings) -> str:
    return conversation_tokens.issue(secret=settings.secret_key.get_secret_value(), purpose=CHANNEL)


def token_external_id(token: str) -> str:
    return conversation_tokens.digest(token)


def integration_external_id(sender: str) -> str:
    """An integration's sender id, hashed apart from tokens (a token has no `:`)."""
    return conversation_tokens.digest(f"key:{sender}")


def conversation_id(external_id: str) -> str:
    return conversation_id_for(CHANNEL, external_id)


def external_id_for(settings: Settings, *, channel_key: str | None, sender: str) -> str:
    """The external id the sender writes as; AuthenticationError for a caller who may not."""
    if channel_key is not None:
        if not service_key_ok(channel_key, settings.channel_keys()):
            raise AuthenticationError(
                f"{CHANNEL_KEY_HEADER} is not a valid REST channel key. Send a key from "
                f"SUPPORTBOT_REST_CHANNEL_KEYS, or leave the header out and send a conversation "
                f"token from POST {TOKENS_PATH} as `sender`.",
                code="bad_channel_key",
            )
        return integration_external_id(sender)
    secret = settings.secret_key.get_secret_value()
    if not conversation_tokens.is_issued(sender, secret=secret, purpose=CHANNEL):
        raise AuthenticationError(
            f"`sender` must be a conversation token: get one from POST {TOKENS_PATH} (or, for "
            f"a server-side integration, send its {CHANNEL_KEY_HEADER} header).",
            code="bad_conversation_token",
        )
    return token_external_id(sender)
