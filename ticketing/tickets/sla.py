"""SLA targets in words: how long until a person replies, given the business hours."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ticketing.policy.schemas import BusinessHours, Policy
from ticketing.tickets.models import TicketPriority

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SEARCH_DAYS = 366


def first_response_minutes(priority: TicketPriority, policy: Policy) -> int | None:
    """The policy's first-response target for `priority` (None when it sets none)."""
    target = policy.sla.get(priority.value)
    return target.first_response_minutes if target else None


def minutes_in_words(minutes: int) -> str:
    """'30 minutes', '2 hours', '1 hour and 30 minutes'."""
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if rest or not hours:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " and ".join(parts)


def _is_working_day(day: date, hours: BusinessHours) -> bool:
    return WEEKDAYS[day.weekday()] in hours.days and day not in hours.holidays


def next_opening(now: datetime, hours: BusinessHours) -> datetime | None:
    """When the team is next at work, in the shop's timezone; None while it is open."""
    zone = ZoneInfo(hours.timezone)
    local = now.astimezone(zone)
    day = local.date()
    if _is_working_day(day, hours):
        if hours.open <= local.time() < hours.close:
            return None
        if local.time() < hours.open:
            return datetime.combine(day, hours.open, tzinfo=zone)
    for _ in range(_SEARCH_DAYS):
        day += timedelta(days=1)
        if _is_working_day(day, hours):
            return datetime.combine(day, hours.open, tzinfo=zone)
    return None  # no working day within a year: a broken calendar, make no promise about it


def _day_in_words(opening: datetime, now: datetime) -> str:
    days_ahead = (opening.date() - now.astimezone(opening.tzinfo).date()).days
    clock = f"{opening:%H:%M}"
    if days_ahead == 0:
        return f"today at {clock}"
    if days_ahead == 1:
        return f"tomorrow at {clock}"
    if days_ahead < 7:
        return f"on {opening:%A} at {clock}"
    return f"on {opening:%B} {opening.day} at {clock}"


def reply_time_in_words(priority: TicketPriority, policy: Policy, now: datetime) -> str:
    """'within 2 hours (business hours)', or when the team is away, when it is back."""
    minutes = first_response_minutes(priority, policy)
    wait = f"within {minutes_in_words(minutes)}" if minutes else "as soon as possible"
    opening = next_opening(now, policy.business_hours)
    if opening is None:
        return f"{wait} (business hours)" if minutes else wait
    return f"{wait} after we open {_day_in_words(opening, now)}"
