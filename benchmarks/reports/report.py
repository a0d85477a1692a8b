"""Markdown tables from results.json for RESULTS.md: the median of each case side by side for
several runs (labels), and the growth between two of them.

    .venv/bin/python benchmarks/reports/report.py --labels 100k,1M,100k-fixed,1M-fixed \\
        --growth 100k-fixed:1M-fixed
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
LIMIT_MS = 1000.0


def _cell(result: dict[str, Any] | None) -> str:
    if result is None:
        return "–"
    text = f"{result['median_ms']:,.0f}"
    return f"**{text}**" if result["max_ms"] >= LIMIT_MS else text


def comparison(stored: dict[str, Any], labels: list[str], growth: tuple[str, str] | None) -> str:
    by_label = {label: {r["case"]: r for r in stored[label]["results"]} for label in labels}
    cases: list[str] = []
    for label in labels:
        cases.extend(c for c in by_label[label] if c not in cases)
    header = ["range", "filter", "page", *(f"{label} ms" for label in labels)]
    if growth:
        header.append(f"{growth[1]} / {growth[0]}")
    lines = ["| " + " | ".join(header) + " |", "|---|---|---|" + "---:|" * (len(header) - 3)]
    for case in cases:
        range_name, filter_name, page = case.split(" ")
        row = [range_name, filter_name, page, *(_cell(by_label[lb].get(case)) for lb in labels)]
        if growth:
            small, big = by_label[growth[0]].get(case), by_label[growth[1]].get(case)
            ratio = big["median_ms"] / small["median_ms"] if small and big else None
            row.append("–" if ratio is None else f"{ratio:.1f}x")
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def summary(stored: dict[str, Any], labels: list[str]) -> str:
    lines = [
        "| run | conversations | DB size | cases >= 1 s (max) | median of medians ms "
        "| load before/after |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for label in labels:
        entry = stored[label]
        medians = sorted(r["median_ms"] for r in entry["results"])
        middle = medians[len(medians) // 2] if medians else 0
        load = entry["load_average"]
        lines.append(
            f"| {label} | {entry['database']['rows']['conversations']:,} | "
            f"{entry['database']['size']} | {entry['slow_cases']} of {len(entry['results'])} | "
            f"{middle:,.0f} | {load['before'][0]} / {load['after'][0]} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--labels", required=True, help="comma-separated keys of results.json")
    parser.add_argument("--growth", help="SMALL:BIG, a column with BIG's median / SMALL's")
    parser.add_argument("--input", type=Path, default=HERE / "results.json")
    args = parser.parse_args()
    stored = json.loads(args.input.read_text())
    labels = args.labels.split(",")
    missing = [label for label in labels if label not in stored]
    if missing:
        parser.error(f"not in {args.input}: {missing}; there are {sorted(stored)}")
    growth = tuple(args.growth.split(":", 1)) if args.growth else None
    print(summary(stored, labels))
    print()
    print(comparison(stored, labels, growth))  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main())
