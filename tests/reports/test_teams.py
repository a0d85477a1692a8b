"""The team filter on the fixed dataset (tests/reports/dataset.py), hand-computed.

On top of the dataset: ann is in team `returns`, bob and the manager mia in `logistics`, and
a third agent, cy, joins `returns` with one conversation of her own:

  C7 web  Tue 17 13:00 created, 13:05 handoff (T6 other), 13:15 cy replies (FRT 600 s),
          13:45 cy resolves (resolution 2,700 s from creation); rated 3 (cy) 13:50

Team `returns` (ann + cy) over Mon 16 .. Sun 22: conversations C1, C5 (ann's), C7 (cy's).
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from fastapi.testclient import TestClient

from tests.console.conftest import cookie_login
from tests.reports.conftest import RAW, Report, bearer
from tests.reports.dataset import PASSWORD, Builder, Staff, at
from ticketing.conversations.models import Owner
from ticketing.db import Database
from ticketing.staff import service as staff_service
from ticketing.staff.models import StaffRole
from ticketing.tickets.models import TicketCategory

MON, SUN = date(2026, 11, 16), date(2026, 11, 22)
WEEK = {"from": "2026-11-16", "to": "2026-11-22"}


@pytest.fixture
def cy(database: Database, staff: Staff) -> int:
    """Teams for the dataset's staff, and cy with conversation C7."""
    with database.session(write=True) as s:
        for username, team in (("ann", "returns"), ("bob", "logistics"), ("mia", "logistics")):
            staff_service.set_team(db_session=s, username=username, team=team, actor="test")
        cy_id = staff_service.create(
            db_session=s,
            username="cy",
            display_name="Cy",
            password=PASSWORD,
            role=StaffRole.AGENT,
            team="returns",
        ).id
        b = Builder(s)
        t6 = b.ticket(TicketCategory.OTHER, at(17, 13, 5))
        b.conversation(
            "C7",
            "web",
            at(17, 13),
            owner=Owner.CLOSED,
            ticket_id=t6.id,
            assignee_id=cy_id,
            resolved_at=at(17, 13, 45),
        )
        b.event("C7", "bot_handoff", at(17, 13, 5))
        b.event("C7", "first_human_reply", at(17, 13, 15), staff=cy_id, seconds=600)
        b.event("C7", "resolved", at(17, 13, 45), staff=cy_id, seconds=2700)
        b.event("C7", "csat_requested", at(17, 13, 45), staff=cy_id)
        b.rating("C7", 3, at(17, 13, 50), "web", agent_id=cy_id, category=TicketCategory.OTHER)
        # ann's C1 stays hers: the dataset's staff ids are unchanged
        assert staff.ann != cy_id
    return cy_id


def test_team_totals(report: Report, cy: int) -> None:  # noqa: ARG001 - seeded
    totals = report(MON, SUN, team="returns")["totals"]
    assert totals["conversations"] == 3  # C1, C5 (ann), C7 (cy)
    assert (totals["handed_off"], totals["handoff_rate"]) == (3, 1.0)
    assert totals["contained"] == 0
    # ratings of the team's agents: C1 5 (ann), C7 3 (cy)
    assert (totals["ratings"], totals["ratings_positive"], totals["csat"]) == (2, 1, 0.5)
    assert (totals["surveys_sent"], totals["response_rate"]) == (2, 1.0)  # C1 (ann), C7 (cy)
    # first replies 600 (C1), 3600 (C5), 600 (C7): median 600, p90 600 + 0.8 * 3000, mean 1600
    assert totals["first_responses"] == 3
    assert (totals["frt_median_seconds"], totals["frt_p90_seconds"]) == (600, 3000)
    assert totals["frt_mean_seconds"] == 1600
    # resolutions of the team's conversations: C1 3600, C7 2700
    assert (totals["resolved"], totals["resolution_median_seconds"]) == (2, 3150)
    assert (totals["resolved_conversations"], totals["reopened_rate"]) == (2, 0.0)
    assert totals["backlog"] == 1  # C5
    # tickets of the team's conversations: T1, T4, T6; none breached
    assert (totals["sla_tickets"], totals["sla_breaches"]) == (3, 0)
    assert totals["orders_delivered"] == 4  # orders are not filtered


def test_a_team_is_the_sum_of_its_people(report: Report, staff: Staff, cy: int) -> None:
    team = report(MON, SUN, team="returns")["totals"]
    ann = report(MON, SUN, agent_id=staff.ann)["totals"]
    cy_alone = report(MON, SUN, agent_id=cy)["totals"]
    for key in ("conversations", "ratings", "surveys_sent", "first_responses", "resolved"):
        assert team[key] == ann[key] + cy_alone[key], key
    both = report(MON, SUN, team="returns", agent_id=cy)["totals"]
    assert both["conversations"] == 1  # C7: cy is in the team
    nobody = report(MON, SUN, team="logistics", agent_id=cy)["totals"]
    assert (nobody["conversations"], nobody["ratings"], nobody["csat"]) == (0, 0, None)


def test_logistics_is_bob_by_events_and_ratings(report: Report, cy: int) -> None:  # noqa: ARG001
    """bob acted on C3 but is not its assignee; mia (a manager) did nothing in the week."""
    totals = report(MON, SUN, team="logistics")["totals"]
    assert totals["conversations"] == 0  # nobody in logistics is a conversation's assignee
    assert (totals["ratings"], totals["csat"]) == (1, 0.0)  # C3 rated 2 (bob)
    assert totals["surveys_sent"] == 1  # C3's first survey (bob); the second was the bot's
    assert totals["frt_median_seconds"] == 3600
    assert (totals["resolved_conversations"], totals["reopened"]) == (1, 1)  # C3 reopened
    assert totals["backlog"] == 0


def test_agent_table_shows_and_filters_by_team(report: Report, cy: int) -> None:  # noqa: ARG001
    rows = report(MON, SUN)["agents"]
    assert [(r["username"], r["team"]) for r in rows] == [
        ("ann", "returns"),
        ("bob", "logistics"),
        ("cy", "returns"),
    ]
    returns = report(MON, SUN, team="returns")["agents"]
    assert [(r["username"], r["handled"], r["csat"]) for r in returns] == [
        ("ann", 1, 1.0),
        ("cy", 1, 0.0),
    ]


def test_api_csv_and_page(client: TestClient, cy: int) -> None:  # noqa: ARG001 - seeded
    headers = bearer(client, "mia")
    body = client.get("/api/reports/summary", params={**WEEK, "team": "Returns"}, headers=headers)
    assert body.status_code == 200, body.text
    assert body.json()["filters"]["team"] == "returns"
    assert body.json()["totals"]["conversations"] == 3
    assert "team" not in body.json()["unavailable"]
    assert "team_filter" in body.json()["definitions"]
    agents = client.get("/api/reports/agents", params={**WEEK, "team": "returns"}, headers=headers)
    assert [row["username"] for row in agents.json()["agents"]] == ["ann", "cy"]

    unknown = client.get("/api/reports/summary", params={**WEEK, "team": "sales"}, headers=headers)
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["code"] == "unknown_team"
    assert "logistics, returns" in unknown.json()["detail"][0]["msg"]
    everyone = client.get("/api/reports/summary", params={**WEEK, "team": ""}, headers=headers)
    assert everyone.json()["totals"]["conversations"] == 7  # C1..C7, no team filter

    answer = client.get(
        "/api/reports/summary.csv", params={**WEEK, "team": "returns", **RAW}, headers=headers
    )
    total = [row for row in csv.DictReader(io.StringIO(answer.text)) if row["row"] == "total"][0]
    assert (total["conversations"], total["csat"]) == ("3", "0.5")

    client.cookies.clear()
    cookie_login(client, "mia", PASSWORD)
    html = client.get("/reports/", params={**WEEK, "team": "returns"}).text
    assert '<select name="team" id="team">' in html
    assert '<option value="returns" selected>returns</option>' in html
    assert '<option value="logistics">logistics</option>' in html
    assert '<th scope="col">Team</th>' in html
    assert "team=returns" in html  # the CSV link keeps the filter
