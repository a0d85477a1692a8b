"""The HTTP side of idempotent writes: the header and the replayed answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Header, Response
from sqlalchemy.orm import Session

from ticketing.db import Database
from ticketing.idempotency import service

IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", description="Unique per intended change; reuse it to retry"),
]


def respond_once(
    *,
    database: Database,
    key: str | None,
    scope: str,
    payload: Any,
    write: Callable[[Session], tuple[int, Any]],
    response: Response,
) -> Any:
    """Run `write` once per key; repeats get the first answer with `Idempotent-Replayed: true`."""
    answer = service.run_once(
        database=database, key=service.check_key(key), scope=scope, payload=payload, write=write
    )
    response.status_code = answer.status_code
    if answer.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return answer.body
