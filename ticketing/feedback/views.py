"""Satisfaction ratings at the end of a conversation."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response, status
from sqlalchemy.orm import Session

from ticketing.deps import DatabaseDep, NowDep, SessionDep, SettingsDep
from ticketing.errors import error_responses
from ticketing.feedback import service
from ticketing.feedback.schemas import RatingCreate, RatingRead, RatingSaved
from ticketing.idempotency.http import IdempotencyKey, respond_once
from ticketing.tickets.access import ServiceCaller, ServiceOrStaffCaller
from ticketing.verification import conversation_proof
from ticketing.verification.conversation_proof import ConversationProofHeader

router = APIRouter(tags=["feedback"], responses=error_responses(401, 403, 404, 409))


@router.post(
    "/ratings",
    response_model=RatingSaved,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"description": "An earlier rating of the conversation was replaced"},
        403: {"description": "No valid conversation proof for the rated conversation"},
        409: {
            "description": "Rated more than 7 days ago, or a person's conversation already rated"
        },
    },
)
def rate_conversation(
    body: RatingCreate,
    caller: ServiceCaller,
    database: DatabaseDep,
    settings: SettingsDep,
    now: NowDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
    proof: ConversationProofHeader = None,
) -> Any:
    """Store the conversation's 1-5 rating (201); within 7 days a new one replaces it (200),
    unless a person handled the conversation and it was rated in the chat (409).

    The rating is the customer's: the service key must send the hub's proof for the
    conversation (`X-Conversation-Proof`, from the message metadata), or it is refused (403).
    The conversation id makes this naturally idempotent, so `Idempotency-Key` is optional."""
    conversation_proof.check(
        secret=settings.secret_key.get_secret_value(),
        conversation_id=body.conversation_id,
        proof=proof,
        now=now,
    )

    def write(db_session: Session) -> tuple[int, Any]:
        rating, updated = service.save(
            db_session=db_session,
            request=body,
            customer_id=caller.customer_id,
            now=now,
            actor=caller.actor,
            by_bot=True,
        )
        answer = service.to_saved(rating, updated=updated)
        return (200 if updated else 201), answer.model_dump(mode="json")

    if idempotency_key is not None:
        return respond_once(
            database=database,
            key=idempotency_key,
            scope="rating",
            payload=[caller.actor, body.model_dump(mode="json")],
            write=write,
            response=response,
        )
    with database.session(write=True) as db_session:
        status_code, answer = write(db_session)
    response.status_code = status_code
    return answer


@router.get("/ratings/{conversation_id}", response_model=RatingRead)
def get_rating(
    conversation_id: str, _caller: ServiceOrStaffCaller, db_session: SessionDep
) -> RatingRead:
    """The conversation's rating."""
    rating = service.get_by_conversation_or_raise(
        db_session=db_session, conversation_id=conversation_id
    )
    return service.to_read(rating)
