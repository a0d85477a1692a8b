"""Which request and which conversation the code is working for, for every log line.

The middleware puts one mutable `RequestContext` in a context variable per request; code deeper
down (the hub) names the conversation on that same object, so lines the middleware logs after
the answer, in an outer task, see it too. Context variables follow a request into
`run_in_threadpool`.
"""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass
class RequestContext:
    request_id: str | None = None
    conversation_id: str | None = None


current: ContextVar[RequestContext | None] = ContextVar("supportbot_request", default=None)

_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def new_request_id(offered: str | None) -> str:
    """The caller's `X-Request-Id` when it is a safe token (a proxy's id), else a fresh one."""
    if offered and _SAFE_REQUEST_ID.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


def request_id() -> str | None:
    found = current.get()
    return found.request_id if found else None


def conversation_id() -> str | None:
    found = current.get()
    return found.conversation_id if found else None


def bind_conversation(conversation: str) -> None:
    """Log lines from here on, in this request or background task, name this conversation."""
    found = current.get()
    if found is None:
        current.set(RequestContext(conversation_id=conversation))
    else:
        found.conversation_id = conversation
