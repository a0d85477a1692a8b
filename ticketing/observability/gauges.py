"""Gauges read from the database on each scrape: what is waiting right now, shared by every
worker (so they are right however many processes serve `/metrics`)."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from integrations.crm.models import CrmEvent
from ticketing.agents.models import AgentState, Presence
from ticketing.conversations.models import Conversation, Owner
from ticketing.db import Database


def _count(db_session: Session, *conditions: object) -> int:
    return int(db_session.scalar(select(func.count()).where(*conditions)) or 0)  # type: ignore[arg-type]


def crm_outbox(db_session: Session) -> tuple[int, int]:
    """(pending, dead) CRM events."""
    pending = _count(db_session, CrmEvent.delivered_at.is_(None), CrmEvent.dead_at.is_(None))
    return pending, _count(db_session, CrmEvent.dead_at.is_not(None))


def read(db_session: Session) -> dict[str, tuple[str, float]]:
    """name -> (help, value)."""
    human = Conversation.owner == Owner.HUMAN
    pending, dead = crm_outbox(db_session)
    return {
        "supportbot_queue_waiting": (
            "Conversations handed to a person that nobody has claimed yet",
            _count(db_session, human, Conversation.assignee_id.is_(None)),
        ),
        "supportbot_conversations_with_people": (
            "Conversations owned by a person (the backlog)",
            _count(db_session, human),
        ),
        "supportbot_agents_online": (
            "Agents whose presence is online",
            _count(db_session, AgentState.presence == Presence.ONLINE),
        ),
        "supportbot_crm_outbox_pending": (
            "CRM events not delivered yet (retrying)",
            pending,
        ),
        "supportbot_crm_outbox_dead": (
            "CRM events given up on after every retry (see `supportbot crm`)",
            dead,
        ),
    }


class _Snapshot(Collector):
    def __init__(self, values: dict[str, tuple[str, float]]) -> None:
        self.values = values

    def collect(self) -> Iterator[GaugeMetricFamily]:
        for name, (documentation, value) in self.values.items():
            yield GaugeMetricFamily(name, documentation, value=value)


def exposition(database: Database) -> bytes:
    with database.session() as db_session:
        values = read(db_session)
    registry = CollectorRegistry()
    registry.register(_Snapshot(values))
    return generate_latest(registry)
