"""Serialising writers about one conversation (a handoff, a rating) until their commit."""

from __future__ import annotations

import hashlib

from sqlalchemy import text
from sqlalchemy.orm import Session


def lock_conversation(db_session: Session, *, purpose: str, conversation_id: str) -> None:
    """Hold a lock on (`purpose`, `conversation_id`) for the rest of the transaction.

    Two requests about the same conversation then check-and-insert one after the other, so a
    duplicate becomes an update instead of a second row. SQLite writers already queue behind
    BEGIN IMMEDIATE; PostgreSQL takes a transaction-level advisory lock.
    """
    if db_session.get_bind().dialect.name != "postgresql":
        return
    digest = hashlib.sha256(f"{purpose}:{conversation_id}".encode()).digest()
    key = int.from_bytes(digest[:8], "big", signed=True)
    db_session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
