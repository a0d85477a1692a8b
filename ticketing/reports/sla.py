"""SLA breach rate: of the tickets created in a bucket that have an SLA target, the share that
breached their first-response or resolution target.

A breach is the `sla_breached` step the SLA watch writes into the ticket's history (business
minutes, paused while waiting on the customer: the clock in tickets/sla_clock.py). It counts
whenever it happened, so a period's rate can still rise while its tickets are running: a
normal ticket's resolution target is a week of business hours, which a "by the end of the
range" cut-off would never see for tickets of the last days.

Read from the daily rollups (`rollup/sla_days.py`: how a ticket with several conversations
still counts once).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select, true
from sqlalchemy.orm import Session

from ticketing.policy.schemas import Policy
from ticketing.reports.filters import ReportFilter, by_staff, staff_matches
from ticketing.reports.periods import Bucket
from ticketing.reports.rollup.reading import in_days
from ticketing.reports.rollup.sla_days import SlaDay
from ticketing.reports.series import Row, Series, Tallies
from ticketing.reports.sqlmath import ratio
from ticketing.tickets.models import TicketPriority

ALL_PRIORITIES = frozenset(TicketPriority)


def priorities_with_targets(policy: Policy) -> frozenset[TicketPriority]:
    """The priorities the policy sets SLA targets for."""
    return frozenset(TicketPriority(priority) for priority in policy.sla)


def _channel_matches(filters: ReportFilter) -> ColumnElement[bool]:
    return true() if filters.channel is None else SlaDay.channel == filters.channel


def _single(scope: Select[Any], filters: ReportFilter) -> Select[Any]:
    """(day, breached, tickets) of the tickets whose conversations share one channel and
    assignee (or that have none), filtered on that pair."""
    rows = scope.add_columns(func.sum(SlaDay.tickets)).where(
        SlaDay.shared_ticket_id.is_(None), _channel_matches(filters)
    )
    return by_staff(rows, SlaDay.agent_id, filters).group_by(SlaDay.day, SlaDay.breached)


def _shared(
    db_session: Session, scope: Select[Any], filters: ReportFilter
) -> list[tuple[date, bool]]:
    """(day, breached) of each ticket whose conversations differ, when one of them matches
    the channel and one (maybe another) matches the agent or team."""
    rows = scope.add_columns(
        SlaDay.shared_ticket_id,
        _channel_matches(filters).label("channel_ok"),
        staff_matches(SlaDay.agent_id, filters).label("staff_ok"),
    ).where(SlaDay.shared_ticket_id.is_not(None))
    tickets: dict[int, tuple[date, bool]] = {}
    channel_ok: set[int] = set()
    staff_ok: set[int] = set()
    for day, breached, ticket_id, channel, staff in db_session.execute(rows):
        tickets[ticket_id] = (day, bool(breached))
        if channel:
            channel_ok.add(ticket_id)
        if staff:
            staff_ok.add(ticket_id)
    return [tickets[ticket_id] for ticket_id in sorted(channel_ok & staff_ok)]


def _row(counts: list[int]) -> Row:
    tickets, missed = counts
    return {
        "sla_tickets": tickets,
        "sla_breaches": missed,
        "sla_breach_rate": ratio(missed, tickets),
    }


def sla_breaches(
    db_session: Session,
    buckets: list[Bucket],
    filters: ReportFilter,
    priorities: Collection[TicketPriority] = ALL_PRIORITIES,
) -> Series:
    """A ticket counts once however many targets it missed. A ticket with a target has a
    priority the policy sets targets for, or was breached (its priority may have been raised
    since, or the policy changed). Read from the daily rollups."""
    scope = select(SlaDay.day, SlaDay.breached).where(
        in_days(SlaDay.day, buckets[0].first, buckets[-1].last),
        SlaDay.priority.in_(sorted(priorities)) | SlaDay.breached,
    )
    if filters.category is not None:
        scope = scope.where(SlaDay.category == filters.category)
    found = [
        (day, bool(breached), int(n))
        for day, breached, n in db_session.execute(_single(scope, filters))
    ]
    found += [(day, breached, 1) for day, breached in _shared(db_session, scope, filters)]
    counts = Tallies(buckets, 2)
    for day, breached, n in found:
        counts.add(counts.index(day), [n, n if breached else 0])
    return counts.series(_row)
