"""POST /api/verifications."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from ticketing.deps import FailureCounterDep, NowDep, SettingsDep, WriteSessionDep
from ticketing.errors import error_responses
from ticketing.security.principals import ServiceAccess
from ticketing.verification import limits, service
from ticketing.verification.conversation_proof import ProvenConversation
from ticketing.verification.schemas import VerificationRead, VerificationRequest

router = APIRouter(prefix="/verifications", tags=["verification"])


@router.post(
    "",
    response_model=VerificationRead,
    responses=error_responses(
        401, 429, descriptions={401: "Details don't match", 429: "Locked out"}
    ),
)
def verify_customer(
    body: VerificationRequest,
    request: Request,
    _service: ServiceAccess,
    db_session: WriteSessionDep,  # a success links the proven conversation to the customer
    counter: FailureCounterDep,
    locks: Annotated[limits.Locks, Depends(limits.get_locks)],
    settings: SettingsDep,
    now: NowDep,
    conversation: ProvenConversation,
) -> VerificationRead:
    """Verify a customer for an order (order number + email or phone): a short-lived token.
    Failures are limited per order, email or phone, conversation, `client_ip` and shop-wide.
    With the hub's proof for `conversation_id` (X-Conversation-Proof), a success links that
    conversation to the customer."""
    client = request.client.host if request.client else "unknown"
    asker = body.conversation_id or f"ip:{client}"
    return service.verify(
        db_session=db_session,
        request=body,
        asker=asker,
        counter=counter,
        locks=locks,
        settings=settings,
        now=now,
        proven_conversation=conversation,
    )
