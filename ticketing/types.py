"""Column types shared by the domains: money in minor units and enums stored as strings."""

from __future__ import annotations

import enum
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import BigInteger, Enum
from sqlalchemy.types import TypeDecorator

CENT = Decimal("0.01")


def to_money(value: Decimal | int | str) -> Decimal:
    """A Decimal rounded to cents (half up), never a float."""
    if isinstance(value, float):
        raise TypeError("money must not be a float")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


class Money(TypeDecorator[Decimal]):
    """A Decimal amount stored exactly as an integer number of cents on every backend."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Any) -> int | None:  # noqa: ARG002
        if value is None:
            return None
        return int(to_money(value) * 100)

    def process_result_value(self, value: int | None, dialect: Any) -> Decimal | None:  # noqa: ARG002
        if value is None:
            return None
        return (Decimal(value) / 100).quantize(CENT)


def enum_column(enum_class: type[enum.Enum]) -> Enum:
    """A portable enum column: VARCHAR plus a CHECK constraint holding the enum's values."""
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=True,
        length=32,
        name=enum_class.__name__.lower(),
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )
