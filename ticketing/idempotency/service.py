"""Run a write at most once per Idempotency-Key and replay its answer to every repeat.

The key's record is inserted in the same transaction as the write. A concurrent duplicate
either waits on the unique key (PostgreSQL) or on the write lock (SQLite, BEGIN IMMEDIATE),
then reads the stored answer instead of writing again.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ticketing.db import Database
from ticketing.errors import ConflictError, InvalidInputError
from ticketing.idempotency.models import IdempotencyRecord

KEY_PATTERN = re.compile(r"^[A-Za-z0-9._:\-]{8,200}$")


@dataclass(frozen=True)
class StoredAnswer:
    status_code: int
    body: Any
    replayed: bool


class _LostRace(Exception):
    """Another request with the same key committed first."""


def check_key(key: str | None) -> str:
    """The key, or a clear error when it is missing or malformed."""
    if not key:
        raise InvalidInputError(
            "This request changes data, so it needs an Idempotency-Key header "
            "(8-200 characters: letters, digits, '.', '_', ':', '-'); reuse it when you retry.",
            code="idempotency_key_missing",
        )
    if not KEY_PATTERN.match(key):
        raise InvalidInputError(
            "The Idempotency-Key must be 8-200 characters: letters, digits, '.', '_', ':', '-'.",
            code="idempotency_key_invalid",
        )
    return key


def fingerprint(scope: str, payload: Any) -> str:
    """A hash of what the request asks for, to catch a key reused for another request."""
    canonical = json.dumps([scope, payload], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _replay(record: IdempotencyRecord, request_hash: str) -> StoredAnswer:
    if record.request_hash != request_hash:
        raise ConflictError(
            "This Idempotency-Key was already used for a different request. "
            "Use a new key for a new request.",
            code="idempotency_key_reused",
        )
    return StoredAnswer(record.status_code or 200, record.response_body, replayed=True)


def _attempt(
    database: Database,
    key: str,
    scope: str,
    request_hash: str,
    write: Callable[[Session], tuple[int, Any]],
) -> StoredAnswer:
    with database.session(write=True) as db_session:
        existing = db_session.get(IdempotencyRecord, key)
        if existing is not None:
            return _replay(existing, request_hash)
        record = IdempotencyRecord(key=key, scope=scope, request_hash=request_hash)
        db_session.add(record)
        try:
            db_session.flush()
        except IntegrityError as exc:
            raise _LostRace from exc
        status_code, body = write(db_session)
        record.status_code = status_code
        record.response_body = body
        return StoredAnswer(status_code, body, replayed=False)


def run_once(
    *,
    database: Database,
    key: str,
    scope: str,
    payload: Any,
    write: Callable[[Session], tuple[int, Any]],
) -> StoredAnswer:
    """Run `write` once for `key`; a refused write (DomainError) stores nothing."""
    request_hash = fingerprint(scope, payload)
    try:
        return _attempt(database, key, scope, request_hash, write)
    except _LostRace:
        with database.session() as db_session:
            existing = db_session.get(IdempotencyRecord, key)
            if existing is None:  # the winner rolled back: nothing was written, try again
                return _attempt(database, key, scope, request_hash, write)
            return _replay(existing, request_hash)
