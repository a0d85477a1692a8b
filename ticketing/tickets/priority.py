"""A ticket's priority from what went wrong, how badly, and who the customer is."""

from __future__ import annotations

import enum

from ticketing.customers.models import CustomerTier
from ticketing.tickets.models import TicketCategory, TicketPriority


class Severity(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


PRIORITY_ORDER = (
    TicketPriority.LOW,
    TicketPriority.NORMAL,
    TicketPriority.HIGH,
    TicketPriority.URGENT,
)
_BY_SEVERITY = {
    Severity.CRITICAL: TicketPriority.URGENT,
    Severity.HIGH: TicketPriority.HIGH,
    Severity.MEDIUM: TicketPriority.NORMAL,
    Severity.LOW: TicketPriority.LOW,
}
_RAISED_TIERS = frozenset({CustomerTier.GOLD, CustomerTier.VIP})


def raised(priority: TicketPriority, levels: int = 1) -> TicketPriority:
    """`priority` moved up by `levels`, never above urgent."""
    index = min(PRIORITY_ORDER.index(priority) + levels, len(PRIORITY_ORDER) - 1)
    return PRIORITY_ORDER[index]


def at_least(priority: TicketPriority, floor: TicketPriority) -> TicketPriority:
    """The higher of the two."""
    return max(priority, floor, key=PRIORITY_ORDER.index)


def ticket_priority(
    category: TicketCategory, severity: Severity, tier: CustomerTier
) -> TicketPriority:
    """The priority a new ticket gets.

    First from severity and category (standard and silver customers):

        severity   payment  logistics  product_quality  after_sales  other
        critical   urgent   urgent     urgent           urgent       urgent
        high       high     high       high             high         high
        medium     normal   normal     normal           normal       normal
        low        normal   low        low              low          low

    Payment problems are never low: money taken by mistake is always worth a prompt look.
    Then gold and VIP customers are raised by one level (urgent stays urgent).
    """
    priority = _BY_SEVERITY[severity]
    if category == TicketCategory.PAYMENT:
        priority = at_least(priority, TicketPriority.NORMAL)
    if tier in _RAISED_TIERS:
        priority = raised(priority)
    return priority
