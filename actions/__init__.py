"""Custom actions of the Rasa assistant (rasa_sdk). They reach data only through the ticketing
HTTP API (`actions.clients.ticketing_api`), never the database. `python -m actions.server` serves
them to Rasa alone: on loopback by default, and only to callers with Rasa's token."""
