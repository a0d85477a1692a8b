"""Reading the report's query string: the range (shop-local dates), grouping and filters, and
from the policy, which ticket priorities have SLA targets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from ticketing.deps import NowDep, PolicyDep
from ticketing.reports.errors import ReportInputError
from ticketing.reports.filters import ReportFilter
from ticketing.reports.labels import day_label
from ticketing.reports.periods import MAX_BUCKETS, Grouping, ReportRange, split
from ticketing.reports.sla import ALL_PRIORITIES, priorities_with_targets
from ticketing.staff import service as staff_service
from ticketing.staff.models import StaffUser
from ticketing.tickets.models import TicketCategory, TicketPriority

MAX_DAYS = 731
DEFAULT_DAYS = 7
EARLIEST = date(2000, 1, 1)  # a report's dates stay in this span (no date arithmetic overflows)
LATEST = date(2100, 12, 31)


@dataclass(frozen=True)
class ReportQuery:
    first: date | None
    last: date | None
    group: Grouping
    channel: str | None
    category: TicketCategory | None
    agent: str | None
    timezone: str
    today: date
    team: str | None = None
    sla_priorities: frozenset[TicketPriority] = ALL_PRIORITIES


def report_query(
    policy: PolicyDep,
    now: NowDep,
    first: Annotated[date | None, Query(alias="from", description="First day (shop time)")] = None,
    last: Annotated[date | None, Query(alias="to", description="Last day, inclusive")] = None,
    group: Grouping = Grouping.DAY,
    channel: Annotated[str | None, Query(max_length=50)] = None,
    category: Annotated[
        str | None, Query(max_length=32, description="Ticket category (empty: all)")
    ] = None,
    agent: Annotated[str | None, Query(max_length=100, description="Username or id")] = None,
    team: Annotated[str | None, Query(max_length=100, description="Team name (empty: all)")] = None,
) -> ReportQuery:
    today = now.astimezone(ZoneInfo(policy.timezone)).date()
    return ReportQuery(
        first,
        last,
        group,
        channel or None,
        _category(category),
        agent or None,
        policy.timezone,
        today,
        team=team.strip().lower() if team and team.strip() else None,
        sla_priorities=priorities_with_targets(policy),
    )


def _category(value: str | None) -> TicketCategory | None:
    if not value:
        return None
    try:
        return TicketCategory(value)
    except ValueError as error:
        choices = ", ".join(c.value for c in TicketCategory)
        raise ReportInputError(
            f"Unknown category {value!r}; use one of {choices}.",
            code="unknown_category",
            field="category",
        ) from error


def make_range(
    *, first: date | None, last: date | None, group: Grouping, timezone: str, today: date
) -> ReportRange:
    """Defaults: the last 7 days up to today. Refuses dates outside 2000-2100, reversed and
    over-long ranges."""
    _within_years(first, "from")
    _within_years(last, "to")
    last = last or (min(first + timedelta(days=DEFAULT_DAYS - 1), LATEST) if first else today)
    first = first or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise ReportInputError(
            f"“From” ({day_label(first, year=True)}) is after “To” ({day_label(last, year=True)}): "
            "choose a start date on or before the end date.",
            code="bad_range",
            field="from",
        )
    if (last - first).days >= MAX_DAYS:
        raise ReportInputError(
            f"Choose at most {MAX_DAYS} days.", code="range_too_long", field="to"
        )
    try:
        split(first, last, group, ZoneInfo(timezone))
    except ValueError as error:
        raise ReportInputError(
            f"{error} (at most {MAX_BUCKETS}).", code="too_many_buckets", field="group"
        ) from error
    return ReportRange(first, last, group, timezone)


def _within_years(day: date | None, field: str) -> None:
    if day is not None and not EARLIEST <= day <= LATEST:
        raise ReportInputError(
            f"Choose a date between {day_label(EARLIEST, year=True)} and "
            f"{day_label(LATEST, year=True)} ({day.isoformat()} is outside).",
            code="date_out_of_range",
            field=field,
        )


def _is_id(agent: str) -> bool:
    """Digits that fit a database id (not "²", not 30 digits)."""
    return agent.isascii() and agent.isdigit() and len(agent) <= 9


def agent_id(db_session: Session, agent: str | None) -> int | None:
    if agent is None:
        return None
    found = db_session.scalar(
        select(StaffUser.id).where(
            StaffUser.id == int(agent) if _is_id(agent) else StaffUser.username == agent
        )
    )
    if found is None:
        raise ReportInputError(
            f"There is no agent {agent!r}: choose one from the list.",
            code="unknown_agent",
            field="agent",
        )
    return found


def team_name(db_session: Session, team: str | None) -> str | None:
    """The team, which someone must be in."""
    if team is None:
        return None
    if team not in staff_service.teams(db_session=db_session):
        known = ", ".join(staff_service.teams(db_session=db_session)) or "none yet"
        raise ReportInputError(
            f"There is no team {team!r} (teams: {known}).", code="unknown_team", field="team"
        )
    return team


def resolve(db_session: Session, query: ReportQuery) -> tuple[ReportRange, ReportFilter]:
    report_range = make_range(
        first=query.first,
        last=query.last,
        group=query.group,
        timezone=query.timezone,
        today=query.today,
    )
    filters = ReportFilter(
        query.channel,
        query.category,
        agent_id(db_session, query.agent),
        team_name(db_session, query.team),
    )
    return report_range, filters
