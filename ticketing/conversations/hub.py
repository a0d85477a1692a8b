"""The conversations hub: every customer message from every channel comes through here.

A message is stored first, then routed by the conversation's owner: the bot (Rasa's REST
channel), a person (the agent consoles, through the broker), or, after resolution, the rating
question or back to the bot. If Rasa or the action server fails, the customer is told and the
conversation goes to a person: nothing a customer writes is dropped.
"""

from __future__ import annotations

from ticketing.conversations.agent_actions import AgentActions
from ticketing.conversations.hub_core import Inbound, csat_request_payload
from ticketing.conversations.intake import CustomerIntake

__all__ = ["Hub", "Inbound", "csat_request_payload"]


class Hub(CustomerIntake, AgentActions):
    """The conversations hub: `receive()` for customers, claim/reply/resolve for agents."""
