"""A metric family's numbers per bucket and over the whole range, from one pass over the
rollups: counts add up, so the whole range is the sum of its buckets (no second query)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ticketing.reports.periods import Bucket

Row = dict[str, Any]


@dataclass(frozen=True)
class Series:
    """One row of numbers per bucket, and the same numbers over all the buckets together."""

    buckets: list[Row]
    total: Row


class Tallies:
    """`width` counts per bucket and over all the buckets, added up row by row."""

    def __init__(self, buckets: list[Bucket], width: int) -> None:
        self._firsts = [bucket.first for bucket in buckets]
        self.per_bucket = [[0] * width for _ in buckets]
        self.total = [0] * width

    def index(self, day: date) -> int:
        """The bucket `day` falls in (the day must be in the range)."""
        return bisect_right(self._firsts, day) - 1

    def add(self, index: int, values: Sequence[int]) -> None:
        """Add `values` to bucket `index` and to the total."""
        tally = self.per_bucket[index]
        for position, value in enumerate(values):
            tally[position] += value
            self.total[position] += value

    def series(self, shape: Callable[[list[int]], Row]) -> Series:
        """Each bucket's counts and the total's, as `shape` turns counts into a row."""
        return Series([shape(counts) for counts in self.per_bucket], shape(self.total))
