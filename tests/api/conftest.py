"""Fixtures shared by the ticket and handoff tests."""

from __future__ import annotations

import pytest

from tests.conftest import Clock
from tests.factories import make_customer, make_order
from ticketing.customers.models import CustomerTier
from ticketing.db import Database


@pytest.fixture
def shop(database: Database, clock: Clock) -> dict[str, object]:
    """Three customers (one VIP), each with one order: ada, bob, vera and their *_order."""
    with database.session() as s:
        ada = make_customer(s)
        bob = make_customer(s)
        vera = make_customer(s, tier=CustomerTier.VIP)
        ada_order = make_order(s, ada, now=clock.now)
        bob_order = make_order(s, bob, now=clock.now)
        vera_order = make_order(s, vera, now=clock.now)
    return locals()
