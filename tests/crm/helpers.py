"""Making ratings and reading the outbox in CRM tests."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from integrations.crm.models import CrmEvent
from ticketing.db import Database
from ticketing.feedback import service as feedback_service
from ticketing.feedback.schemas import RatingCreate


def rate(
    database: Database,
    conversation_id: str,
    score: int,
    *,
    now: datetime,
    comment: str | None = None,
) -> None:
    """Store a rating the way the API does, in its own transaction."""
    with database.session(write=True) as db_session:
        feedback_service.save(
            db_session=db_session,
            request=RatingCreate(
                conversation_id=conversation_id, score=score, comment=comment, channel="web"
            ),
            customer_id=None,
            now=now,
            actor="service:test",
        )


def outbox(database: Database) -> list[CrmEvent]:
    with database.session() as db_session:
        return list(db_session.scalars(select(CrmEvent).order_by(CrmEvent.created_at)))
