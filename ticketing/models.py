"""Imports every model so `Base.metadata` is complete (alembic and tests use this)."""

from integrations.crm.models import CrmEvent
from ticketing.agents.models import AgentState, CannedReply
from ticketing.audit.models import AuditEntry
from ticketing.conversations.models import Conversation, ConversationEvent, Message
from ticketing.customers.models import Customer
from ticketing.db import Base
from ticketing.feedback.models import CsatRating
from ticketing.feedback.nps_models import NpsAnswer
from ticketing.idempotency.models import IdempotencyRecord
from ticketing.orders.models import Order, OrderItem, Shipment, TrackingEvent
from ticketing.policy.models import PolicyVersion
from ticketing.refunds.models import Refund
from ticketing.reports.rollup.backlog_days import BacklogDay
from ticketing.reports.rollup.delivery_days import DeliveryDay
from ticketing.reports.rollup.duration_days import DurationDay
from ticketing.reports.rollup.marks import install as install_rollup_marks
from ticketing.reports.rollup.message_days import MessageDay
from ticketing.reports.rollup.models import ConversationDay, RollupMark, RollupState
from ticketing.reports.rollup.nps_days import NpsDay
from ticketing.reports.rollup.rating_days import RatingDay
from ticketing.reports.rollup.reopen_days import ReopenDay
from ticketing.reports.rollup.resolution_days import ResolutionDay
from ticketing.reports.rollup.sla_days import SlaDay
from ticketing.reports.rollup.survey_days import SurveyDay
from ticketing.returns.models import Return, ReturnItem
from ticketing.staff.models import StaffUser
from ticketing.tickets.models import Ticket, TicketEvent
from ticketing.training.models import InboxItem, TrainingLabel

__all__ = [
    "AgentState",
    "CannedReply",
    "Conversation",
    "ConversationDay",
    "CrmEvent",
    "ConversationEvent",
    "Message",
    "MessageDay",
    "AuditEntry",
    "BacklogDay",
    "Base",
    "CsatRating",
    "Customer",
    "DeliveryDay",
    "DurationDay",
    "IdempotencyRecord",
    "NpsAnswer",
    "NpsDay",
    "Order",
    "OrderItem",
    "PolicyVersion",
    "RatingDay",
    "Refund",
    "Return",
    "ReturnItem",
    "ReopenDay",
    "ResolutionDay",
    "RollupMark",
    "RollupState",
    "Shipment",
    "SlaDay",
    "StaffUser",
    "SurveyDay",
    "InboxItem",
    "Ticket",
    "TicketEvent",
    "TrainingLabel",
    "TrackingEvent",
]

install_rollup_marks()  # every write marks the report days it changes
