"""Agent assist: up to three suggested replies for the customer message an agent is answering,
from the policy answers the bot gives and from past agent replies to similar messages."""
