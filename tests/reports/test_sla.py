"""SLA breach rate, hand-computed, with the breaches written by the real SLA watch.

Policy targets in business minutes (Mon-Fri 09:00-18:00 Europe/Berlin, 540 a day):
urgent 30 / 240, high 120 / 960, normal 480 / 2,400, low 960 / 4,800 (first response /
resolution). Times below are Berlin time, November 2026.

  F  normal  web SF (ann)       Wed 11 09:00, nobody answers: first response breached 17:00
  A  normal  web SA (ann)       Mon 16 09:00, nobody answers: first response breached 17:00,
                                resolution breached Fri 20 13:00 (4 x 540 + 240 = 2,400)
  C  urgent  web SC (ann)       Tue 17 10:00, ann replies 10:10 and waits on the customer
                                from 11:00 (60 minutes used); the customer writes Wed 18 10:00;
                                resolved 12:30 (60 + 150 = 210 < 240). Without the pause it
                                would have breached on Tue 17 at 14:00.
  D  normal  phone, no conversation, opened by bob (no first-response target)
                                Wed 18 09:00; resolution breached Tue 24 13:00, after the
                                week (3 x 540 + 540 + 240 = 2,400); the escalation gives it to
                                the team lead mia
  E  low     telegram SE (bob)  Thu 19 10:00, bob replies 10:30, resolved 12:00
  B  high    telegram SB (bob)  Fri 20 17:00; by Sunday evening 51 hours have passed but only
                                60 business minutes (Fri 17:00-18:00) of its 120: no breach;
                                resolved Mon 23 09:30 (90 minutes)

Week Mon 16 .. Sun 22: A, C, D, E, B created, A and D breached: 2 / 5 = 0.4. Previous week:
F, 1 / 1.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.console.conftest import cookie_login
from tests.reports.conftest import RAW, bearer
from tests.reports.dataset import PASSWORD
from ticketing.conversations.models import Conversation, CsatState, Owner
from ticketing.db import Database
from ticketing.policy.service import load_file
from ticketing.reports import summary
from ticketing.reports.filters import ReportFilter
from ticketing.reports.periods import Grouping, ReportRange
from ticketing.settings import REPO_ROOT
from ticketing.staff import service as staff_service
from ticketing.staff.models import StaffRole
from ticketing.tickets.models import (
    Ticket,
    TicketCategory,
    TicketPriority,
    TicketSource,
    TicketStatus,
)
from ticketing.tickets.sla_clock import active_minutes, elapsed_minutes
from ticketing.tickets.sla_watch import check_all
from ticketing.tickets.status import resume_on_customer_message, set_by_agent, set_status

POLICY = load_file(REPO_ROOT / "policy.yml")
BERLIN = ZoneInfo("Europe/Berlin")
MON, SUN = date(2026, 11, 16), date(2026, 11, 22)
WEEK = {"from": "2026-11-16", "to": "2026-11-22"}


def berlin(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=BERLIN)


@dataclass(frozen=True)
class People:
    ann: int
    bob: int
    mia: int


class Desk:
    """Opens tickets (with their conversation) and runs the SLA watch at given moments."""

    def __init__(self, database: Database, people: People) -> None:
        self.database = database
        self.people = people
        self.ids: dict[str, int] = {}

    def open(
        self,
        name: str,
        priority: TicketPriority,
        category: TicketCategory,
        created: datetime,
        *,
        channel: str,
        agent: int,
        conversation: bool = True,
        replied: datetime | None = None,
    ) -> None:
        with self.database.session(write=True) as s:
            ticket = Ticket(
                number=f"T-{name}",
                category=category,
                priority=priority,
                status=TicketStatus.NEW,
                source=TicketSource.HANDOFF if conversation else TicketSource.AGENT,
                subject=name,
                description=name,
                channel=channel,
                assignee_id=None if conversation else agent,
                context={},
                created_at=created,
                updated_at=created,
            )
            s.add(ticket)
            s.flush()
            self.ids[name] = ticket.id
            if conversation:
                s.add(
                    Conversation(
                        id=f"S{name}",
                        channel=channel,
                        external_id=f"S{name}",
                        owner=Owner.HUMAN,
                        csat_state=CsatState.NONE,
                        ticket_id=ticket.id,
                        assignee_id=agent,
                        context={},
                        created_at=created,
                        updated_at=created,
                        handed_off_at=created,
                        first_human_reply_at=replied,
                    )
                )

    def ticket(self, s: Session, name: str) -> Ticket:
        ticket = s.get(Ticket, self.ids[name])
        assert ticket is not None
        return ticket

    def status(self, name: str, status: TicketStatus, at: datetime, actor: str) -> None:
        with self.database.session(write=True) as s:
            set_status(ticket=self.ticket(s, name), status=status, now=at, actor=actor)

    def watch(self, at: datetime) -> list[tuple[str, str, str]]:
        with self.database.session(write=True) as s:
            actions = check_all(db_session=s, policy=POLICY, now=at)
        return [(a.kind, a.ticket, a.target) for a in actions]

    def elapsed(self, name: str, at: datetime) -> float:
        with self.database.session() as s:
            return elapsed_minutes(self.ticket(s, name), at, POLICY.business_hours)


@pytest.fixture
def people(database: Database) -> People:
    ids = {}
    with database.session(write=True) as s:
        for username, role, team in (
            ("ann", StaffRole.AGENT, "returns"),
            ("bob", StaffRole.AGENT, "logistics"),
            ("mia", StaffRole.MANAGER, "logistics"),
        ):
            user = staff_service.create(
                db_session=s,
                username=username,
                display_name=username.title(),
                password=PASSWORD,
                role=role,
                team=team,
            )
            ids[username] = user.id
    return People(**ids)


@pytest.fixture
def desk(database: Database, people: People) -> Desk:
    """The story of the module docstring, in order, checking the watch at every step."""
    d = Desk(database, people)
    web, telegram = {"channel": "web"}, {"channel": "telegram"}
    logistics = TicketCategory.LOGISTICS

    d.open("F", TicketPriority.NORMAL, logistics, berlin(11, 9), agent=people.ann, **web)
    assert d.watch(berlin(11, 17)) == [("sla_breached", "T-F", "first_response")]
    d.status("F", TicketStatus.RESOLVED, berlin(11, 17, 30), "staff:ann")

    d.open("A", TicketPriority.NORMAL, logistics, berlin(16, 9), agent=people.ann, **web)
    assert d.watch(berlin(16, 17)) == [("sla_breached", "T-A", "first_response")]

    replied = berlin(17, 10, 10)
    d.open(
        "C",
        TicketPriority.URGENT,
        TicketCategory.AFTER_SALES,
        berlin(17, 10),
        agent=people.ann,
        replied=replied,
        **web,
    )
    with database.session(write=True) as s:
        set_by_agent(
            s,
            ticket_id=d.ids["C"],
            status=TicketStatus.PENDING_CUSTOMER,
            now=berlin(17, 11),
            actor="staff:ann",
        )
    assert active_minutes(berlin(17, 10), berlin(17, 15), POLICY.business_hours) == 300
    assert d.watch(berlin(17, 15)) == []  # 300 > 240 wall-to-wall, but C waits on the customer
    assert d.elapsed("C", berlin(17, 15)) == 60

    d.open(
        "D",
        TicketPriority.NORMAL,
        logistics,
        berlin(18, 9),
        agent=people.bob,
        conversation=False,
        channel="phone",
    )
    with database.session(write=True) as s:
        assert resume_on_customer_message(s, ticket_id=d.ids["C"], now=berlin(18, 10))
    assert d.watch(berlin(18, 12)) == []  # C: 60 + 120 = 180 < 192 (the warning)
    d.status("C", TicketStatus.RESOLVED, berlin(18, 12, 30), "staff:ann")

    d.open(
        "E",
        TicketPriority.LOW,
        logistics,
        berlin(19, 10),
        agent=people.bob,
        replied=berlin(19, 10, 30),
        **telegram,
    )
    d.status("E", TicketStatus.RESOLVED, berlin(19, 12), "staff:bob")

    assert d.watch(berlin(20, 13)) == [("sla_breached", "T-A", "resolution")]  # D: 1,320

    d.open(
        "B",
        TicketPriority.HIGH,
        TicketCategory.PAYMENT,
        berlin(20, 17),
        agent=people.bob,
        **telegram,
    )
    assert d.watch(berlin(21, 18)) == []
    assert d.watch(berlin(22, 20)) == []
    assert d.elapsed("B", berlin(22, 20)) == 60  # 51 hours later, one business hour
    d.status("B", TicketStatus.RESOLVED, berlin(23, 9, 30), "staff:bob")

    assert d.watch(berlin(24, 12, 59)) == [("sla_warning", "T-D", "resolution")]
    assert d.watch(berlin(24, 13)) == [("sla_breached", "T-D", "resolution")]
    return d


def build(
    database: Database, first: date, last: date, group: Grouping = Grouping.DAY, **filters: Any
) -> dict[str, Any]:
    sla_priorities = filters.pop("sla_priorities", None)
    extra = {} if sla_priorities is None else {"sla_priorities": sla_priorities}
    with database.session() as s:
        return summary.build(
            database,
            s,
            ReportRange(first, last, group, "Europe/Berlin"),
            ReportFilter(**filters),
            **extra,
        )


def sla(row: dict[str, Any]) -> tuple[Any, Any, Any]:
    return row["sla_tickets"], row["sla_breaches"], row["sla_breach_rate"]


def test_the_watch_wrote_the_breaches(database: Database, desk: Desk) -> None:
    with database.session() as s:
        breaches = s.execute(
            select(Ticket.number, Ticket.priority, Ticket.assignee_id)
            .where(Ticket.id.in_([desk.ids[n] for n in "ACD"]))
            .order_by(Ticket.number)
        ).all()
        kinds = [e.kind for e in desk.ticket(s, "C").events]
    # each breach raised the priority one level and gave the ticket to the team lead
    assert [(n, p.value, a) for n, p, a in breaches] == [
        ("T-A", "urgent", desk.people.mia),
        ("T-C", "urgent", None),
        ("T-D", "high", desk.people.mia),
    ]
    assert kinds == ["status_changed", "status_changed", "status_changed"]  # no SLA step


def test_week_totals_previous_and_change(database: Database, desk: Desk) -> None:  # noqa: ARG001
    report = build(database, MON, SUN)
    assert sla(report["totals"]) == (5, 2, 0.4)
    previous = report["previous"]["totals"]
    assert sla(previous) == (1, 1, 1.0)
    assert report["change"]["sla_breach_rate"] == -0.6
    assert report["change"]["sla_breaches"] == 1


def test_by_day_and_week(database: Database, desk: Desk) -> None:  # noqa: ARG001
    days = build(database, MON, SUN)["series"]
    assert [sla(row) for row in days] == [
        (1, 1, 1.0),  # Mon: A
        (1, 0, 0.0),  # Tue: C, paused while waiting on the customer
        (1, 1, 1.0),  # Wed: D, breached the Tuesday after: counted all the same
        (1, 0, 0.0),  # Thu: E
        (1, 0, 0.0),  # Fri: B, the weekend is not business time
        (0, 0, None),
        (0, 0, None),
    ]
    weeks = build(database, date(2026, 11, 9), SUN, Grouping.WEEK)["series"]
    assert [sla(row) for row in weeks] == [(1, 1, 1.0), (5, 2, 0.4)]


def test_filters(database: Database, desk: Desk) -> None:
    people = desk.people

    def rate(**filters: Any) -> tuple[Any, Any, Any]:
        return sla(build(database, MON, SUN, **filters)["totals"])

    assert rate(channel="web") == (2, 1, 0.5)  # A, C
    assert rate(channel="telegram") == (2, 0, 0.0)  # E, B
    assert rate(channel="phone") == (1, 1, 1.0)  # D has no conversation: its own channel
    assert rate(category=TicketCategory.LOGISTICS) == (3, 2, 0.6667)  # A, D, E
    # agent: the conversation's assignee, kept when the escalation gives A to mia
    assert rate(agent_id=people.ann) == (2, 1, 0.5)  # A, C
    # D has no conversation: its own assignee, the team lead since its escalation
    assert rate(agent_id=people.bob) == (2, 0, 0.0)  # E, B
    assert rate(agent_id=people.mia) == (1, 1, 1.0)  # D
    assert rate(team="returns") == (2, 1, 0.5)
    assert rate(team="logistics") == (3, 1, 0.3333)  # E, B (bob), D (mia)
    assert rate(team="logistics", channel="telegram") == (2, 0, 0.0)


def test_only_priorities_with_targets_count(database: Database, desk: Desk) -> None:  # noqa: ARG001
    no_low = frozenset({TicketPriority.URGENT, TicketPriority.HIGH, TicketPriority.NORMAL})
    assert sla(build(database, MON, SUN, sla_priorities=no_low)["totals"]) == (4, 2, 0.5)
    # a ticket that was breached had a target, whatever the policy says now
    none = frozenset[TicketPriority]()
    assert sla(build(database, MON, SUN, sla_priorities=none)["totals"]) == (2, 2, 1.0)


def test_api_csv_and_page(client: TestClient, desk: Desk) -> None:  # noqa: ARG001 - seeded
    headers = bearer(client, "mia")
    body = client.get("/api/reports/summary", params=WEEK, headers=headers).json()
    assert sla(body["totals"]) == (5, 2, 0.4)
    assert sla(body["previous"]["totals"]) == (1, 1, 1.0)
    assert [row["sla_breach_rate"] for row in body["series"]][:2] == [1.0, 0.0]
    assert "sla_breach_rate" not in body["unavailable"]
    assert "business hours" in body["definitions"]["sla_breach_rate"]
    team = client.get(
        "/api/reports/summary", params={**WEEK, "team": "returns"}, headers=headers
    ).json()
    assert sla(team["totals"]) == (2, 1, 0.5)

    answer = client.get("/api/reports/summary.csv", params={**WEEK, **RAW}, headers=headers)
    rows = {row["row"]: row for row in csv.DictReader(io.StringIO(answer.text))}
    assert (rows["total"]["sla_tickets"], rows["total"]["sla_breaches"]) == ("5", "2")
    assert rows["total"]["sla_breach_rate"] == "0.4"
    assert rows["previous"]["sla_breach_rate"] == "1.0"
    assert rows["2026-11-21"]["sla_breach_rate"] == ""  # Saturday: no tickets, not 0

    cookie_login(client, "mia", PASSWORD)
    html = client.get("/reports/", params=WEEK).text
    card = html.split('data-metric="sla_breach_rate"')[1].split("</div>")[0]
    assert '<span class="value">40.0%</span>' in card
    assert "previous: 100.0%" in card
    assert 'aria-label="SLA breach rate"' in html  # its chart
    assert '<th scope="col">SLA breach rate</th>' in html  # and its column in the table by day
