"""`supportbot digest`: a day's report next to the day before, as CSV or HTML."""

from __future__ import annotations

import argparse
import csv
import io
from datetime import date
from pathlib import Path

from tests.reports.dataset import Staff
from ticketing.cli import digest
from ticketing.db import Database
from ticketing.settings import Settings


def test_csv_digest_of_a_day(database: Database, staff: Staff, settings: Settings) -> None:  # noqa: ARG001
    text = digest.render(
        database, day=date(2026, 11, 16), fmt="csv", policy_file=settings.policy_file
    )
    rows = {row["row"]: row for row in csv.DictReader(io.StringIO(text))}
    assert set(rows) == {"2026-11-16", "total", "previous"}
    monday, sunday_before = rows["total"], rows["previous"]
    assert (monday["conversations"], monday["csat"], monday["resolution_median_seconds"]) == (
        "2",
        "1.0",
        "1950.0",
    )
    assert (sunday_before["from"], sunday_before["conversations"]) == ("2026-11-15", "0")


def test_html_digest_to_a_file(
    database: Database,
    staff: Staff,  # noqa: ARG001 - seeded
    settings: Settings,
    tmp_path: Path,
) -> None:
    parser = argparse.ArgumentParser()
    digest.add_parser(parser.add_subparsers())
    output = tmp_path / "digest.html"
    args = parser.parse_args(
        ["digest", "--date", "2026-11-21", "--format", "html", "--output", str(output)]
    )
    settings = settings.model_copy(
        update={"database_url": database.engine.url.render_as_string(hide_password=False)}
    )
    assert digest._run(args, settings) == 0
    html = output.read_text(encoding="utf-8")
    assert "Daily digest 2026-11-21" in html
    assert "<svg" in html
    assert 'data-metric="nps"' in html and 'data-metric="sla_breach_rate"' in html
    assert "<script" not in html
