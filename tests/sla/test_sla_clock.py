"""Business minutes on the policy calendar, paused while a ticket waits on the customer."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from ticketing.policy.service import load_file
from ticketing.settings import REPO_ROOT
from ticketing.tickets.models import (
    Ticket,
    TicketCategory,
    TicketPriority,
    TicketSource,
    TicketStatus,
)
from ticketing.tickets.sla_clock import business_minutes, elapsed_minutes
from ticketing.tickets.status import set_status

BERLIN = ZoneInfo("Europe/Berlin")
HOURS = load_file(REPO_ROOT / "policy.yml").business_hours


def berlin(day: int, hour: int, minute: int = 0, month: int = 6) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=BERLIN)


def ticket_created(at: datetime) -> Ticket:
    return Ticket(
        number="T-100001",
        category=TicketCategory.LOGISTICS,
        priority=TicketPriority.NORMAL,
        status=TicketStatus.OPEN,
        source=TicketSource.HANDOFF,
        subject="Parcel lost",
        description="No news.",
        context={},
        created_at=at,
        updated_at=at,
        events=[],
    )


def test_a_weekend_counts_only_business_minutes():
    # Friday 17:00 -> Monday 10:00: the last hour of Friday and the first of Monday.
    assert business_minutes(berlin(19, 17), berlin(22, 10), HOURS) == 120


def test_nights_holidays_and_utc_instants():
    # Thursday 24 December 17:00 -> Monday 28 December 10:00; the 25th is a holiday.
    assert business_minutes(berlin(24, 17, month=12), berlin(28, 10, month=12), HOURS) == 120
    # Closed all along: Saturday to Sunday.
    assert business_minutes(berlin(20, 9), berlin(21, 18), HOURS) == 0
    # Instants in UTC are read on the Berlin calendar (09:00 UTC is 11:00 in summer).
    start = berlin(15, 9).astimezone(ZoneInfo("UTC"))
    assert business_minutes(start, berlin(15, 11), HOURS) == 120
    assert business_minutes(berlin(15, 11), berlin(15, 9), HOURS) == 0


def test_the_clock_pauses_while_the_ticket_waits_on_the_customer():
    ticket = ticket_created(berlin(15, 9))
    set_status(ticket=ticket, status=TicketStatus.PENDING_CUSTOMER, now=berlin(15, 10), actor="a")
    assert elapsed_minutes(ticket, berlin(15, 11), HOURS) == 60  # paused since 10:00
    assert elapsed_minutes(ticket, berlin(16, 15), HOURS) == 60  # still paused the next day
    set_status(ticket=ticket, status=TicketStatus.OPEN, now=berlin(15, 12), actor="customer")
    assert elapsed_minutes(ticket, berlin(15, 13), HOURS) == 120  # 9-10 and 12-13
    assert [e.kind for e in ticket.events] == ["status_changed", "status_changed"]
    assert ticket.events[0].data == {"from": "open", "to": "pending_customer"}


def test_setting_the_same_status_records_nothing():
    ticket = ticket_created(berlin(15, 9))
    assert not set_status(ticket=ticket, status=TicketStatus.OPEN, now=berlin(15, 10), actor="a")
    assert ticket.events == []
