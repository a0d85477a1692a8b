"""Proposed rewrites of the report queries that grow worst with data, as drop-in functions with
the signatures of `ticketing/reports/*` (the benchmark does not edit `ticketing/`):

- `volume`: one pass over the range's handoff/bot_resolved events, aggregated per
  conversation and hash-joined, instead of three EXISTS probes per conversation started.
  (A conversation's events never precede its creation, so only events from the range's start
  can belong to conversations started in it.)
- `reopens`: the last `reopened` of each conversation in the range, hash-joined, instead of an
  EXISTS probe per (conversation, bucket). (Some reopening after the first resolution and
  before the range's end <=> the latest such reopening is after the resolution.)
- `reasons.reason_counts`: the handoff ticket joined only among tickets created since the
  period's start (a conversation's tickets are opened after it started), so the join reads the
  period's tickets through `ix_tickets_created_at` instead of hashing every ticket.
- `backlog`: the backlog at the range's start counted from the side of the event history that
  is shorter: from the beginning (as now), or back from today's open conversations (owner
  `human`, an indexed count) minus the changes since the start. Both rely on the invariant the
  module already states: with a person <=> one more `bot_handoff` than endings.

`measure.py --proposed` swaps them into `ticketing.reports.summary` for a run; `--check` here
builds reports both ways and compares every number.

    .venv/bin/python benchmarks/reports/proposed.py --check --database-url postgresql+psycopg://...
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import String, case, cast, func, literal, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from benchmarks.reports import bulk  # noqa: E402 - needs ROOT on sys.path
from ticketing.conversations.models import Conversation, ConversationEvent, Owner  # noqa: E402
from ticketing.reports import reasons, summary  # noqa: E402
from ticketing.reports.backlog import ENDINGS, _change, _filtered  # noqa: E402
from ticketing.reports.counting import in_range, sums_by_bucket  # noqa: E402
from ticketing.reports.filters import (  # noqa: E402
    ReportFilter,
    by_staff,
    on_conversation,
    on_conversation_id,
)
from ticketing.reports.periods import Bucket, bucket_index  # noqa: E402
from ticketing.reports.reopens import RESOLUTIONS  # noqa: E402
from ticketing.reports.sqlmath import ratio  # noqa: E402
from ticketing.tickets.models import Ticket  # noqa: E402


def volume(
    db_session: Session, buckets: list[Bucket], filters: ReportFilter
) -> list[dict[str, Any]]:
    event = ConversationEvent
    start, end = buckets[0].start, buckets[-1].end
    flags = (
        select(
            event.conversation_id.label("conversation_id"),
            func.max(case((event.kind == "bot_handoff", 1), else_=0)).label("handed"),
            func.max(case((event.kind == "bot_resolved", 1), else_=0)).label("resolved"),
        )
        .where(event.kind.in_(("bot_handoff", "bot_resolved")), event.at >= start, event.at < end)
        .group_by(event.conversation_id)
        .subquery()
    )
    handed = func.coalesce(flags.c.handed, 0)
    contained = case(((flags.c.resolved == 1) & (handed == 0), 1), else_=0)
    rows = (
        select(bucket_index(Conversation.created_at, buckets), handed, contained)
        .select_from(Conversation)
        .outerjoin(flags, flags.c.conversation_id == Conversation.id)
        .where(in_range(Conversation.created_at, buckets))
    )
    counts = sums_by_bucket(db_session, on_conversation(rows, filters))
    result = []
    for index in range(len(buckets)):
        total, handoffs, kept = counts.get(index, [0, 0, 0])
        result.append(
            {
                "conversations": total,
                "handed_off": handoffs,
                "handoff_rate": ratio(handoffs, total),
                "contained": kept,
                "containment_rate": ratio(kept, total),
            }
        )
    return result


def reopens(
    db_session: Session, buckets: list[Bucket], filters: ReportFilter
) -> list[dict[str, Any]]:
    event = ConversationEvent
    start, end = buckets[0].start, buckets[-1].end
    resolutions = select(
        event.conversation_id.label("conversation_id"),
        bucket_index(event.at, buckets).label("bucket"),
        event.at.label("at"),
    ).where(event.kind.in_(RESOLUTIONS), in_range(event.at, buckets))
    resolutions = on_conversation_id(resolutions, event.conversation_id, filters)
    resolutions = by_staff(resolutions, event.staff_id, filters)
    each = resolutions.subquery()
    first = (
        select(each.c.conversation_id, each.c.bucket, func.min(each.c.at).label("at"))
        .group_by(each.c.conversation_id, each.c.bucket)
        .subquery()
    )
    last_reopened = (
        select(event.conversation_id.label("conversation_id"), func.max(event.at).label("at"))
        .where(event.kind == "reopened", event.at > start, event.at < end)
        .group_by(event.conversation_id)
        .subquery()
    )
    rows = select(first.c.bucket, case((last_reopened.c.at > first.c.at, 1), else_=0)).select_from(
        first.outerjoin(last_reopened, last_reopened.c.conversation_id == first.c.conversation_id)
    )
    counts = sums_by_bucket(db_session, rows)
    result = []
    for index in range(len(buckets)):
        resolved, again = counts.get(index, [0, 0])
        result.append(
            {
                "resolved_conversations": resolved,
                "reopened": again,
                "reopened_rate": ratio(again, resolved),
            }
        )
    return result


def _backlog_at(db_session: Session, moment: Any, filters: ReportFilter) -> int:
    """Conversations with a person at `moment`, counted over the shorter side of history."""
    event = ConversationEvent
    kinds = event.kind.in_(("bot_handoff", *ENDINGS))
    oldest, newest = db_session.execute(select(func.min(event.at), func.max(event.at))).one()
    if oldest is None or newest is None or moment - oldest <= newest - moment:
        before = select(func.coalesce(func.sum(_change()), 0)).where(kinds, event.at < moment)
        return int(db_session.scalar(_filtered(before, filters)) or 0)
    now_open = (
        select(func.count()).select_from(Conversation).where(Conversation.owner == Owner.HUMAN)
    )
    since = select(func.coalesce(func.sum(_change()), 0)).where(kinds, event.at >= moment)
    open_now = int(db_session.scalar(on_conversation(now_open, filters)) or 0)
    return open_now - int(db_session.scalar(_filtered(since, filters)) or 0)


def backlog(
    db_session: Session, buckets: list[Bucket], filters: ReportFilter
) -> list[dict[str, Any]]:
    event = ConversationEvent
    kinds = event.kind.in_(("bot_handoff", *ENDINGS))
    running = _backlog_at(db_session, buckets[0].start, filters)
    rows = select(bucket_index(event.at, buckets), _change()).where(
        kinds, in_range(event.at, buckets)
    )
    changes = sums_by_bucket(db_session, _filtered(rows, filters))
    result = []
    for index in range(len(buckets)):
        running += changes.get(index, [0, 0])[1]
        result.append({"backlog": running})
    return result


def reason_counts(
    db_session: Session, bucket: Bucket, filters: ReportFilter, limit: int | None = reasons.TOP
) -> dict[str, int]:
    reason = func.coalesce(
        Conversation.context["intent"].as_string(),
        cast(Ticket.category, String),
        literal(reasons.UNRECORDED),
    )
    rows = (
        select(reason.label("reason"))
        .select_from(Conversation)
        .outerjoin(
            Ticket, (Ticket.id == Conversation.ticket_id) & (Ticket.created_at >= bucket.start)
        )
        .where(in_range(Conversation.created_at, [bucket]))
    )
    sub = on_conversation(rows, filters).subquery()
    count = func.count().label("n")
    stmt = select(sub.c.reason, count).group_by(sub.c.reason).order_by(count.desc(), sub.c.reason)
    if limit is not None:
        stmt = stmt.limit(limit)
    return {str(name): int(n) for name, n in db_session.execute(stmt)}


REPLACED = (
    (summary, "volume", volume),
    (summary, "reopens", reopens),
    (summary, "backlog", backlog),
    (reasons, "reason_counts", reason_counts),
)


@contextmanager
def patched() -> Iterator[None]:
    """`summary.build` uses the proposed functions inside the block."""
    original = [(module, name, getattr(module, name)) for module, name, _ in REPLACED]
    for module, name, function in REPLACED:
        setattr(module, name, function)
    try:
        yield
    finally:
        for module, name, function in original:
            setattr(module, name, function)


def check(url: str) -> int:
    """Reports built with the current and the proposed functions must agree exactly."""
    from benchmarks.reports.verify import report_filters  # noqa: PLC0415 - CLI only
    from ticketing.db import Database  # noqa: PLC0415
    from ticketing.policy.service import load_file  # noqa: PLC0415
    from ticketing.reports.periods import Grouping, ReportRange  # noqa: PLC0415
    from ticketing.settings import REPO_ROOT  # noqa: PLC0415

    timezone = load_file(REPO_ROOT / "policy.yml").timezone
    database = Database(bulk.sqlalchemy_url(url))
    with bulk.connect(url) as conn:
        schema = bulk.read_schema(conn)
        found = conn.execute(
            "SELECT (max(created_at) AT TIME ZONE %s)::date FROM conversations", (timezone,)
        ).fetchone()
    assert found is not None and found[0] is not None, "no conversations: run generate.py"
    last = found[0]
    ranges = [
        ReportRange(last - timedelta(days=29), last, Grouping.DAY, timezone),  # type: ignore[operator]
        ReportRange(last - timedelta(days=364), last, Grouping.MONTH, timezone),  # type: ignore[operator]
        ReportRange(
            last - timedelta(days=729), last - timedelta(days=400), Grouping.WEEK, timezone
        ),  # type: ignore[operator]
    ]
    differences = 0
    with database.session() as db_session:
        for report_range in ranges:
            for name, report_filter in report_filters(schema).items():
                before = summary.build(database, db_session, report_range, report_filter)
                with patched():
                    after = summary.build(database, db_session, report_range, report_filter)
                same = before == after
                differences += not same
                print(
                    f"{'same' if same else 'DIFFERENT'}: {report_range.first}..{report_range.last}"
                    f" by {report_range.group.value}, {name}"
                )
    database.dispose()
    return 1 if differences else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--database-url", default=os.environ.get("SUPPORTBOT_BENCH_DATABASE_URL"))
    parser.add_argument("--check", action="store_true", help="compare reports both ways")
    args = parser.parse_args()
    if not args.database_url:
        parser.error("give --database-url or $SUPPORTBOT_BENCH_DATABASE_URL")
    if not args.check:
        parser.error("nothing to do: pass --check")
    return check(args.database_url)


if __name__ == "__main__":
    sys.exit(main())
