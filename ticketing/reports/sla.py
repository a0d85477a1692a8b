"""SLA breach rate: of the tickets created in a bucket that have an SLA target, the share that
breached their first-response or resolution target.

A breach is the `sla_breached` step the SLA watch writes into the ticket's history (business
minutes, paused while waiting on the customer: the clock in tickets/sla_clock.py). It counts
whenever it happened, so a period's rate can still rise while its tickets are running: a
normal ticket's resolution target is a week of business hours, which a "by the end of the
range" cut-off would never see for tickets of the last days.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from ticketing.policy.schemas import Policy
from ticketing.reports.counting import in_range, sums_by_bucket
from ticketing.reports.filters import ReportFilter, on_ticket
from ticketing.reports.periods import Bucket, bucket_index
from ticketing.reports.sqlmath import ratio
from ticketing.tickets.models import Ticket, TicketEvent, TicketPriority
from ticketing.tickets.sla_watch import SLA_BREACHED

ALL_PRIORITIES = frozenset(TicketPriority)


def priorities_with_targets(policy: Policy) -> frozenset[TicketPriority]:
    """The priorities the policy sets SLA targets for."""
    return frozenset(TicketPriority(priority) for priority in policy.sla)


def sla_breaches(
    db_session: Session,
    buckets: list[Bucket],
    filters: ReportFilter,
    priorities: Collection[TicketPriority] = ALL_PRIORITIES,
) -> list[dict[str, Any]]:
    """A ticket counts once however many targets it missed. A ticket with a target has a
    priority the policy sets targets for, or was breached (its priority may have been raised
    since, or the policy changed)."""
    breached = (
        select(TicketEvent.id)
        .where(TicketEvent.ticket_id == Ticket.id, TicketEvent.kind == SLA_BREACHED)
        .exists()
    )
    with_target = Ticket.priority.in_(sorted(priorities)) | breached
    rows = select(bucket_index(Ticket.created_at, buckets), case((breached, 1), else_=0)).where(
        in_range(Ticket.created_at, buckets), with_target
    )
    counts = sums_by_bucket(db_session, on_ticket(rows, filters))
    result = []
    for index in range(len(buckets)):
        tickets, missed = counts.get(index, [0, 0])
        result.append(
            {
                "sla_tickets": tickets,
                "sla_breaches": missed,
                "sla_breach_rate": ratio(missed, tickets),
            }
        )
    return result
