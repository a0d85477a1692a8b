"""Every rollup table, with how to build its rows for a span of local days."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ticketing.conversations.models import Conversation, ConversationEvent, Message
from ticketing.feedback.models import CsatRating
from ticketing.feedback.nps_models import NpsAnswer
from ticketing.orders.models import Order
from ticketing.reports.rollup.backlog_days import BacklogDay, backlog_days
from ticketing.reports.rollup.conversation_days import conversation_days
from ticketing.reports.rollup.delivery_days import DeliveryDay, delivery_days
from ticketing.reports.rollup.duration_days import DurationDay, duration_days
from ticketing.reports.rollup.message_days import MessageDay, message_days
from ticketing.reports.rollup.models import ConversationDay
from ticketing.reports.rollup.nps_days import NpsDay, nps_days
from ticketing.reports.rollup.rating_days import RatingDay, rating_days
from ticketing.reports.rollup.reopen_days import ReopenDay, reopen_days
from ticketing.reports.rollup.resolution_days import ResolutionDay, resolution_days
from ticketing.reports.rollup.sla_days import SlaDay, sla_days
from ticketing.reports.rollup.survey_days import SurveyDay, survey_days
from ticketing.tickets.models import Ticket

Build = Callable[[Session, datetime, datetime, ZoneInfo], list[Any]]


@dataclass(frozen=True)
class Rollup:
    """`model` has a local `day` column; `build(db_session, start, end, zone)` gives its rows
    for the local days in [start, end); `moments` is the column whose oldest and newest values
    bound the days a full rebuild covers."""

    model: Any
    build: Build
    moments: Any


ROLLUPS: list[Rollup] = [
    Rollup(ConversationDay, conversation_days, Conversation.created_at),
    Rollup(ReopenDay, reopen_days, ConversationEvent.at),
    Rollup(RatingDay, rating_days, CsatRating.created_at),
    Rollup(SurveyDay, survey_days, ConversationEvent.at),
    Rollup(NpsDay, nps_days, NpsAnswer.created_at),
    Rollup(DurationDay, duration_days, ConversationEvent.at),
    Rollup(ResolutionDay, resolution_days, Conversation.resolved_at),
    Rollup(BacklogDay, backlog_days, ConversationEvent.at),
    Rollup(DeliveryDay, delivery_days, Order.delivered_at),
    Rollup(SlaDay, sla_days, Ticket.created_at),
    Rollup(MessageDay, message_days, Message.created_at),
]
