"""ORM rows as plain JSON values: every column, so a column added later is exported too."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect


def jsonable(value: Any) -> Any:
    """A column value as JSON: times ISO 8601 (UTC), money as a decimal string, enums by value."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def as_dict(row: Any, **extra: Any) -> dict[str, Any]:
    """Every mapped column of `row`, plus `extra` (nested lists of related rows)."""
    mapper = inspect(row).mapper
    values = {attr.key: jsonable(getattr(row, attr.key)) for attr in mapper.column_attrs}
    return {**values, **extra}
