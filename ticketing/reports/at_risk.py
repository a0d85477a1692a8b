"""Customers at risk of leaving, in a period: a low rating (1-2 of 5), a conversation they
reopened, or repeated complaints (2 or more conversations whose contact reason is a complaint).

Filters: channel and ticket category apply to all three signs (the rating's own, the
conversation's); agent and team to ratings (the rated agent) and complaints (the
conversation's assignee), not to reopenings (a reopened conversation is back with the bot,
nobody's). Customers are known only where a verification linked the conversation to them.
A period longer than `MAX_DAYS` counts its last `MAX_DAYS` days (and says so).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ticketing.conversations.bot_record import masked_email
from ticketing.conversations.models import Conversation, ConversationEvent
from ticketing.customers.models import Customer
from ticketing.feedback.models import CsatRating
from ticketing.reports.filters import ReportFilter, by_staff
from ticketing.reports.labels import span_label
from ticketing.reports.periods import Bucket, make_bucket
from ticketing.tickets.models import Ticket

LOW_SCORE = 2  # ratings of 1 or 2 out of 5
REPEATED = 2  # complaints in the period that make a customer at risk
SHOWN = 50  # rows on the page (the count says how many there are)
COMPLAINT_REASONS = ("complaint", "damaged_or_wrong_item", "late_delivery", "product_quality")
AGENT_FILTER_NOTE = "The agent and team filters do not apply to reopened conversations."
HISTORY_URL = "/console/conversations/{}#customer-history"
# Being at risk is about recent signs, and a two-year scan of complaints would cost the page
# its one second at a million conversations: a longer period counts its last 92 days.
MAX_DAYS = 92
CUT_NOTE = "A longer period counts its last {days} days here ({span})."


@dataclass
class AtRisk:
    """One customer and why they are at risk."""

    customer_id: int
    low_ratings: int = 0
    lowest_score: int | None = None
    reopened: int = 0
    complaints: int = 0
    last_seen: datetime | None = None
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def signs(self) -> int:
        return (self.low_ratings > 0) + (self.reopened > 0) + (self.complaints >= REPEATED)

    def why(self) -> list[str]:
        """The reasons in words, strongest first."""
        words = []
        if self.low_ratings:
            times = "" if self.low_ratings == 1 else f" ({self.low_ratings} times)"
            words.append(f"rated {self.lowest_score} of 5{times}")
        if self.reopened:
            words.append(
                "reopened a conversation"
                if self.reopened == 1
                else f"reopened {self.reopened} conversations"
            )
        if self.complaints >= REPEATED:
            words.append(f"{self.complaints} complaints")
        return words

    def seen(self, moment: datetime | None) -> None:
        if moment is not None and (self.last_seen is None or moment > self.last_seen):
            self.last_seen = moment


def _conversation_filters(stmt: Select[Any], filters: ReportFilter, *, staff: bool) -> Select[Any]:
    if filters.channel is not None:
        stmt = stmt.where(Conversation.channel == filters.channel)
    if filters.category is not None:
        stmt = stmt.join(Ticket, Ticket.id == Conversation.ticket_id).where(
            Ticket.category == filters.category
        )
    return by_staff(stmt, Conversation.assignee_id, filters) if staff else stmt


def _low_ratings(bucket: Bucket, filters: ReportFilter) -> Select[Any]:
    stmt = select(
        CsatRating.customer_id,
        func.count(),
        func.min(CsatRating.score),
        func.max(CsatRating.created_at),
    ).where(
        CsatRating.created_at >= bucket.start,
        CsatRating.created_at < bucket.end,
        CsatRating.score <= LOW_SCORE,
        CsatRating.customer_id.is_not(None),
    )
    if filters.channel is not None:
        stmt = stmt.where(CsatRating.channel == filters.channel)
    if filters.category is not None:
        stmt = stmt.where(CsatRating.category == filters.category)
    return by_staff(stmt, CsatRating.agent_id, filters).group_by(CsatRating.customer_id)


def _reopened(bucket: Bucket, filters: ReportFilter) -> Select[Any]:
    stmt = (
        select(
            Conversation.customer_id,
            func.count(func.distinct(ConversationEvent.conversation_id)),
            func.max(ConversationEvent.at),
        )
        .join(Conversation, Conversation.id == ConversationEvent.conversation_id)
        .where(
            ConversationEvent.kind == "reopened",
            ConversationEvent.at >= bucket.start,
            ConversationEvent.at < bucket.end,
            Conversation.customer_id.is_not(None),
        )
    )
    return _conversation_filters(stmt, filters, staff=False).group_by(Conversation.customer_id)


def _complaints(bucket: Bucket, filters: ReportFilter) -> Select[Any]:
    stmt = select(Conversation.customer_id, func.count(), func.max(Conversation.created_at)).where(
        Conversation.contact_reason.in_(COMPLAINT_REASONS),
        Conversation.created_at >= bucket.start,
        Conversation.created_at < bucket.end,
        Conversation.customer_id.is_not(None),
    )
    stmt = _conversation_filters(stmt, filters, staff=True)
    return stmt.group_by(Conversation.customer_id).having(func.count() >= REPEATED)


def customers_at_risk(
    db_session: Session, bucket: Bucket, filters: ReportFilter
) -> dict[int, AtRisk]:
    """Every customer at risk in `bucket`, by id (without their names)."""
    found: dict[int, AtRisk] = defaultdict(lambda: AtRisk(0))

    def of(customer_id: int) -> AtRisk:
        entry = found[customer_id]
        entry.customer_id = customer_id
        return entry

    for customer_id, n, lowest, last in db_session.execute(_low_ratings(bucket, filters)):
        entry = of(customer_id)
        entry.low_ratings, entry.lowest_score = int(n), int(lowest)
        entry.seen(last)
    for customer_id, n, last in db_session.execute(_reopened(bucket, filters)):
        entry = of(customer_id)
        entry.reopened = int(n)
        entry.seen(last)
    for customer_id, n, last in db_session.execute(_complaints(bucket, filters)):
        entry = of(customer_id)
        entry.complaints = int(n)
        entry.seen(last)
    return dict(found)


def _ranked(found: dict[int, AtRisk]) -> list[AtRisk]:
    def key(entry: AtRisk) -> tuple[int, int, float, int]:
        moment = entry.last_seen.timestamp() if entry.last_seen else 0.0
        worst = -(entry.lowest_score or 6)
        return (entry.signs, worst, moment, entry.customer_id)

    return sorted(found.values(), key=key, reverse=True)


def _latest_conversations(db_session: Session, customer_ids: list[int]) -> dict[int, str]:
    """Each customer's newest conversation (the console shows their history beside it)."""
    latest: dict[int, str] = {}
    if not customer_ids:
        return latest
    rows = db_session.execute(
        select(Conversation.customer_id, Conversation.id)
        .where(Conversation.customer_id.in_(customer_ids))
        .order_by(Conversation.customer_id, Conversation.created_at.desc(), Conversation.id)
    )
    for customer_id, conversation_id in rows:
        latest.setdefault(customer_id, conversation_id)
    return latest


def window(first: date, last: date, zone: ZoneInfo) -> tuple[Bucket, bool]:
    """The days the table counts: the period, or its last `MAX_DAYS` days when it is longer
    (and whether it was cut)."""
    start = max(first, last - timedelta(days=MAX_DAYS - 1))
    return make_bucket(start, last, zone), start != first


def at_risk_table(
    db_session: Session,
    first: date,
    last: date,
    zone: ZoneInfo,
    filters: ReportFilter,
    limit: int = SHOWN,
) -> dict[str, Any]:
    """The page's table for the local days `first`..`last` (at most their last `MAX_DAYS`):
    the `limit` most at-risk customers (most signs, lowest rating, most recent first) with a
    masked email, why, and where the console shows their history."""
    bucket, cut = window(first, last, zone)
    ranked = _ranked(customers_at_risk(db_session, bucket, filters))
    shown = ranked[:limit]
    ids = [entry.customer_id for entry in shown]
    people = (
        {
            row.id: row
            for row in db_session.execute(
                select(Customer.id, Customer.name, Customer.email).where(Customer.id.in_(ids))
            )
        }
        if ids
        else {}
    )
    latest = _latest_conversations(db_session, ids)
    rows = []
    for entry in shown:
        person = people.get(entry.customer_id)
        conversation = latest.get(entry.customer_id)
        rows.append(
            {
                "customer_id": entry.customer_id,
                "name": person.name if person else None,
                "email": masked_email(person.email) if person else None,
                "low_ratings": entry.low_ratings,
                "lowest_score": entry.lowest_score,
                "reopened": entry.reopened,
                "complaints": entry.complaints,
                "why": entry.why(),
                "last_seen": entry.last_seen.isoformat() if entry.last_seen else None,
                "history_url": HISTORY_URL.format(quote(conversation, safe=""))
                if conversation
                else None,
            }
        )
    notes = [AGENT_FILTER_NOTE] if filters.by_staff else []
    if cut:
        notes.insert(0, CUT_NOTE.format(days=MAX_DAYS, span=span_label(bucket.first, last)))
    return {
        "from": bucket.first.isoformat(),
        "to": last.isoformat(),
        "count": len(ranked),
        "customers": rows,
        "notes": notes,
    }
