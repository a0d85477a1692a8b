"""The CSV a manager opens: readable headers and periods, percentages beside the raw counts,
minutes; `?format=raw` keeps the machine-readable columns for integrations."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from tests.reports.conftest import RAW, bearer
from tests.reports.dataset import Staff

WEEK = {"from": "2026-11-16", "to": "2026-11-22"}


def _rows(client: TestClient, **params: str) -> list[dict[str, str]]:
    answer = client.get(
        "/api/reports/summary.csv", params={**WEEK, **params}, headers=bearer(client, "mia")
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(answer.text)))


def test_readable_headers_periods_counts_and_percentages(client: TestClient, staff: Staff) -> None:  # noqa: ARG001
    rows = _rows(client, group="week", **{"from": "2026-11-12"})
    assert [row["Period"] for row in rows] == [
        "12 Nov – 15 Nov (partial week, 4 days)",
        "16 Nov – 22 Nov",
        "Total",
        "Previous period",
    ]
    header = list(rows[0])
    assert not [name for name in header if "_" in name]  # no snake_case
    total = rows[2]
    assert (total["Ratings"], total["Ratings of 4 or 5"], total["CSAT (%)"]) == ("3", "2", "66.7")
    assert (total["Conversations"], total["Handed to a person"]) == ("7", "5")
    assert total["Handoff rate (%)"] == "71.4"
    report = client.get(
        "/api/reports/summary",
        params={**WEEK, "from": "2026-11-12"},
        headers=bearer(client, "mia"),
    ).json()["totals"]
    assert total["First response median (min)"] == f"{report['frt_median_seconds'] / 60:.1f}"
    assert total["Reopened rate (%)"] == f"{report['reopened_rate'] * 100:.1f}"
    assert rows[0]["CSAT (%)"] == ""  # no ratings that week: unknown, not 0


def test_order_columns_say_when_filters_do_not_apply(client: TestClient, staff: Staff) -> None:  # noqa: ARG001
    assert "Refund rate (%)" in _rows(client)[0]
    header = list(_rows(client, channel="telegram")[0])
    assert "Refund rate (%) (all orders: filters do not apply)" in header
    assert "CSAT (%)" in header


def test_raw_format_for_integrations(client: TestClient, staff: Staff) -> None:  # noqa: ARG001
    rows = _rows(client, **RAW)
    total = rows[-2]
    assert (total["row"], total["csat"], total["frt_median_seconds"]) == (
        "total",
        "0.6667",
        "3600.0",
    )
    answer = client.get(
        "/api/reports/summary.csv",
        params={**WEEK, "format": "xlsx"},
        headers=bearer(client, "mia"),
    )
    assert answer.status_code == 422
