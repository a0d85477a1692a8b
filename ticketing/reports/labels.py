"""What a person reads instead of internal codes: categories, channels, contact reasons and
report periods ("30 Nov – 6 Dec", with a note when a week or month is cut by the range)."""

from __future__ import annotations

from datetime import date, timedelta

from ticketing.reports.periods import Grouping
from ticketing.tickets.models import TicketCategory

CATEGORY_LABELS = {
    TicketCategory.PRODUCT_QUALITY.value: "Product quality",
    TicketCategory.LOGISTICS.value: "Delivery and logistics",
    TicketCategory.AFTER_SALES.value: "After-sales",
    TicketCategory.PAYMENT.value: "Payment",
    TicketCategory.OTHER.value: "Other",
}
CHANNEL_LABELS = {"web": "Web chat", "telegram": "Telegram", "rest": "Other (API)"}
# The bot's tasks (`conversations.contact_reason.TASK_REASONS`) as a manager names them.
TASK_LABELS = {
    "order_status": "Where is my order",
    "late_delivery": "Late delivery",
    "cancel_order": "Cancel an order",
    "change_shipping_address": "Change the delivery address",
    "return_item": "Return an item",
    "exchange_item": "Exchange an item",
    "refund_request": "Ask for a refund",
    "refund_status": "Where is my refund",
    "damaged_or_wrong_item": "Damaged or wrong item",
    "payment_issue": "Payment problem",
    "complaint": "Complaint",
    "ask_policy": "Question about the shop's policies",
    "delivery_options": "Delivery options",
    "feedback": "Feedback",
}
REASON_LABELS = {**CATEGORY_LABELS, **TASK_LABELS, "unrecorded": "Not recorded"}


def humanize(code: str) -> str:
    """'order_status' -> 'Order status'."""
    words = code.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else code


def category_label(code: str) -> str:
    return CATEGORY_LABELS.get(code) or humanize(code)


def channel_label(code: str) -> str:
    return CHANNEL_LABELS.get(code) or humanize(code)


def reason_label(code: str) -> str:
    """A contact reason (an intent the bot recognised, a ticket category or 'unrecorded')."""
    return REASON_LABELS.get(code) or humanize(code)


def day_label(day: date, *, year: bool = False) -> str:
    """'6 Dec', or '6 Dec 2026'."""
    text = f"{day.day} {day:%b}"
    return f"{text} {day.year}" if year else text


def span_label(first: date, last: date) -> str:
    """'30 Nov – 6 Dec' (years shown when the span crosses one)."""
    if first == last:
        return day_label(first, year=False)
    crosses = first.year != last.year
    return f"{day_label(first, year=crosses)} – {day_label(last, year=crosses)}"


def _month_end(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - timedelta(days=1)


def period_label(first: date, last: date, group: Grouping) -> str:
    """A bucket as a person reads it: 'Mon 16 Nov', '30 Nov – 6 Dec', 'November 2026', with
    '(partial week, 3 days)' when the report's range cuts the week or month."""
    days = (last - first).days + 1
    if group == Grouping.DAY:
        return f"{first:%a} {day_label(first)}"
    if group == Grouping.WEEK:
        text = span_label(first, last)
        return text if days == 7 else f"{text} (partial week, {_days(days)})"
    whole = first.day == 1 and last == _month_end(first)
    text = f"{first:%B %Y}"
    return text if whole else f"{text} ({span_label(first, last)}, partial month)"


def short_period_label(first: date, group: Grouping) -> str:
    """A chart axis tick: '16 Nov' for days and weeks, 'Nov 2026' for months."""
    return f"{first:%b %Y}" if group == Grouping.MONTH else day_label(first)


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"
