"""Personal data: a customer's export (right of access) and erasure (right to erasure), run by
an admin with `supportbot privacy export|erase` and audited. What erasure keeps and why is in
`ticketing.privacy.erasure`."""
