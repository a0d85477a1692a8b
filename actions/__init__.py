"""Custom actions of the Rasa assistant (rasa_sdk). They reach data only through the ticketing
HTTP API (`actions.clients.ticketing_api`), never the database."""
