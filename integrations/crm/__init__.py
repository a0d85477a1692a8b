"""CRM export: events go into a persistent outbox in the transaction of the change, and a
dispatcher POSTs them, signed, to `SUPPORTBOT_CRM_WEBHOOK_URL` with retries and backoff.

Any new kind of event takes one line inside the transaction that makes the change, e.g.:

    outbox.enqueue(db_session, kind="ticket.resolved", data={...}, now=now, key=(number, at))

`key` makes the event id deterministic (a replay of the same change is the same event);
`supportbot crm status` shows the queue; `supportbot export csat|nps` writes ratings or NPS
answers as CSV.
"""
