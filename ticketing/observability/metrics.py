"""Prometheus metrics: counters fed by what the database commits, timings of HTTP requests and
bot turns, and gauges read from the database when `/metrics` is scraped.

Messages, conversation events (handoffs, resolutions, ratings...) and ticket events (SLA
warnings, breaches...) are counted when their transaction commits, so a rolled-back request
counts nothing and no domain code has to remember to count.

Several worker processes: set `PROMETHEUS_MULTIPROC_DIR` to a shared empty directory and every
worker's counters are summed on each scrape (prometheus_client's multiprocess mode).
"""

from __future__ import annotations

import os
from collections import Counter as Tally
from typing import Any

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from sqlalchemy import event
from sqlalchemy.orm import Session

REGISTRY = CollectorRegistry(auto_describe=True)

HTTP_REQUESTS = Counter(
    "supportbot_http_requests",
    "HTTP requests answered, by route template and status code",
    ["method", "route", "status"],
    registry=REGISTRY,
)
HTTP_SECONDS = Histogram(
    "supportbot_http_request_seconds",
    "Time to answer an HTTP request, by route template",
    ["method", "route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
    registry=REGISTRY,
)
BOT_TURN_SECONDS = Histogram(
    "supportbot_bot_turn_seconds",
    "Time Rasa took to answer one customer message (including custom actions)",
    ["outcome"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60),
    registry=REGISTRY,
)
MESSAGES = Counter(
    "supportbot_messages",
    "Conversation messages stored, by channel, direction and sender",
    ["channel", "direction", "sender"],
    registry=REGISTRY,
)
CONVERSATION_EVENTS = Counter(
    "supportbot_conversation_events",
    "Conversation events (bot_handoff, agent_assigned, resolved, csat_submitted ...)",
    ["kind"],
    registry=REGISTRY,
)
TICKET_EVENTS = Counter(
    "supportbot_ticket_events",
    "Ticket history steps (created, assigned, sla_warning, sla_breached, status_changed ...)",
    ["kind"],
    registry=REGISTRY,
)

VERIFICATION_REFUSALS = Counter(
    "supportbot_verification_refusals",
    "Refused verifications: no_match (order exists), unknown_order (what guessing order numbers "
    "looks like), locked (too many failures for the order, email, phone or asker), ip (the "
    "customer's address is locked), global (the whole shop is locked)",
    ["reason"],
    registry=REGISTRY,
)
VERIFICATION_LOCKOUTS = Counter(
    "supportbot_verification_lockouts",
    "Verification lock-outs started, by limit: ip (failures from one customer address) or "
    "global (failures of everyone in one minute); each further one within a day lasts longer",
    ["limit"],
    registry=REGISTRY,
)

_PENDING = "supportbot_metrics_pending"


def _pending(db_session: Session) -> Tally[tuple[Any, ...]]:
    tally: Tally[tuple[Any, ...]] = db_session.info.setdefault(_PENDING, Tally())
    return tally


def _after_flush(db_session: Session, _flush_context: Any) -> None:
    # Imported here: the models import the database layer, which imports nothing of this.
    from ticketing.conversations.models import ConversationEvent, Message
    from ticketing.tickets.models import TicketEvent

    tally = _pending(db_session)
    for instance in db_session.new:
        if isinstance(instance, Message):
            channel = instance.conversation_id.split("-", 1)[0]
            labels = (channel, str(instance.direction), str(instance.sender))
            tally[("message", *labels)] += 1
        elif isinstance(instance, ConversationEvent):
            tally[("conversation_event", instance.kind)] += 1
        elif isinstance(instance, TicketEvent):
            tally[("ticket_event", instance.kind)] += 1


def _after_commit(db_session: Session) -> None:
    tally = db_session.info.pop(_PENDING, None)
    for key, count in (tally or {}).items():
        family, *labels = key
        if family == "message":
            MESSAGES.labels(*labels).inc(count)
        elif family == "conversation_event":
            CONVERSATION_EVENTS.labels(*labels).inc(count)
        else:
            TICKET_EVENTS.labels(*labels).inc(count)


def _after_soft_rollback(db_session: Session, previous_transaction: Any) -> None:
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        db_session.info.pop(_PENDING, None)


def install() -> None:
    """Count committed rows of every session (idempotent)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", _after_soft_rollback)


def exposition() -> bytes:
    """The process's metrics, or every worker's in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest(REGISTRY)
