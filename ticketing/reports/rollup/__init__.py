"""Daily rollups behind the report pages, so a report reads at most a row per day and filter
value instead of every conversation of its range.

Writes mark the UTC days they touch (`marks.py`, on every ORM flush); a report first refreshes
the shop-local days those marks cover (`refresh.py`), then reads the rollups. A rollup row
keeps the local days of the later events a metric asks about "by the end of the range" (first
handoff, first bot resolution), so any range of whole local days gets the same numbers as the
raw rows.
"""
