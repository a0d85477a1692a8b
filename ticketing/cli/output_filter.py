"""Which lines of a child's output reach the terminal: errors in full, the rest only to its log.

A line at ERROR or CRITICAL level, an exception printed on its own line and a whole Python
traceback (from "Traceback (most recent call last):" to the exception's own line) are shown; so
is everything under `--verbose`.
"""

from __future__ import annotations

import re

_ERROR_LEVEL = re.compile(r"\b(ERROR|CRITICAL|FATAL)\b")
# An exception printed on its own, as Rasa does before it exits ("RasaException: ..."),
# possibly in colour.
_EXCEPTION = re.compile(r"^(?:\x1b\[[0-9;]*m)*[\w.]*(?:Error|Exception|Exit): ")
_TRACEBACK = "Traceback (most recent call last):"
_CHAINED = (
    "During handling of the above exception",
    "The above exception was the direct cause",
)


class ErrorLines:
    """A stateful filter for one stream: `shows(line)` is True for lines the user must see."""

    def __init__(self) -> None:
        self.in_traceback = False
        self.after_exception = False  # a chained exception's header may follow

    def shows(self, line: str) -> bool:
        if self.in_traceback:
            # Frames are indented; the first line that is not is the exception, which ends it.
            if line[:1].isspace() or not line.strip() or line.startswith(_TRACEBACK):
                return True
            self.in_traceback = False
            self.after_exception = True
            return True
        if self.after_exception and (not line.strip() or line.startswith(_CHAINED)):
            return True
        self.after_exception = False
        if _TRACEBACK in line:
            self.in_traceback = True
            return True
        return bool(_ERROR_LEVEL.search(line) or _EXCEPTION.match(line))
