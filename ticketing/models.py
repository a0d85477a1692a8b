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
from ticketing.reports.rollup.marks import install as install_rollup_marks
from ticketing.reports.rollup.models import ConversationDay, RollupMark, RollupState
from ticketing.returns.models import Return, ReturnItem
from ticketing.staff.models import StaffUser
from ticketing.tickets.models import Ticket, TicketEvent

__all__ = [
    "AgentState",
    "CannedReply",
    "Conversation",
    "ConversationDay",
    "CrmEvent",
    "ConversationEvent",
    "Message",
    "AuditEntry",
    "Base",
    "CsatRating",
    "Customer",
    "IdempotencyRecord",
    "NpsAnswer",
    "Order",
    "OrderItem",
    "PolicyVersion",
    "Refund",
    "Return",
    "ReturnItem",
    "RollupMark",
    "RollupState",
    "Shipment",
    "StaffUser",
    "Ticket",
    "TicketEvent",
    "TrackingEvent",
]

install_rollup_marks()  # every write marks the report days it changes
