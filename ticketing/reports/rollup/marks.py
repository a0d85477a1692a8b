"""Marking the UTC days a flush changes, for the next refresh of the rollups.

Every ORM flush of any session passes through `mark_changes`. A row the reports read marks the
days it is counted on (before and after a change of them): a conversation its start and
resolution, an event, message or rating its own moment, a ticket its creation, an order its
delivery.
An event or NPS answer also marks the day its conversation started; a resolution or reopening
the days the conversation was resolved. A conversation whose filters change (channel,
assignee, ticket, owner...) marks the days of its events and NPS answers and its ticket's
creation; a ticket whose category changes marks its conversations that way; a ticket event its
ticket's creation; a refund or return its order's delivery. A change of someone's team marks
every day (the reopened rate keeps who resolved before whom in a team). Bulk SQL that bypasses
the ORM must be followed by `supportbot reports rebuild`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from ticketing.conversations.models import Conversation, ConversationEvent, Message
from ticketing.db import utcnow
from ticketing.feedback.models import CsatRating
from ticketing.feedback.nps_models import NpsAnswer
from ticketing.orders.models import Order
from ticketing.refunds.models import Refund
from ticketing.reports.rollup.models import RollupMark
from ticketing.reports.rollup.reopen_days import RESOLUTIONS
from ticketing.returns.models import Return
from ticketing.staff.models import StaffUser
from ticketing.tickets.models import Ticket, TicketEvent

# model -> (the columns whose change matters, the columns holding the days it is counted on)
WATCHED: dict[type[Any], tuple[tuple[str, ...], tuple[str, ...]]] = {
    Conversation: (
        (
            "channel",
            "assignee_id",
            "ticket_id",
            "context",
            "contact_reason",
            "owner",
            "created_at",
            "resolved_at",
        ),
        ("created_at", "resolved_at"),
    ),
    ConversationEvent: (("kind", "at", "conversation_id", "staff_id", "data"), ("at",)),
    Message: (("created_at", "sender"), ("created_at",)),
    CsatRating: (("score", "created_at", "channel", "category", "agent_id"), ("created_at",)),
    NpsAnswer: (("score", "created_at", "channel", "agent_id", "conversation_id"), ("created_at",)),
    Ticket: (
        ("category", "priority", "channel", "assignee_id", "created_at"),
        ("created_at",),
    ),
    TicketEvent: (("kind", "ticket_id"), ()),
    Order: (("delivered_at",), ("delivered_at",)),
    StaffUser: (("team",), ()),
    Refund: (("status", "created_at", "order_id"), ()),
    Return: (("created_at", "order_id"), ()),
}


EVERY_DAY = date(1, 1, 1)  # a mark that makes the next refresh rebuild every day


def utc_day(moment: datetime | None) -> date:
    """The UTC date of `moment` (now when it is not set yet; naive means UTC)."""
    if moment is None:
        moment = utcnow()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).date()


def _values(instance: Any, name: str) -> list[Any]:
    """The attribute's value now and, when the flush changes it, before."""
    history = inspect(instance).attrs[name].history
    return [*history.added, *history.unchanged, *history.deleted]


def _touched(db_session: Session) -> Iterator[Any]:
    for obj in (*db_session.new, *db_session.deleted):
        if type(obj) in WATCHED:
            yield obj
    for obj in db_session.dirty:
        fields = WATCHED.get(type(obj), ((), ()))[0]
        state = inspect(obj)
        if any(state.attrs[name].history.has_changes() for name in fields):
            yield obj


def _days(db_session: Session, query: Any) -> set[date]:
    return {utc_day(moment) for moment in db_session.scalars(query) if moment is not None}


class _Collector:
    """The UTC days, conversations, tickets and orders a flush touches."""

    def __init__(self) -> None:
        self.days: set[date] = set()
        self.conversations: set[str] = set()  # every day of theirs
        self.started: set[str] = set()  # the day they started
        self.resolved: set[str] = set()  # the days they were resolved
        self.everything = False  # a change that reaches every day
        self.tickets: set[int] = set()
        self.orders: set[int] = set()

    def add(self, obj: Any) -> None:
        for name in WATCHED[type(obj)][1]:
            self.days.update(utc_day(v) for v in _values(obj, name) if v is not None)
        if isinstance(obj, Conversation):
            self.conversations.add(obj.id)
            self.tickets.update(t for t in _values(obj, "ticket_id") if t is not None)
        elif isinstance(obj, Ticket) and obj.id is not None:
            self.tickets.add(obj.id)
        elif isinstance(obj, TicketEvent):  # appended to `ticket.events`: no ticket_id yet
            self.tickets.update(_values(obj, "ticket_id"))
            self.tickets.update(t.id for t in _values(obj, "ticket") if t is not None)
        elif isinstance(obj, StaffUser):
            self.everything = True  # a team change: who resolved before whom in a team
        elif isinstance(obj, Refund | Return):
            self.orders.update(_values(obj, "order_id"))
        elif isinstance(obj, ConversationEvent | NpsAnswer):
            self.started.update(_values(obj, "conversation_id"))
            kinds = set(_values(obj, "kind")) if isinstance(obj, ConversationEvent) else set()
            if kinds & {"reopened", *RESOLUTIONS}:
                self.resolved.update(_values(obj, "conversation_id"))

    def linked_days(self, db_session: Session) -> set[date]:
        """Days of the rows the touched conversations, tickets and orders are counted with."""
        days: set[date] = set()
        tickets = {t for t in self.tickets if t is not None}
        if tickets:
            linked = select(Conversation.id).where(Conversation.ticket_id.in_(tickets))
            self.conversations.update(db_session.scalars(linked))
            days |= _days(db_session, select(Ticket.created_at).where(Ticket.id.in_(tickets)))
        ids = {c for c in self.conversations if c is not None}
        if ids:
            for column, key in (
                (Conversation.created_at, Conversation.id),
                (Conversation.resolved_at, Conversation.id),
                (ConversationEvent.at, ConversationEvent.conversation_id),
                (NpsAnswer.created_at, NpsAnswer.conversation_id),
            ):
                days |= _days(db_session, select(column).where(key.in_(ids)))
        started = {c for c in self.started if c is not None} - ids
        if started:
            query = select(Conversation.created_at).where(Conversation.id.in_(started))
            days |= _days(db_session, query)
        resolved = {c for c in self.resolved if c is not None} - ids
        if resolved:
            query = select(ConversationEvent.at).where(
                ConversationEvent.conversation_id.in_(resolved),
                ConversationEvent.kind.in_(RESOLUTIONS),
            )
            days |= _days(db_session, query)
        orders = {o for o in self.orders if o is not None}
        if orders:
            days |= _days(db_session, select(Order.delivered_at).where(Order.id.in_(orders)))
        return days


def changed_days(db_session: Session) -> set[date]:
    """The UTC days whose rollup rows the pending changes of `db_session` alter."""
    collector = _Collector()
    for obj in _touched(db_session):
        collector.add(obj)
    if collector.everything:
        return {EVERY_DAY}
    with db_session.no_autoflush:
        return collector.days | collector.linked_days(db_session)


def mark_changes(db_session: Session, _flush_context: Any, _instances: Any) -> None:
    db_session.add_all(RollupMark(utc_day=day) for day in sorted(changed_days(db_session)))


def install() -> None:
    """Mark changes on every session (idempotent)."""
    if not event.contains(Session, "before_flush", mark_changes):
        event.listen(Session, "before_flush", mark_changes)
