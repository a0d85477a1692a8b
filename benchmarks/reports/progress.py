"""A progress line on stderr: done/total, rows written per second and the time left.

On a terminal the line redraws itself; in a log (not a tty) a line is printed every 10 s.
"""

from __future__ import annotations

import sys
import time


def _clock(seconds: float) -> str:
    seconds = max(int(seconds), 0)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


class Progress:
    def __init__(self, label: str, total: int, *, unit: str = "conversations") -> None:
        self.label, self.total, self.unit = label, total, unit
        self.started = self.shown = time.monotonic()
        self.tty = sys.stderr.isatty()
        self.done = self.rows = 0

    def update(self, done: int, rows: int) -> None:
        self.done, self.rows = done, rows
        now = time.monotonic()
        if now - self.shown >= (0.5 if self.tty else 10.0):
            self.shown = now
            self._show(now)

    def _show(self, now: float) -> None:
        elapsed = max(now - self.started, 1e-9)
        share = self.done / self.total if self.total else 1.0
        left = elapsed * (1 - share) / share if share > 0 else 0.0
        rate = f", {self.rows / elapsed:,.0f} rows/s" if self.rows else ""
        line = (
            f"{self.label}: {self.done:,}/{self.total:,} {self.unit} ({share:.0%}){rate}, "
            f"{_clock(elapsed)} elapsed, ETA {_clock(left)}"
        )
        print(
            ("\r" + line + "\x1b[K") if self.tty else line,
            end="" if self.tty else "\n",
            file=sys.stderr,
            flush=True,
        )

    def finish(self) -> float:
        """Final line; the seconds it took."""
        now = time.monotonic()
        self._show(now)
        if self.tty:
            print(file=sys.stderr)
        return now - self.started
