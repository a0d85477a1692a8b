"""The Telegram channel: customers chat with the shop's bot; every message goes through the hub.

`views` receives Telegram's webhook, `polling` fetches updates for local use, `incoming` turns
an update into a hub message and `outgoing` turns the hub's replies into Bot API calls.
"""
