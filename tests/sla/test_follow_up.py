"""A rating of 1 or 2 opens one follow-up task for a team lead; 3 and above open none."""

from __future__ import annotations

from sqlalchemy import select

from tests.api.test_ratings import open_ticket, rate, rating_body
from tests.factories import make_staff
from ticketing.db import Database
from ticketing.staff.models import StaffRole
from ticketing.tickets.models import Ticket, TicketSource


def follow_ups(database: Database) -> list[Ticket]:
    with database.session() as s:
        tickets = s.scalars(select(Ticket).where(Ticket.source == TicketSource.AGENT)).all()
        for ticket in tickets:
            ticket.assignee  # noqa: B018 - loaded before the session closes
            ticket.events  # noqa: B018
        return list(tickets)


def test_a_low_rating_opens_exactly_one_follow_up(client, service_headers, database: Database):
    with database.session(write=True) as s:
        make_staff(s, "lead", StaffRole.MANAGER)
    number = open_ticket(client, service_headers)
    body = rating_body(score=2, comment="Nobody helped.", ticket_number=number)
    assert rate(client, service_headers, body).status_code == 201
    assert rate(client, service_headers, rating_body(score=1)).status_code == 200  # changed
    assert rate(client, service_headers, rating_body(score=4)).status_code == 200
    assert rate(client, service_headers, rating_body(score=2)).status_code == 200

    [task] = follow_ups(database)
    assert task.context == {"follow_up_of": "conv-9", "score": 2, "ticket": number}
    assert task.conversation_id is None  # never taken for the conversation's own ticket
    assert task.assignee is not None and task.assignee.username == "lead"
    assert task.category == "logistics"
    assert task.priority == "high"
    assert "Nobody helped." in task.description
    assert [e.kind for e in task.events] == ["created", "assigned"]


def test_ratings_of_three_and_above_open_none(client, service_headers, database: Database):
    for score, conversation in ((3, "conv-a"), (4, "conv-b"), (5, "conv-c")):
        body = rating_body(score=score, conversation_id=conversation)
        assert rate(client, service_headers, body).status_code == 201
    assert follow_ups(database) == []


def test_without_a_team_lead_the_follow_up_waits_unassigned(client, service_headers, database):
    assert rate(client, service_headers, rating_body(score=1)).status_code == 201
    [task] = follow_ups(database)
    assert task.assignee_id is None
    assert task.context["ticket"] is None
    assert task.category == "other"
