"""The SLA watch warns once, escalates once, and leaves finished or paused tickets alone."""

from __future__ import annotations

import asyncio
from datetime import datetime

from sqlalchemy import select

from tests.conftest import Clock
from tests.factories import make_staff
from tests.sla.test_sla_clock import berlin
from ticketing.conversations.broker import make_broker
from ticketing.conversations.models import Conversation, Owner
from ticketing.db import Database
from ticketing.policy.service import load_file
from ticketing.settings import REPO_ROOT, Settings
from ticketing.staff.models import StaffRole
from ticketing.tickets.models import Ticket, TicketCategory, TicketSource, TicketStatus
from ticketing.tickets.priority import Severity
from ticketing.tickets.service import open_ticket
from ticketing.tickets.sla_runner import SlaRunner
from ticketing.tickets.sla_watch import check_all
from ticketing.tickets.status import set_status

POLICY = load_file(REPO_ROOT / "policy.yml")
MONDAY_9 = berlin(15, 9)  # normal priority: first response 480, resolution 2,400 minutes


def new_ticket(database: Database, *, at: datetime = MONDAY_9, subject: str = "Lost") -> str:
    with database.session(write=True) as s:
        ticket = open_ticket(
            db_session=s,
            source=TicketSource.HANDOFF,
            category=TicketCategory.LOGISTICS,
            severity=Severity.MEDIUM,
            subject=subject,
            description="No news for two weeks.",
            order=None,
            customer=None,
            conversation_id=f"conv-{subject}",
            channel="webchat",
            context={},
            now=at,
            actor="hub",
        )
        return ticket.number


def check(database: Database, now: datetime) -> list[tuple[str, str, str]]:
    with database.session(write=True) as s:
        actions = check_all(db_session=s, policy=POLICY, now=now)
    return [(a.kind, a.ticket, a.target) for a in actions]


def stored(database: Database, number: str) -> Ticket:
    with database.session() as s:
        ticket = s.scalars(select(Ticket).where(Ticket.number == number)).one()
        ticket.events  # noqa: B018 - loaded before the session closes
        ticket.assignee  # noqa: B018
        return ticket


def test_warns_once_then_escalates_once(database: Database):
    with database.session(write=True) as s:
        busy = make_staff(s, "busy-lead", StaffRole.MANAGER)
        make_staff(s, "free-lead", StaffRole.MANAGER)
        make_staff(s, "gone-lead", StaffRole.MANAGER).active = False
        make_staff(s, "agent", StaffRole.AGENT)
        busy_id = busy.id
    other = new_ticket(database, at=berlin(15, 17, 59), subject="other")
    with database.session(write=True) as s:
        s.scalars(select(Ticket).where(Ticket.number == other)).one().assignee_id = busy_id
    number = new_ticket(database)

    assert check(database, berlin(15, 15, 23)) == []  # 384 of 480 minutes left
    assert check(database, berlin(15, 15, 24)) == [("sla_warning", number, "first_response")]
    assert check(database, berlin(15, 16, 59)) == []
    assert check(database, berlin(15, 17)) == [("sla_breached", number, "first_response")]
    assert check(database, berlin(15, 17, 30)) == []

    ticket = stored(database, number)
    kinds = [e.kind for e in ticket.events]
    assert kinds == ["created", "sla_warning", "priority_raised", "assigned", "sla_breached"]
    assert ticket.priority == "high"
    assert ticket.assignee is not None and ticket.assignee.username == "free-lead"
    breach = ticket.events[-1].data
    assert breach["priority"] == ["normal", "high"]
    assert (breach["target_minutes"], breach["elapsed_minutes"]) == (480, 480)


def test_the_resolution_target_keeps_the_priority_before_escalation(database: Database):
    with database.session(write=True) as s:
        make_staff(s, "lead", StaffRole.MANAGER)
    number = new_ticket(database)
    assert check(database, berlin(15, 17)) == [("sla_breached", number, "first_response")]
    # 40 business hours (normal's target, not high's 16) of 9-hour days from Monday 9:00:
    # warned after 32 (Thursday 14:00), breached on Friday at 13:00.
    assert check(database, berlin(18, 13, 59)) == []
    assert check(database, berlin(18, 14)) == [("sla_warning", number, "resolution")]
    assert check(database, berlin(19, 12, 59)) == []
    assert check(database, berlin(19, 13)) == [("sla_breached", number, "resolution")]
    ticket = stored(database, number)
    assert ticket.priority == "urgent"
    assert [e.kind for e in ticket.events].count("assigned") == 1  # stays with its team lead
    assert check(database, berlin(29, 10)) == []


def test_without_a_team_lead_the_ticket_keeps_its_assignee(database: Database):
    number = new_ticket(database)
    assert check(database, berlin(15, 17)) == [("sla_breached", number, "first_response")]
    ticket = stored(database, number)
    assert ticket.assignee_id is None
    assert ticket.events[-1].data["assignee"] is None


def test_finished_and_paused_tickets_are_never_escalated(database: Database):
    resolved, waiting = new_ticket(database, subject="done"), new_ticket(database, subject="wait")
    with database.session(write=True) as s:
        for number, status in ((resolved, TicketStatus.RESOLVED), (waiting, "pending_customer")):
            ticket = s.scalars(select(Ticket).where(Ticket.number == number)).one()
            set_status(ticket=ticket, status=TicketStatus(status), now=berlin(15, 10), actor="a")
    assert check(database, berlin(29, 17)) == []
    assert [e.kind for e in stored(database, resolved).events] == ["created", "status_changed"]


def test_a_human_reply_on_the_conversation_stops_the_first_response_clock(database: Database):
    number = new_ticket(database)
    with database.session(write=True) as s:
        ticket = s.scalars(select(Ticket).where(Ticket.number == number)).one()
        s.add(
            Conversation(
                id="conv-Lost",
                channel="webchat",
                external_id="visitor-1",
                owner=Owner.HUMAN,
                ticket_id=ticket.id,
                first_human_reply_at=berlin(15, 10),
            )
        )
    assert check(database, berlin(15, 17)) == []


def test_the_runner_checks_and_tells_the_console(database: Database, settings: Settings):
    clock = Clock()
    clock.now = berlin(15, 17)
    number = new_ticket(database)
    broker = make_broker(None)

    async def one_round() -> list[dict[str, object]]:
        runner = SlaRunner(settings, database, clock, broker)
        async with broker.subscribe("console") as subscription:
            await runner.notify(await asyncio.to_thread(runner.run_once))
            events = []
            async for event in subscription:
                events.append(event)
                if event["type"] == "queue":
                    return events
        return events

    events = asyncio.run(one_round())
    assert [(e["type"], e.get("kind"), e.get("ticket")) for e in events] == [
        ("sla", "sla_breached", number),
        ("queue", None, None),
    ]
