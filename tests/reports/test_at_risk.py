"""Customers at risk on the reports page and its API: a rating of 1-2, a reopened
conversation or repeated complaints in the period, each with why, a masked email and a link to
their history in the console; the filters apply where they can and the page says where not."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.console.conftest import cookie_login
from tests.reports.at_risk_data import People
from tests.reports.conftest import BERLIN, bearer
from tests.reports.dataset import PASSWORD, Staff
from ticketing.db import Database
from ticketing.reports.at_risk import AGENT_FILTER_NOTE, CUT_NOTE, MAX_DAYS, at_risk_table
from ticketing.reports.at_risk_html import SHOWN, at_risk_section
from ticketing.reports.filters import ReportFilter
from ticketing.tickets.models import TicketCategory

MON, SUN = date(2026, 11, 16), date(2026, 11, 22)
WEEK = {"from": MON.isoformat(), "to": SUN.isoformat(), "group": "day"}


def _table(db_session: Session, **filters: object) -> dict[str, object]:
    return at_risk_table(db_session, MON, SUN, ZoneInfo(BERLIN), ReportFilter(**filters))  # type: ignore[arg-type]


def _ids(table: dict[str, object]) -> list[int]:
    return [row["customer_id"] for row in table["customers"]]  # type: ignore[attr-defined,index]


def test_who_is_at_risk_and_why(database: Database, people: People) -> None:
    with database.session() as s:
        table = _table(s)
    assert _ids(table) == [people.rated, people.complained, people.reopened]  # most signs first
    assert table["count"] == 3 and table["notes"] == []
    rows = {row["customer_id"]: row for row in table["customers"]}  # type: ignore[attr-defined]
    assert rows[people.rated]["why"] == ["rated 1 of 5", "reopened a conversation"]
    assert rows[people.complained]["why"] == ["2 complaints"]
    assert rows[people.reopened]["why"] == ["reopened a conversation"]
    assert rows[people.rated]["email"] == "r***@example.org"
    assert rows[people.rated]["name"] == "Rita Rated"
    # the link opens their newest conversation, beside which the console shows their history
    assert rows[people.rated]["history_url"] == "/console/conversations/R2#customer-history"
    assert rows[people.complained]["history_url"] == "/console/conversations/K2#customer-history"


def test_the_filters_apply_where_they_can(database: Database, people: People, staff: Staff):
    with database.session() as s:
        # on Telegram Rita only reopened (her rating was on the web), a day before Otto
        assert _ids(_table(s, channel="telegram")) == [people.reopened, people.rated]
        assert _ids(_table(s, channel="web")) == [people.rated, people.complained]
        # only K1 has a logistics ticket: one complaint is not enough
        assert _ids(_table(s, category=TicketCategory.LOGISTICS)) == []
        by_ann = _table(s, agent_id=staff.ann)
        by_bob = _table(s, agent_id=staff.bob)
    # Ann was rated 1; reopenings have nobody's name, so the filter leaves them (and says so)
    assert _ids(by_ann) == [people.rated, people.reopened]
    assert by_ann["notes"] == [AGENT_FILTER_NOTE]
    # Bob had one of Clara's two complaints, and did not get Rita's rating
    assert _ids(by_bob) == [people.reopened, people.rated]


def test_a_limit_keeps_the_count(database: Database, people: People) -> None:  # noqa: ARG001
    with database.session() as s:
        table = at_risk_table(s, MON, SUN, ZoneInfo(BERLIN), ReportFilter(), limit=1)
    assert table["count"] == 3 and len(table["customers"]) == 1


def test_a_long_period_counts_its_last_92_days_and_says_so(database: Database, people: People):
    with database.session() as s:
        whole = at_risk_table(s, date(2026, 8, 23), SUN, ZoneInfo(BERLIN), ReportFilter())
        longer = at_risk_table(s, date(2026, 8, 22), SUN, ZoneInfo(BERLIN), ReportFilter())
        recent = at_risk_table(
            s, date(2026, 5, 1), date(2026, 11, 11), ZoneInfo(BERLIN), ReportFilter()
        )
    assert (whole["from"], whole["notes"]) == ("2026-08-23", [])  # exactly 92 days: all of it
    assert longer["from"] == "2026-08-23" and _ids(longer) == _ids(whole)
    assert longer["notes"] == [CUT_NOTE.format(days=MAX_DAYS, span="23 Aug – 22 Nov")]
    assert _ids(recent) == [people.fine]  # Finn's rating of 1 on 11 Nov is within the window


def _section(client: TestClient, **params: str) -> str:
    """The at-risk section as the reports page gets it: the page holds a placeholder whose
    `data-src` the page's script fetches with `fragment=1`."""
    html = client.get("/reports/", params=params).text
    placeholder = html.split('id="at-risk-card"')[1].split("</section>")[0]
    assert "Finding the customers at risk" in placeholder and "Rita" not in html
    src = placeholder.split('data-src="')[1].split('"')[0].replace("&amp;", "&")
    assert src.startswith("/reports/at-risk?from=")
    answer = client.get(src + "&fragment=1")
    assert answer.status_code == 200, answer.text
    assert answer.text.startswith('<section class="card" id="at-risk-card">')
    assert "<html" not in answer.text
    return answer.text


def test_the_page_shows_the_table_with_masked_emails(client: TestClient, people: People):  # noqa: ARG001
    cookie_login(client, "mia", PASSWORD)
    section = _section(client, **WEEK)
    assert "3 customers at risk" in section
    assert "Rita Rated" in section and "r***@example.org" in section
    assert "rita@example.org" not in section and "clara@example.org" not in section
    assert "Rated 1 of 5; reopened a conversation" in section
    assert 'href="/console/conversations/R2#customer-history"' in section
    assert "Finn Fine" not in section and "Una Once" not in section
    assert AGENT_FILTER_NOTE in _section(client, **WEEK, agent="1")


def test_the_section_on_its_own_page_and_who_may_see_it(
    client: TestClient,
    people: People,  # noqa: ARG001
) -> None:
    assert client.get("/reports/at-risk", params=WEEK, follow_redirects=False).status_code == 303
    cookie_login(client, "ann", PASSWORD)  # an agent
    assert client.get("/reports/at-risk", params=WEEK).status_code == 403
    cookie_login(client, "mia", PASSWORD)
    page = client.get("/reports/at-risk", params=WEEK)  # without JavaScript: a page of its own
    assert page.status_code == 200
    assert "<title>Customers at risk · supportbot</title>" in page.text
    assert page.text.count("Customers at risk</h") == 1  # one heading, the section's
    assert "Rita Rated" in page.text
    assert 'href="/reports/?from=2026-11-16&amp;to=2026-11-22&amp;group=day"' in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    backwards = client.get("/reports/at-risk", params={**WEEK, "from": "2026-11-30"})
    assert backwards.status_code == 422 and "Rita" not in backwards.text


def test_an_empty_period_says_so(client: TestClient, people: People) -> None:  # noqa: ARG001
    cookie_login(client, "mia", PASSWORD)
    section = _section(client, **{"from": "2026-10-01", "to": "2026-10-07"})
    assert "No customer at risk in this period." in section


def test_the_api_for_managers_only(client: TestClient, people: People) -> None:
    answer = client.get("/api/reports/at-risk", params=WEEK, headers=bearer(client, "mia"))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["from"], body["to"], body["count"]) == ("2026-11-16", "2026-11-22", 3)
    longer = client.get(
        "/api/reports/at-risk", params={**WEEK, "from": "2026-01-01"}, headers=bearer(client, "mia")
    ).json()
    assert longer["from"] == "2026-08-23" and longer["notes"][0].startswith("A longer period")
    assert [row["customer_id"] for row in body["customers"]][0] == people.rated
    assert all(
        "@example.org" in row["email"] and "***" in row["email"] for row in body["customers"]
    )
    refused = client.get("/api/reports/at-risk", params=WEEK, headers=bearer(client, "ann"))
    assert refused.status_code == 403


def test_the_page_lists_the_most_at_risk_and_says_how_many_there_are() -> None:
    customers = [
        {
            "customer_id": n,
            "name": f"Person {n}",
            "email": "p***@example.org",
            "why": ["rated 1 of 5"],
            "last_seen": "2026-11-20T09:00:00+00:00",
            "history_url": f"/console/conversations/web-{n}#customer-history",
        }
        for n in range(30)
    ]
    report = {"timezone": BERLIN, "at_risk": {"count": 30, "customers": customers, "notes": []}}
    html = at_risk_section(report)
    assert html.count("<tr data-customer=") == SHOWN == 25
    assert "30 customers at risk, the 25 most at risk shown." in html
    assert ">Person 0</a>" in html and "Person 25" not in html
    assert "<td>20 Nov</td>" in html  # the day in the shop's timezone
    assert at_risk_section({"timezone": BERLIN}) == ""  # a report built without the table
