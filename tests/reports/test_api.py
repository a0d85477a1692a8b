"""The reports API and page: who may see them, the JSON, the CSV and the HTML."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from tests.console.conftest import cookie_login
from tests.reports.conftest import RAW, bearer
from tests.reports.dataset import PASSWORD, Staff

WEEK = {"from": "2026-11-16", "to": "2026-11-22"}


def test_roles(client: TestClient, staff: Staff) -> None:  # noqa: ARG001 - seeded
    assert client.get("/api/reports/summary", params=WEEK).status_code == 401
    agent = client.get("/api/reports/summary", params=WEEK, headers=bearer(client, "ann"))
    assert agent.status_code == 403
    manager = client.get("/api/reports/summary", params=WEEK, headers=bearer(client, "mia"))
    assert manager.status_code == 200
    assert client.get("/api/reports/agents", headers=bearer(client, "bob")).status_code == 403


def test_summary_json_with_filters(client: TestClient, staff: Staff) -> None:
    headers = bearer(client, "mia")
    body = client.get("/api/reports/summary", params=WEEK, headers=headers).json()
    assert body["timezone"] == "Europe/Berlin"
    assert body["totals"]["conversations"] == 6
    assert body["totals"]["nps"] == 33.33
    assert body["previous"]["totals"]["nps"] is None  # no answers that week: unknown, not 0
    assert body["unavailable"] == {}
    filtered = client.get(
        "/api/reports/summary",
        params={**WEEK, "group": "week", "channel": "telegram", "agent": "ann"},
        headers=headers,
    ).json()
    assert filtered["filters"]["agent_id"] == staff.ann
    assert filtered["totals"]["conversations"] == 1  # C5: telegram and ann's
    by_id = client.get(
        "/api/reports/summary", params={**WEEK, "category": "payment"}, headers=headers
    ).json()
    assert by_id["totals"]["conversations"] == 1  # C3


def test_bad_input(client: TestClient, staff: Staff) -> None:  # noqa: ARG001 - seeded
    headers = bearer(client, "mia")
    reversed_range = {"from": "2026-11-22", "to": "2026-11-16"}
    answer = client.get("/api/reports/summary", params=reversed_range, headers=headers)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["code"] == "bad_range"
    unknown = client.get("/api/reports/summary", params={"agent": "nobody"}, headers=headers)
    assert unknown.json()["detail"][0]["code"] == "unknown_agent"
    bad = client.get("/api/reports/summary", params={"category": "x"}, headers=headers)
    assert bad.json()["detail"][0]["code"] == "unknown_category"
    empty = client.get(
        "/api/reports/summary", params={"category": "", "agent": ""}, headers=headers
    )
    assert empty.status_code == 200
    assert (
        client.get("/api/reports/summary", params={"group": "year"}, headers=headers).status_code
        == 422
    )


def test_agents_endpoint(client: TestClient, staff: Staff) -> None:  # noqa: ARG001 - seeded
    body = client.get("/api/reports/agents", params=WEEK, headers=bearer(client, "mia")).json()
    assert [(row["username"], row["handled"]) for row in body["agents"]] == [("ann", 1), ("bob", 1)]


def test_csv(client: TestClient, staff: Staff) -> None:  # noqa: ARG001 - seeded
    answer = client.get(
        "/api/reports/summary.csv", params={**WEEK, **RAW}, headers=bearer(client, "mia")
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [row["row"] for row in rows] == [f"2026-11-{d}" for d in range(16, 23)] + [
        "total",
        "previous",
    ]
    total, previous = rows[-2], rows[-1]
    assert (total["conversations"], total["csat"], total["backlog"]) == ("6", "0.6667", "2")
    assert (previous["from"], previous["csat"], previous["response_rate"]) == (
        "2026-11-09",
        "",
        "0.0",
    )
    assert (total["nps"], total["nps_answers"]) == ("33.33", "3")
    assert previous["nps"] == ""
    assert (total["sla_tickets"], total["sla_breaches"], total["sla_breach_rate"]) == (
        "4",
        "0",
        "0.0",
    )
    assert rows[2]["csat"] == ""  # Wednesday: no ratings


def test_cookie_session_reaches_the_api(client: TestClient, staff: Staff) -> None:  # noqa: ARG001
    cookie_login(client, "mia", PASSWORD)
    assert client.get("/api/reports/summary", params=WEEK).status_code == 200


def test_page_login_roles_and_content(client: TestClient, staff: Staff) -> None:  # noqa: ARG001
    anonymous = client.get("/reports/", follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == "/console/login?next=/reports/"
    cookie_login(client, "ann", PASSWORD)
    assert client.get("/reports/", params=WEEK).status_code == 403
    client.cookies.clear()
    cookie_login(client, "mia", PASSWORD)
    page = client.get("/reports/", params={**WEEK, "group": "week"})
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    html = page.text
    assert html.count("<svg") == 8  # the six before, the handoff and the SLA breach rate
    assert html.count('class="chart line-chart"') == 4  # the rates over time
    assert 'data-metric="conversations"' in html
    assert "not available yet" not in html  # every metric has its data now
    assert 'data-metric="nps"' in html
    assert "16 Nov – 22 Nov" in html  # week 47, as a person reads it
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")  # no CDN
    assert client.get("/reports/static/reports.js").status_code == 200
    assert client.get("/reports/static/nope.js").status_code == 404
