"""Conversation proofs: what lets the action server write for one conversation.

The hub signs a short-lived proof for the conversation into the metadata of every message it
forwards to Rasa; the actions send it back in `X-Conversation-Proof` with customer-owned writes
that no verification token protects (the rating). The service key alone then acts for no
conversation: a direct call with it cannot rate a conversation whose messages it never saw.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from fastapi import Depends, Header

from ticketing.deps import NowDep, SettingsDep
from ticketing.errors import AuthenticationError, PermissionDeniedError
from ticketing.security import tokens

KIND = "conversation"
METADATA_KEY = "conversation_proof"  # in the metadata the hub sends to Rasa
HEADER = "X-Conversation-Proof"
# Long enough for a slow turn (the actions read the proof of the message they answer), short
# enough that a proof copied from Rasa's tracker store is soon worthless.
TTL = timedelta(minutes=30)

ConversationProofHeader = Annotated[
    str | None,
    Header(
        alias=HEADER,
        description="The conversation's proof from the hub (message metadata "
        f"`{METADATA_KEY}`); required with the service key",
    ),
]


def issue(*, secret: str, conversation_id: str, now: datetime) -> str:
    """A proof that the hub forwarded a message of `conversation_id` at `now`."""
    token, _expires = tokens.issue(
        secret=secret, kind=KIND, claims={"conv": conversation_id}, now=now, ttl=TTL
    )
    return token


def check(*, secret: str, conversation_id: str, proof: str | None, now: datetime) -> None:
    """PermissionDeniedError (403) unless `proof` is a valid, unexpired proof for exactly
    `conversation_id`."""
    if not proof:
        raise PermissionDeniedError(
            f"A write for a conversation needs the hub's proof for it ({HEADER}); the service "
            "key alone acts for no conversation.",
            code="conversation_proof_required",
        )
    try:
        claims = tokens.read(secret=secret, kind=KIND, token=proof, now=now)
    except AuthenticationError as error:
        raise PermissionDeniedError(
            f"The conversation proof is not valid ({error.error_code}): send the proof of the "
            "customer's latest message.",
            code="conversation_proof_invalid",
        ) from error
    if claims.get("conv") != conversation_id:
        raise PermissionDeniedError(
            "The conversation proof is for another conversation.",
            code="conversation_proof_mismatch",
        )


def proven_conversation(*, secret: str, proof: str | None, now: datetime) -> str | None:
    """The conversation a valid, unexpired proof is for; None without one (writes that work
    without a proof still work, they just aren't recorded for a conversation)."""
    if not proof:
        return None
    try:
        claims = tokens.read(secret=secret, kind=KIND, token=proof, now=now)
    except AuthenticationError:
        return None
    conversation = claims.get("conv")
    return conversation if isinstance(conversation, str) else None


def get_proven_conversation(
    settings: SettingsDep, now: NowDep, proof: ConversationProofHeader = None
) -> str | None:
    """The conversation a write is made for, when the action server sends the hub's proof."""
    return proven_conversation(secret=settings.secret_key.get_secret_value(), proof=proof, now=now)


ProvenConversation = Annotated[str | None, Depends(get_proven_conversation)]
