"""Tickets the bot or an agent opens, and handoffs of a conversation to a person."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status
from sqlalchemy.orm import Session

from ticketing.deps import DatabaseDep, NowDep, PolicyDep, SessionDep, SettingsDep
from ticketing.errors import error_responses
from ticketing.idempotency.http import IdempotencyKey, respond_once
from ticketing.orders.oms import get_order_system
from ticketing.settings import Settings
from ticketing.tickets import handoff, service
from ticketing.tickets.access import ServiceCaller, ServiceOrStaffCaller
from ticketing.tickets.models import TicketSource
from ticketing.tickets.schemas import HandoffCreate, HandoffRead, TicketCreate, TicketRead
from ticketing.verification import conversation_proof
from ticketing.verification.conversation_proof import ConversationProofHeader

router = APIRouter(tags=["tickets"])


@router.post(
    "/tickets",
    response_model=TicketRead,
    status_code=status.HTTP_201_CREATED,
    # 404: the order is not the verified customer's; 409: Idempotency-Key used for another ticket
    responses=error_responses(401, 403, 404, 409),
)
def create_ticket(
    body: TicketCreate,
    caller: ServiceOrStaffCaller,
    database: DatabaseDep,
    settings: SettingsDep,
    policy: PolicyDep,
    now: NowDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
    proof: ConversationProofHeader = None,
) -> Any:
    """Open a ticket; `order_number` needs the customer's X-Verification-Token (or staff). A
    service opening it for a conversation sends the hub's proof for it (X-Conversation-Proof)."""
    if not caller.is_staff and body.conversation_id is not None:
        _check_proof(settings, body.conversation_id, proof, now)

    def write(db_session: Session) -> tuple[int, Any]:
        ticket = service.create(
            db_session=db_session,
            request=body,
            caller=caller,
            oms=get_order_system(db_session),
            now=now,
        )
        if ticket.source == TicketSource.BOT:
            # The bot passes the answer's `message` on: the customer is told exactly this.
            service.record_told(ticket, service.describe(ticket, policy, now))
        read = service.to_read(ticket, policy, now, masked=caller.is_staff)
        return 201, read.model_dump(mode="json")

    return respond_once(
        database=database,
        key=idempotency_key,
        scope="ticket",
        payload=[caller.actor, body.model_dump(mode="json")],
        write=write,
        response=response,
    )


@router.get("/tickets/{number}", response_model=TicketRead, responses=error_responses(401, 404))
def get_ticket(
    number: str,
    caller: ServiceOrStaffCaller,
    db_session: SessionDep,
    policy: PolicyDep,
    now: NowDep,
    conversation_id: Annotated[
        str | None, Query(max_length=200, description="Service callers: the asking conversation")
    ] = None,
) -> TicketRead:
    """A ticket with its history. Staff see every ticket, with the emails and phone numbers in
    its free text masked; a service sees one from the same conversation or of the customer its
    X-Verification-Token verifies (the customer's own record: unmasked)."""
    ticket = service.get_visible_or_raise(
        db_session=db_session, number=number, caller=caller, conversation_id=conversation_id
    )
    return service.to_read(ticket, policy, now, masked=caller.is_staff)


@router.post(
    "/handoffs",
    response_model=HandoffRead,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"description": "The conversation's open handoff ticket, reused"},
        **error_responses(401, 403, 409),
    },
)
def create_handoff(
    body: HandoffCreate,
    caller: ServiceCaller,
    database: DatabaseDep,
    settings: SettingsDep,
    policy: PolicyDep,
    now: NowDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
    proof: ConversationProofHeader = None,
) -> Any:
    """Hand the conversation to a person: a handoff ticket with everything the bot collected
    (201), or the conversation's ticket that is still open (200). Needs the hub's proof for the
    conversation (X-Conversation-Proof): the service key alone hands off no conversation."""
    _check_proof(settings, body.conversation_id, proof, now)

    def write(db_session: Session) -> tuple[int, Any]:
        outcome = handoff.hand_off(
            db_session=db_session,
            request=body,
            customer_id=caller.customer_id,
            oms=get_order_system(db_session),
            now=now,
            actor=caller.actor,
        )
        answer = handoff.to_read(outcome, body.reason, policy, now)
        return (201 if outcome.created else 200), answer.model_dump(mode="json")

    return respond_once(
        database=database,
        key=idempotency_key,
        scope="handoff",
        payload=[caller.actor, body.model_dump(mode="json")],
        write=write,
        response=response,
    )


def _check_proof(
    settings: Settings, conversation_id: str, proof: str | None, now: datetime
) -> None:
    conversation_proof.check(
        secret=settings.secret_key.get_secret_value(),
        conversation_id=conversation_id,
        proof=proof,
        now=now,
    )
