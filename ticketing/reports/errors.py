"""A report query the page can point at: the error names the form field (query parameter)."""

from __future__ import annotations

from typing import Any

from ticketing.errors import InvalidInputError


class ReportInputError(InvalidInputError):
    """Invalid report input (422); `field` is the query parameter at fault, also sent as `loc`."""

    def __init__(self, msg: str, *, code: str, field: str) -> None:
        super().__init__(msg, code=code)
        self.field = field

    def detail(self) -> dict[str, Any]:
        return {**super().detail(), "loc": ["query", self.field]}
