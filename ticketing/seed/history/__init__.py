"""Conversation history for the demo shop and the reports benchmark: conversations with the
bot and with agents, tickets, SLA steps, ratings and NPS answers, played out over days."""

from ticketing.seed.history.demo import HistorySummary, seed_history

__all__ = ["HistorySummary", "seed_history"]
