"""The priority table, the handoff rules that feed it, and SLA targets in words."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ticketing.customers.models import CustomerTier
from ticketing.policy.service import load_file
from ticketing.settings import REPO_ROOT
from ticketing.tickets import sla
from ticketing.tickets.handoff import category_for, severity_for
from ticketing.tickets.models import TicketCategory, TicketPriority
from ticketing.tickets.priority import Severity, raised, ticket_priority
from ticketing.tickets.schemas import HandoffReason

L, N, H, U = (TicketPriority.LOW, TicketPriority.NORMAL, TicketPriority.HIGH, TicketPriority.URGENT)
TIERS = (CustomerTier.STANDARD, CustomerTier.SILVER, CustomerTier.GOLD, CustomerTier.VIP)

# (category, severity) -> priority for standard, silver, gold, vip
EXPECTED = {
    ("payment", "critical"): (U, U, U, U),
    ("payment", "high"): (H, H, U, U),
    ("payment", "medium"): (N, N, H, H),
    ("payment", "low"): (N, N, H, H),
    ("logistics", "critical"): (U, U, U, U),
    ("logistics", "high"): (H, H, U, U),
    ("logistics", "medium"): (N, N, H, H),
    ("logistics", "low"): (L, L, N, N),
    ("product_quality", "critical"): (U, U, U, U),
    ("product_quality", "high"): (H, H, U, U),
    ("product_quality", "medium"): (N, N, H, H),
    ("product_quality", "low"): (L, L, N, N),
    ("after_sales", "critical"): (U, U, U, U),
    ("after_sales", "high"): (H, H, U, U),
    ("after_sales", "medium"): (N, N, H, H),
    ("after_sales", "low"): (L, L, N, N),
    ("other", "critical"): (U, U, U, U),
    ("other", "high"): (H, H, U, U),
    ("other", "medium"): (N, N, H, H),
    ("other", "low"): (L, L, N, N),
}


def test_the_table_covers_every_category_and_severity():
    assert set(EXPECTED) == {(c.value, s.value) for c in TicketCategory for s in Severity}


@pytest.mark.parametrize(
    ("category", "severity", "tier", "priority"),
    [
        (category, severity, tier, expected[i])
        for (category, severity), expected in EXPECTED.items()
        for i, tier in enumerate(TIERS)
    ],
)
def test_ticket_priority(category, severity, tier, priority):
    assert ticket_priority(TicketCategory(category), Severity(severity), tier) == priority


def test_raising_stops_at_urgent():
    assert raised(L) == N
    assert raised(H) == U
    assert raised(U) == U
    assert raised(L, levels=5) == U


@pytest.mark.parametrize(
    ("intent", "category"),
    [
        ("payment_issue", TicketCategory.PAYMENT),
        ("late_delivery", TicketCategory.LOGISTICS),
        ("order_status", TicketCategory.LOGISTICS),
        ("damaged_or_wrong_item", TicketCategory.PRODUCT_QUALITY),
        ("return_item", TicketCategory.AFTER_SALES),
        ("something_new", TicketCategory.AFTER_SALES),
        (None, TicketCategory.AFTER_SALES),
    ],
)
def test_handoff_category_from_intent(intent, category):
    assert category_for(intent) == category


@pytest.mark.parametrize("reason", list(HandoffReason))
def test_only_an_upset_customer_raises_handoff_severity(reason):
    expected = Severity.HIGH if reason == HandoffReason.ANGRY else Severity.MEDIUM
    assert severity_for(reason) == expected
    for category in TicketCategory:
        for tier in TIERS:
            priority = ticket_priority(category, severity_for(HandoffReason.ANGRY), tier)
            assert priority in (H, U)


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (1, "1 minute"),
        (30, "30 minutes"),
        (60, "1 hour"),
        (90, "1 hour and 30 minutes"),
        (120, "2 hours"),
        (481, "8 hours and 1 minute"),
    ],
)
def test_minutes_in_words(minutes, words):
    assert sla.minutes_in_words(minutes) == words


POLICY = load_file(REPO_ROOT / "policy.yml")  # Mon-Fri 09:00-18:00 Europe/Berlin (UTC+2 in June)


@pytest.mark.parametrize(
    ("now", "opening"),
    [
        (datetime(2026, 6, 15, 12, 0, tzinfo=UTC), None),  # Monday 14:00
        (datetime(2026, 6, 15, 5, 0, tzinfo=UTC), "2026-06-15 09:00"),  # Monday 07:00
        (datetime(2026, 6, 15, 16, 0, tzinfo=UTC), "2026-06-16 09:00"),  # Monday 18:00 sharp
        (datetime(2026, 6, 19, 20, 0, tzinfo=UTC), "2026-06-22 09:00"),  # Friday evening
        (datetime(2026, 6, 20, 10, 0, tzinfo=UTC), "2026-06-22 09:00"),  # Saturday
        (datetime(2026, 12, 24, 18, 0, tzinfo=UTC), "2026-12-28 09:00"),  # Christmas holidays
    ],
)
def test_next_opening(now, opening):
    found = sla.next_opening(now, POLICY.business_hours)
    assert (found.strftime("%Y-%m-%d %H:%M") if found else None) == opening


@pytest.mark.parametrize(
    ("now", "words"),
    [
        (datetime(2026, 6, 15, 12, 0, tzinfo=UTC), "within 2 hours (business hours)"),
        (datetime(2026, 6, 15, 5, 0, tzinfo=UTC), "within 2 hours after we open today at 09:00"),
        (
            datetime(2026, 6, 15, 20, 0, tzinfo=UTC),
            "within 2 hours after we open tomorrow at 09:00",
        ),
        (
            datetime(2026, 6, 20, 10, 0, tzinfo=UTC),
            "within 2 hours after we open on Monday at 09:00",
        ),
        (
            datetime(2026, 12, 24, 18, 0, tzinfo=UTC),
            "within 2 hours after we open on Monday at 09:00",
        ),
    ],
)
def test_reply_time_in_words(now, words):
    assert sla.reply_time_in_words(TicketPriority.HIGH, POLICY, now) == words


def test_a_priority_without_a_target_promises_no_time():
    policy = POLICY.model_copy(update={"sla": {"high": POLICY.sla["high"]}})
    monday = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
    assert sla.first_response_minutes(TicketPriority.LOW, policy) is None
    assert sla.reply_time_in_words(TicketPriority.LOW, policy, monday) == "as soon as possible"


def test_holidays_are_skipped_to_the_next_working_day():
    hours = POLICY.business_hours.model_copy(
        update={"days": ["sat"], "holidays": [date(2026, 6, 20)]}
    )
    saturday = datetime(2026, 6, 20, 10, 0, tzinfo=UTC)
    assert sla.next_opening(saturday, hours) == datetime(2026, 6, 27, 7, 0, tzinfo=UTC)
