"""The report filters (channel, ticket category, agent, team), and the agent and team filters
as a WHERE clause on a column holding a staff member's id (rollups keep the other dimensions
as columns of their own)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, select, true

from ticketing.staff.models import StaffUser
from ticketing.tickets.models import TicketCategory


@dataclass(frozen=True)
class ReportFilter:
    """`agent_id` means the conversation's assignee (events: the staff member who acted;
    ratings: the rated agent); `team` means that person is in the team."""

    channel: str | None = None
    category: TicketCategory | None = None
    agent_id: int | None = None
    team: str | None = None

    @property
    def empty(self) -> bool:
        return (
            self.channel is None
            and self.category is None
            and self.agent_id is None
            and self.team is None
        )

    @property
    def by_staff(self) -> bool:
        return self.agent_id is not None or self.team is not None


def staff_matches(staff_id: Any, filters: ReportFilter) -> ColumnElement[bool]:
    """`staff_id` (a column holding a staff member's id) passes the agent and team filters."""
    conditions: list[ColumnElement[bool]] = []
    if filters.agent_id is not None:
        conditions.append(staff_id == filters.agent_id)
    if filters.team is not None:
        members = select(StaffUser.id).where(StaffUser.team == filters.team)
        conditions.append(staff_id.in_(members))
    return and_(true(), *conditions)


def by_staff(stmt: Select[Any], staff_id: Any, filters: ReportFilter) -> Select[Any]:
    """Restrict a statement by the agent and team of the staff member in `staff_id`."""
    return stmt.where(staff_matches(staff_id, filters)) if filters.by_staff else stmt
