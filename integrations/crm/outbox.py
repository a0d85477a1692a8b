"""Putting events into the outbox (inside the caller's transaction) and managing the queue."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from integrations.crm.models import CrmEvent

EVENT_NAMESPACE = uuid.UUID("6f1d6c3e-5d0b-4c1e-9a57-2f0c7f1b9e21")


def event_id(kind: str, key: Iterable[object]) -> uuid.UUID:
    """A deterministic id: the same change replayed gives the same event id."""
    return uuid.uuid5(EVENT_NAMESPACE, "|".join([kind, *(str(part) for part in key)]))


def enqueue(
    db_session: Session,
    *,
    kind: str,
    data: dict[str, Any],
    now: datetime,
    key: Iterable[object] | None = None,
) -> CrmEvent:
    """Queue an event in the caller's transaction (a rollback queues nothing). With `key`, an
    event already queued under the same id is returned instead of being queued twice."""
    identifier = event_id(kind, key) if key is not None else uuid.uuid4()
    existing = db_session.get(CrmEvent, identifier)
    if existing is not None:
        return existing
    event = CrmEvent(
        id=identifier, kind=kind, payload=data, created_at=now, attempts=0, next_attempt_at=now
    )
    db_session.add(event)
    db_session.flush()
    return event


@dataclass(frozen=True)
class KindCounts:
    kind: str
    pending: int
    due: int
    delivered: int
    dead: int


def counts(db_session: Session, *, now: datetime) -> list[KindCounts]:
    """Events per kind: waiting (and of those, due now), delivered, given up."""
    waiting = CrmEvent.next_attempt_at.is_not(None)
    rows = db_session.execute(
        select(
            CrmEvent.kind,
            func.count().filter(waiting),
            func.count().filter(waiting, CrmEvent.next_attempt_at <= now),
            func.count().filter(CrmEvent.delivered_at.is_not(None)),
            func.count().filter(CrmEvent.dead_at.is_not(None)),
        )
        .group_by(CrmEvent.kind)
        .order_by(CrmEvent.kind)
    )
    return [
        KindCounts(kind, pending, due, delivered, dead)
        for kind, pending, due, delivered, dead in rows
    ]


def dead_events(db_session: Session, *, limit: int = 20) -> list[CrmEvent]:
    """The most recently given-up events."""
    return list(
        db_session.scalars(
            select(CrmEvent)
            .where(CrmEvent.dead_at.is_not(None))
            .order_by(CrmEvent.dead_at.desc())
            .limit(limit)
        )
    )


def retry_dead(db_session: Session, *, now: datetime, kind: str | None = None) -> int:
    """Queue the given-up events again with a fresh set of attempts; how many."""
    statement = (
        update(CrmEvent)
        .where(CrmEvent.dead_at.is_not(None))
        .values(dead_at=None, attempts=0, next_attempt_at=now)
    )
    if kind is not None:
        statement = statement.where(CrmEvent.kind == kind)
    result = db_session.execute(statement)
    return int(getattr(result, "rowcount", 0))
