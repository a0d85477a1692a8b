"""When a person can answer: what the widget's greeting says about the team.

The bot answers at once; what a customer wants to know before asking for a person is when a
person would reply. That is the policy's first-response target for a handoff (normal priority:
a standard customer's request, as `tickets.priority` sets it) on the policy's business-hours
calendar, holidays included (`tickets.sla`), and whether agents are online in the console.
Nothing here is about a customer, so the answer is public and cacheable.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from integrations.webchat.schemas import ChatAvailability
from ticketing.agents.models import AgentState, Presence
from ticketing.policy.schemas import Policy
from ticketing.staff.models import StaffUser
from ticketing.tickets import sla
from ticketing.tickets.models import TicketPriority

HANDOFF_PRIORITY = TicketPriority.NORMAL  # a standard customer's "talk to a person"
MAX_CACHE_SECONDS = 60


def agents_online(db_session: Session) -> bool:
    """Whether any active agent is set to Online in the console (the presence toggle)."""
    count = db_session.scalar(
        select(func.count())
        .select_from(AgentState)
        .join(StaffUser, StaffUser.id == AgentState.staff_id)
        .where(AgentState.presence == Presence.ONLINE, StaffUser.active.is_(True))
    )
    return bool(count)


def zone_in_words(timezone: str) -> str:
    """`Europe/Berlin` -> `Berlin time`, `America/New_York` -> `New York time`, `UTC`."""
    place = timezone.rsplit("/", 1)[-1].replace("_", " ")
    return place if place.upper() in ("UTC", "GMT") else f"{place} time"


def _closes_at(now: datetime, policy: Policy) -> datetime:
    hours = policy.business_hours
    local = now.astimezone(ZoneInfo(hours.timezone))
    return datetime.combine(local.date(), hours.close, tzinfo=local.tzinfo)


def _text(is_open: bool, online: bool, reply_time: str, zone: str) -> str:
    if not is_open:
        return f"Our team is away right now: a person will reply {reply_time} ({zone})."
    if online:
        return f"Our team is online now: a person replies {reply_time}."
    return f"Need a person? A colleague replies {reply_time}."


def availability(policy: Policy, now: datetime, *, online: bool) -> ChatAvailability:
    """The team's availability at `now` for the greeting, in the shop's timezone."""
    hours = policy.business_hours
    opening = sla.next_opening(now, hours)
    is_open = opening is None
    minutes = sla.first_response_minutes(HANDOFF_PRIORITY, policy)
    reply_time = sla.reply_time_in_words(HANDOFF_PRIORITY, policy, now)
    zone = zone_in_words(hours.timezone)
    closes_at = _closes_at(now, policy) if is_open else None
    return ChatAvailability(
        open=is_open,
        agents_online=online,
        timezone=hours.timezone,
        zone_name=zone,
        reply_minutes=minutes,
        reply_time=reply_time,
        closes_at=closes_at,
        next_opening=opening,
        text=_text(is_open, online, reply_time, zone),
    )


def cache_seconds(answer: ChatAvailability, now: datetime) -> int:
    """How long the answer may be reused: a minute, less when the team opens or closes sooner."""
    change = answer.closes_at or answer.next_opening
    if change is None:
        return MAX_CACHE_SECONDS
    return max(0, min(MAX_CACHE_SECONDS, int((change - now) / timedelta(seconds=1))))
