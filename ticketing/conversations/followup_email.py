"""The email a customer leaves for a reply by email while the team is away.

Nothing here sends mail (the backend has no mailer): the address is stored on the
conversation, the agent console shows it, and the agent answers from their own mailbox. Only
the conversation's own channel session may set it (the web chat derives the conversation from
its token), and the address never goes to the logs unmasked.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from email_validator import EmailNotValidError, validate_email
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from ticketing.conversations import store
from ticketing.conversations.models import Conversation
from ticketing.conversations.schemas import ConversationView
from ticketing.errors import InvalidInputError, NotAllowedError, NotFoundError
from ticketing.logs import mask

if TYPE_CHECKING:
    from ticketing.conversations.hub_core import HubCore

log = logging.getLogger(__name__)

MAX_EMAIL_CHARS = 320
EVENT = "followup_email_left"


def normalised(email: str) -> str:
    """The address as it is stored (domain in lower case); InvalidInputError when it is not
    one. Only the syntax is checked: offline, a domain's mail servers can't be looked up."""
    text = email.strip()
    try:
        found = validate_email(text, check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidInputError(
            "That doesn't look like an email address: please check it (for example "
            "name@example.com), or leave the field empty.",
            code="bad_email",
        ) from error
    return found.normalized


def leave(db_session: Session, conversation: Conversation, email: str, now: datetime) -> bool:
    """Store `email` (already `normalised`) on the conversation; False when it already held
    that address (a retry changes nothing and records nothing)."""
    if conversation.followup_email == email:
        return False
    replaced = conversation.followup_email is not None
    conversation.followup_email = email
    conversation.followup_email_at = now
    conversation.updated_at = now
    store.record(
        db_session,
        conversation,
        EVENT,
        actor=f"customer:{conversation.id}",
        now=now,
        data={"replaced": replaced},  # never the address: events are kept after erasure
    )
    return True


async def leave_in_hub(hub: HubCore, conversation_id: str, email: str) -> ConversationView:
    """The customer's email for the conversation, stored and announced to the consoles.
    NotAllowedError before the conversation exists (nobody would know what to answer)."""
    address = normalised(email)

    def run() -> bool:
        with hub.database.session(write=True) as db:
            conversation = store.get(db, conversation_id)
            if conversation is None:
                raise NotFoundError("no conversation yet", code="conversation_not_found")
            return leave(db, conversation, address, hub.clock())

    try:
        changed = await run_in_threadpool(run)
    except NotFoundError as error:
        raise NotAllowedError(
            "Write your question first, then leave your email for the reply.",
            code="nothing_to_follow_up",
        ) from error
    view = await run_in_threadpool(hub.view, conversation_id)
    if changed:
        log.info("follow-up email %s left for %s", mask(address), conversation_id)
        await hub.publish_state(view)
    return view
