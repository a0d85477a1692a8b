"""Five customers around the report dataset's week (16-22 Nov 2026), three of them at risk:
the at-risk tests' `people` fixture (tests/reports/conftest.py) (API, page, browser)."""

from __future__ import annotations

from dataclasses import dataclass

from tests.factories import make_customer
from tests.reports.dataset import Builder, Staff, at
from ticketing.db import Database
from ticketing.tickets.models import TicketCategory


@dataclass(frozen=True)
class People:
    rated: int  # rated 1 on web (Ann) and reopened on telegram
    reopened: int  # reopened on telegram
    complained: int  # two complaints: late delivery (Bob's), damaged (nobody's), web
    once: int  # one complaint only: not at risk
    fine: int  # rated 3, and rated 1 the week before: not at risk


def seed_people(database: Database, staff: Staff) -> People:
    with database.session(write=True) as s:
        b = Builder(s)
        ids = [
            make_customer(s, name=name, email=f"{name.split()[0].lower()}@example.org").id
            for name in ("Rita Rated", "Otto Reopened", "Clara Complains", "Una Once", "Finn Fine")
        ]
        rated, reopened, complained, once, fine = ids
        b.conversation("R1", "web", at(17, 9), customer_id=rated, assignee_id=staff.ann)
        b.rating("R1", 1, at(17, 10), "web", agent_id=staff.ann, customer_id=rated)
        b.conversation("R2", "telegram", at(18, 9), customer_id=rated)
        b.event("R2", "reopened", at(19, 9))
        b.conversation("O1", "telegram", at(16, 9), customer_id=reopened)
        b.event("O1", "reopened", at(20, 9))
        ticket = b.ticket(TicketCategory.LOGISTICS, at(18, 12))
        b.conversation(
            "K1",
            "web",
            at(18, 11),
            customer_id=complained,
            contact_reason="late_delivery",
            ticket_id=ticket.id,
            assignee_id=staff.bob,
        )
        b.conversation(
            "K2", "web", at(21, 11), customer_id=complained, contact_reason="damaged_or_wrong_item"
        )
        b.conversation("U1", "web", at(18, 11), customer_id=once, contact_reason="complaint")
        b.conversation("F1", "web", at(18, 8), customer_id=fine)
        b.rating("F1", 3, at(18, 9), "web", customer_id=fine)
        b.conversation("F0", "web", at(11, 8), customer_id=fine)
        b.rating("F0", 1, at(11, 9), "web", customer_id=fine)  # the week before
    return People(*ids)
