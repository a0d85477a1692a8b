"""Bad report input: the JSON API answers 422 with a message naming the field, never a 500;
the page shows the form again with the error next to that field, never a JSON page."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.console.conftest import cookie_login
from tests.reports.conftest import bearer
from tests.reports.dataset import PASSWORD, Staff

# (query, field at fault, code, words the message must contain)
BAD_QUERIES = [
    ({"from": "2026-11-22", "to": "2026-11-16"}, "from", "bad_range", "after"),
    ({"from": "0001-01-01", "to": "0002-12-30"}, "from", "date_out_of_range", "between"),
    ({"from": "9999-12-25", "to": "9999-12-31"}, "from", "date_out_of_range", "between"),
    ({"from": "9999-12-31"}, "from", "date_out_of_range", "2100"),
    ({"to": "0001-01-03"}, "to", "date_out_of_range", "2000"),
    ({"from": "1999-12-31", "to": "2000-01-06"}, "from", "date_out_of_range", "2000"),
    ({"from": "2100-12-30", "to": "2101-01-02"}, "to", "date_out_of_range", "2100"),
    ({"team": "nobody"}, "team", "unknown_team", "no team 'nobody'"),
    ({"agent": "nobody"}, "agent", "unknown_agent", "no agent 'nobody'"),
    ({"agent": "²"}, "agent", "unknown_agent", "no agent"),
    ({"agent": "9" * 30}, "agent", "unknown_agent", "no agent"),
    ({"category": "after-sales"}, "category", "unknown_category", "Unknown category"),
]
IDS = [next(iter(q.values())) + f"-{code}" for q, _, code, _ in BAD_QUERIES]


@pytest.mark.parametrize(("query", "field", "code", "words"), BAD_QUERIES, ids=IDS)
def test_api_refuses_with_the_field_and_a_message(
    client: TestClient,
    staff: Staff,  # noqa: ARG001 - seeded
    query: dict[str, str],
    field: str,
    code: str,
    words: str,
) -> None:
    headers = bearer(client, "mia")
    for path in ("/api/reports/summary", "/api/reports/summary.csv", "/api/reports/agents"):
        answer = client.get(path, params=query, headers=headers)
        assert answer.status_code == 422, (path, answer.text)
        [error] = answer.json()["detail"]
        assert (error["code"], error["loc"]) == (code, ["query", field])
        assert words in error["msg"]


@pytest.mark.parametrize(("query", "field", "code", "words"), BAD_QUERIES, ids=IDS)
def test_page_shows_the_form_again_with_the_error_at_the_field(
    client: TestClient,
    staff: Staff,  # noqa: ARG001 - seeded
    query: dict[str, str],
    field: str,
    code: str,  # noqa: ARG001 - the API test's
    words: str,
) -> None:
    cookie_login(client, "mia", PASSWORD)
    page = client.get("/reports/", params=query)
    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")
    html = page.text
    assert 'id="report-form"' in html
    message = re.search(rf'<span class="field-error" id="error-{field}">([^<]*)</span>', html)
    assert message is not None, html
    assert words.replace("'", "&#x27;") in message.group(1)
    assert re.search(rf'name="{field}" id="{field}" [^>]*aria-invalid="true"', html) or re.search(
        rf'<select name="{field}" id="{field}" aria-invalid="true"', html
    )
    assert 'role="alert"' in html
    assert "data-metric" not in html  # no figures for a query that is wrong
    for value in query.values():  # what the manager typed stays in the form
        assert f'value="{value}"' in html


@pytest.mark.parametrize(
    ("query", "field"),
    [({"from": "yesterday"}, "from"), ({"to": "2026-02-30"}, "to"), ({"group": "year"}, "group")],
)
def test_page_reads_unparsable_values_into_a_form_error(
    client: TestClient,
    staff: Staff,  # noqa: ARG001 - seeded
    query: dict[str, str],
    field: str,
) -> None:
    cookie_login(client, "mia", PASSWORD)
    page = client.get("/reports/", params=query)
    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")
    assert f'id="error-{field}"' in page.text


def test_a_date_near_the_limits_still_gives_a_report(client: TestClient, staff: Staff) -> None:  # noqa: ARG001
    headers = bearer(client, "mia")
    for query in ({"from": "2100-12-30"}, {"to": "2000-01-02"}, {"from": "2000-01-01"}):
        answer = client.get("/api/reports/summary", params=query, headers=headers)
        assert answer.status_code == 200, (query, answer.text)
