"""Fuzzing the report endpoints' dates and filters (Hypothesis), beyond what the schema-driven
fuzzer reaches: any date from year 1 to 9999, reversed or far apart, text that is no date, an
unknown team or agent. The JSON API must answer 200 or a 422 that says what is wrong, the page
200 or its form again with the error (HTML, 422), its at-risk section the same status: never
a 500."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.world import World
from ticketing.console.auth import SESSION_COOKIE

EXAMPLES = 60
PATHS = (
    "/api/reports/summary",
    "/api/reports/summary.csv",
    "/api/reports/agents",
    "/api/reports/at-risk",
    "/api/reports/training",
)

# Dates near the interesting edges (the supported span, the calendar's ends) and anywhere.
EDGES = [
    date(1, 1, 1),
    date(1999, 12, 31),
    date(2000, 1, 1),
    date(2100, 12, 31),
    date(9999, 12, 31),
]
DAYS = st.one_of(st.sampled_from(EDGES), st.dates(), st.dates(date(1999, 1, 1), date(2101, 12, 31)))
DATE_TEXT = st.one_of(
    DAYS.map(date.isoformat), st.just(""), st.text(max_size=12), st.sampled_from(["0000-01-01"])
)
QUERIES = st.fixed_dictionaries(
    {"from": DATE_TEXT, "to": DATE_TEXT},
    optional={
        "group": st.sampled_from(["day", "week", "month", "year", ""]),
        "team": st.sampled_from(["", "nobody", "Returns"]),
        "agent": st.sampled_from(["", "admin", "nobody", "0", "²", "9" * 25]),
    },
)
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _explains(answer: Any) -> bool:
    detail = answer.json()["detail"]
    return bool(detail) and all(entry["msg"] and entry["code"] for entry in detail)


@pytest.mark.slow
def test_report_api_dates(fuzz_client: tuple[TestClient, World]) -> None:
    client, world = fuzz_client
    headers = {"Authorization": f"Bearer {world.staff_token}"}

    @FUZZ_SETTINGS
    @given(query=QUERIES, path=st.sampled_from(PATHS))
    def fuzz(query: dict[str, str], path: str) -> None:
        answer = client.get(path, params=query, headers=headers)
        assert answer.status_code in {200, 422}, (query, answer.text)
        if answer.status_code == 422:
            assert _explains(answer), answer.text

    fuzz()


@pytest.mark.slow
def test_report_page_dates(fuzz_client: tuple[TestClient, World]) -> None:
    client, world = fuzz_client
    cookie = {"Cookie": f"{SESSION_COOKIE}={world.staff_token}"}

    @FUZZ_SETTINGS
    @given(query=QUERIES, fragment=st.booleans())
    def fuzz(query: dict[str, str], fragment: bool) -> None:
        answer = client.get("/reports/", params=query, headers=cookie)
        assert answer.status_code in {200, 422}, (query, answer.text)
        assert answer.headers["content-type"].startswith("text/html"), answer.text
        assert 'id="report-form"' in answer.text
        if answer.status_code == 422:
            assert 'class="field-error"' in answer.text
        # the at-risk section the page fetches after it shows
        params = {**query, "fragment": "1"} if fragment else query
        section = client.get("/reports/at-risk", params=params, headers=cookie)
        assert section.status_code == answer.status_code, (query, section.text)
        assert section.headers["content-type"].startswith("text/html"), section.text
        if section.status_code == 422:
            assert 'class="error"' in section.text

    fuzz()
