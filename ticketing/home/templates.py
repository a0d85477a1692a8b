"""The start page as HTML. Every value is escaped here; the page has no script."""

from __future__ import annotations

from html import escape

from ticketing.home.service import DemoLogins
from ticketing.seed.showcase import ShowcaseOrder

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}

# (path, title, what it is)
PLACES = (
    (
        "/chat/",
        "Web chat",
        "The demo shop page with the chat widget: ask the assistant as a customer would.",
    ),
    (
        "/console/",
        "Agent console",
        "The queue and live conversations handed over by the bot; reply, add notes, resolve.",
    ),
    (
        "/reports/",
        "Reports",
        "For managers: volumes, containment, CSAT, NPS, response and resolution times, SLA.",
    ),
    ("/docs", "API docs", "The ticketing API (OpenAPI), to try in the browser; also /redoc."),
)

SITUATIONS = {
    "in_transit": "Where is my order?",
    "late": "My parcel is late",
    "lost": "My parcel never arrived",
    "inside_window": "Return an item",
    "outside_window": "Return after the window",
    "final_sale": "Return a final-sale item",
    "pending": "Cancel my order",
    "pending_refund": "Where is my refund?",
}


def _places() -> str:
    cards = "".join(
        f'<li><a class="place" href="{escape(path)}"><strong>{escape(title)}</strong>'
        f'<span class="path">{escape(path)}</span><span>{escape(text)}</span></a></li>'
        for path, title, text in PLACES
    )
    return f'<ul class="places" aria-label="Where to go">{cards}</ul>'


def _logins(logins: DemoLogins) -> str:
    if not logins.logins:
        return (
            '<p class="muted">No demo logins in this database: <code>supportbot seed --demo'
            "</code> adds them, <code>supportbot users --help</code> manages staff.</p>"
        )
    rows = "".join(
        f"<tr><td><code>{escape(login.username)}</code></td><td>{escape(login.display_name)}</td>"
        f"<td>{escape(login.role)}</td><td>{escape(login.can)}</td></tr>"
        for login in logins.logins
    )
    password = (
        f"<code>{escape(logins.password)}</code> ({escape(logins.password_hint)})"
        if logins.password
        else escape(logins.password_hint)
    )
    return (
        '<table class="rows logins"><thead><tr><th>Username</th><th>Name</th><th>Role</th>'
        f"<th>Can use</th></tr></thead><tbody>{rows}</tbody></table>"
        f'<p class="password">Password for every demo login: {password}. '
        "Manage staff with <code>supportbot users --help</code>.</p>"
    )


def _orders(orders: list[ShowcaseOrder]) -> str:
    if not orders:
        return (
            '<p class="muted">No demo orders in this database: <code>supportbot seed --demo'
            "</code> adds a demo shop.</p>"
        )
    rows = "".join(
        f'<tr data-situation="{escape(order.key)}">'
        f"<td><strong>{escape(SITUATIONS.get(order.key, order.key))}</strong></td>"
        f"<td><code>{escape(order.number)}</code></td>"
        f'<td><code class="email">{escape(order.email)}</code></td>'
        f"<td>{escape(order.description)}</td></tr>"
        for order in orders
    )
    return (
        '<table class="rows orders"><thead><tr><th>Try</th><th>Order</th><th>E-mail</th>'
        f"<th>Situation</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _demo(logins: DemoLogins, orders: list[ShowcaseOrder]) -> str:
    return f"""
<section class="card demo" id="demo" aria-labelledby="demo-title">
  <h2 id="demo-title">Try it with the demo data</h2>
  <p class="muted">Shown in development only: with <code>SUPPORTBOT_ENVIRONMENT=production</code>
    this page has no demo logins or orders.</p>
  <h3>Staff logins</h3>
  {_logins(logins)}
  <h3>Orders to ask about</h3>
  <p>Open the <a href="/chat/">web chat</a>, say what you want (for example "where is my order
    {escape(orders[0].number) if orders else "10001"}?") and give the order's e-mail when the
    assistant asks. To see a handoff, say "agent" in the chat and answer it in the
    <a href="/console/">console</a> as <code>agent1</code>. These orders are picked from the
    database as it is now, so they may differ from the ones <code>supportbot seed</code>
    printed: those work too.</p>
  {_orders(orders)}
</section>"""


def start_page(
    *, shop_name: str, demo: tuple[DemoLogins, list[ShowcaseOrder]] | None = None
) -> str:
    """The start page; `demo` (logins and orders) only outside production."""
    name = escape(shop_name)
    demo_part = _demo(*demo) if demo is not None else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>supportbot · {name}</title>
<link rel="stylesheet" href="/home/static/home.css">
</head><body>
<main class="home">
  <header class="intro">
    <h1>supportbot <span class="shop">for {name}</span></h1>
    <p>A self-hosted customer-service assistant. Customers chat on the web widget or Telegram;
      the bot answers order status, returns, refunds, cancellations, delivery problems and
      complaints from the shop's own data, hands what it cannot solve to a person with the
      whole conversation, and asks for a rating that managers see in the reports.</p>
  </header>
  {_places()}
  {demo_part}
</main>
</body></html>
"""
