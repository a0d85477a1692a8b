"""How much of an SLA target a ticket has used: business minutes, paused while the ticket
waits on the customer."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ticketing.policy.schemas import BusinessHours
from ticketing.tickets.models import Ticket, TicketStatus
from ticketing.tickets.sla import WEEKDAYS
from ticketing.tickets.status import STATUS_CHANGED

PAUSED_STATUSES = frozenset({TicketStatus.PENDING_CUSTOMER})

Interval = tuple[datetime, datetime]


def _working(day: date, hours: BusinessHours) -> bool:
    return WEEKDAYS[day.weekday()] in hours.days and day not in hours.holidays


def business_minutes(start: datetime, end: datetime, hours: BusinessHours) -> float:
    """Minutes between `start` and `end` that fall within the business calendar."""
    if end <= start:
        return 0.0
    zone = ZoneInfo(hours.timezone)
    day, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    total = timedelta()
    while day <= last:
        if _working(day, hours):
            opens = datetime.combine(day, hours.open, tzinfo=zone)
            closes = datetime.combine(day, hours.close, tzinfo=zone)
            overlap = min(end, closes) - max(start, opens)
            if overlap > timedelta():
                total += overlap
        day += timedelta(days=1)
    return total.total_seconds() / 60


def paused_intervals(ticket: Ticket, now: datetime) -> list[Interval]:
    """When the ticket waited on the customer, from its `status_changed` history; a pause
    still running ends at `now`."""
    intervals: list[Interval] = []
    paused_since: datetime | None = None
    for event in ticket.events:
        if event.kind != STATUS_CHANGED:
            continue
        entering = event.data.get("to") in PAUSED_STATUSES
        if entering and paused_since is None:
            paused_since = event.at
        elif not entering and paused_since is not None:
            intervals.append((paused_since, event.at))
            paused_since = None
    if paused_since is not None:
        intervals.append((paused_since, now))
    return intervals


def active_minutes(
    start: datetime, end: datetime, hours: BusinessHours, pauses: Iterable[Interval] = ()
) -> float:
    """Business minutes from `start` to `end`, less the business minutes of `pauses`."""
    total = business_minutes(start, end, hours)
    for pause_start, pause_end in pauses:
        total -= business_minutes(max(start, pause_start), min(end, pause_end), hours)
    return max(total, 0.0)


def elapsed_minutes(ticket: Ticket, end: datetime, hours: BusinessHours) -> float:
    """The business minutes the ticket has been running from creation to `end`, not counting
    time spent waiting on the customer."""
    return active_minutes(ticket.created_at, end, hours, paused_intervals(ticket, end))
