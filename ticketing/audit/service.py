"""Writing the audit log; called inside the transaction of the change it records."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ticketing.audit.models import AuditEntry


def record(
    *,
    db_session: Session,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str | int,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an audit entry to the current transaction."""
    entry = AuditEntry(
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        changes=changes or {},
    )
    db_session.add(entry)
    return entry


def list_for(*, db_session: Session, entity_type: str, entity_id: str | int) -> list[AuditEntry]:
    """Every entry about one entity, oldest first."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == str(entity_id))
        .order_by(AuditEntry.id)
    )
    return list(db_session.scalars(query))
