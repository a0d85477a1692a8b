"""`customer.at_risk`: a customer became at risk this month (the reports' definition: a rating
of 1-2, a reopened conversation, or repeated complaints). Each customer is sent once per
calendar month of the shop's timezone: the event's id is made from the customer and the month,
so a sweep that finds them again queues nothing (the outbox keeps every event it queued).

The CRM dispatcher sweeps every `SWEEP_SECONDS` while it runs (`runner.BackgroundDispatch`)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from integrations.crm import outbox
from integrations.crm.models import CrmEvent
from ticketing.db import Database
from ticketing.policy import service as policy_service
from ticketing.reports.at_risk import customers_at_risk
from ticketing.reports.filters import ReportFilter
from ticketing.reports.periods import make_bucket

CUSTOMER_AT_RISK = "customer.at_risk"
SWEEP_SECONDS = 300.0


def month_of(now: datetime, zone: ZoneInfo) -> tuple[date, date]:
    """The first and last local day of the calendar month `now` is in."""
    today = now.astimezone(zone).date()
    first = today.replace(day=1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def enqueue_at_risk(db_session: Session, *, now: datetime, timezone: str) -> int:
    """Queue `customer.at_risk` for each customer at risk this month not queued yet this
    month (in the caller's transaction); how many were new."""
    zone = ZoneInfo(timezone)
    first, last = month_of(now, zone)
    period = f"{first:%Y-%m}"
    found = customers_at_risk(db_session, make_bucket(first, last, zone), ReportFilter())
    new = 0
    for customer_id, entry in sorted(found.items()):
        key = (customer_id, period)
        if db_session.get(CrmEvent, outbox.event_id(CUSTOMER_AT_RISK, key)) is not None:
            continue
        data = {
            "customer_id": customer_id,
            "period": {"from": first.isoformat(), "to": last.isoformat()},
            "low_ratings": entry.low_ratings,
            "lowest_score": entry.lowest_score,
            "reopened": entry.reopened,
            "complaints": entry.complaints,
            "why": entry.why(),
            "detected_at": now.isoformat(),
        }
        outbox.enqueue(db_session, kind=CUSTOMER_AT_RISK, data=data, now=now, key=key)
        new += 1
    return new


def sweep(database: Database, policy_file: Path, now: datetime) -> int:
    """One sweep in a write transaction of its own (the policy names the timezone)."""
    with database.session(write=True) as db_session:
        policy = policy_service.get_current(db_session=db_session, policy_file=policy_file).policy
        return enqueue_at_risk(db_session, now=now, timezone=policy.timezone)
