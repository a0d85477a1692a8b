"""The console's HTML shells. Every value is escaped here; the scripts fill in the data with
textContent, never innerHTML."""

from __future__ import annotations

from html import escape

from ticketing.console.auth import ConsoleUser

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def _page(title: str, body: str, *, scripts: tuple[str, ...] = (), body_data: str = "") -> str:
    tags = "".join(f'<script src="/console/static/{name}" defer></script>' for name in scripts)
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,">'
        f"<title>{escape(title)} · supportbot console</title>"
        '<link rel="stylesheet" href="/console/static/console.css">'
        f"{tags}</head><body{body_data}>{body}</body></html>"
    )


def login_page(
    *,
    csrf_token: str,
    next_path: str,
    error: str | None = None,
    username: str = "",
    demo_hint: bool = False,
) -> str:
    """The login form; after a failed try it keeps the username and focuses the password."""
    message = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    hint = (
        '<p class="muted hint">Trying the demo? The demo staff logins are on the '
        '<a href="/">start page</a>.</p>'
        if demo_hint
        else ""
    )
    focus_user, focus_password = ("", " autofocus") if username else (" autofocus", "")
    body = f"""
<main class="login">
  <h1>supportbot console</h1>
  {message}
  <form method="post" action="/console/login" class="card">
    <input type="hidden" name="csrf_token" value="{escape(csrf_token)}">
    <input type="hidden" name="next" value="{escape(next_path)}">
    <label>Username <input name="username" autocomplete="username" required
      value="{escape(username)}"{focus_user}></label>
    <label>Password <input name="password" type="password" autocomplete="current-password"
      required{focus_password}></label>
    <button type="submit" class="primary">Log in</button>
  </form>
  {hint}
</main>"""
    return _page("Log in", body)


def _header(user: ConsoleUser, csrf_token: str) -> str:
    # Managers (and admins) also read the reports: one click from the console.
    team = (
        ' <a href="/console/#team">Team</a> <a href="/console/training">Training</a>'
        ' <a href="/reports/">Reports</a>'
        if user.is_manager
        else ""
    )
    return f"""
<header class="topbar">
  <a class="brand" href="/console/">supportbot console</a>
  <nav><a href="/console/canned-replies">Canned replies</a>{team}</nav>
  <div class="presence" id="presence">
    <div class="presence-toggle" role="group" aria-label="Your presence">
      <button type="button" id="go-online" aria-pressed="false">Online</button>
      <button type="button" id="go-away" aria-pressed="false">Away</button>
    </div>
    <label>Capacity <input type="number" id="capacity" min="1" max="20" value="3"></label>
  </div>
  <span class="who">{escape(user.display_name)} <small>({escape(user.role.value)})</small></span>
  <form method="post" action="/console/logout">
    <input type="hidden" name="csrf_token" value="{escape(csrf_token)}">
    <button type="submit" class="link">Log out</button>
  </form>
</header>"""


def _data(user: ConsoleUser, **extra: str) -> str:
    values = {"username": user.username, "role": user.role.value, **extra}
    return "".join(f' data-{key.replace("_", "-")}="{escape(v)}"' for key, v in values.items())


def queue_page(user: ConsoleUser, csrf_token: str) -> str:
    team = (
        """
  <section class="card" id="team">
    <h2>Team</h2>
    <table class="list"><thead><tr><th>Agent</th><th>Team</th><th>Presence</th><th>Open</th>
      <th>Capacity</th></tr></thead><tbody id="team-rows"></tbody></table>
  </section>"""
        if user.is_manager
        else ""
    )
    body = f"""{_header(user, csrf_token)}
<main class="columns">
  <section class="card">
    <h2>Waiting <span class="count" id="queue-count">0</span></h2>
    <p class="empty" id="queue-empty">Nobody is waiting.</p>
    <ul class="queue" id="queue"></ul>
  </section>
  <section class="card">
    <h2>My conversations <span class="count" id="mine-count">0</span></h2>
    <p class="empty" id="mine-empty">You have no open conversations.</p>
    <ul class="queue" id="mine"></ul>
  </section>{team}
</main>
<div class="status" id="live-status">connecting…</div>"""
    return _page(
        "Queue", body, scripts=("common.js", "queue.js"), body_data=_data(user, page="queue")
    )


def conversation_page(user: ConsoleUser, csrf_token: str, conversation_id: str) -> str:
    body = f"""{_header(user, csrf_token)}
<main class="conversation">
  <section class="card chat">
    <div class="chat-head">
      <h2 id="title" title="{escape(conversation_id)}">{escape(conversation_id)}</h2>
      <span class="badge" id="owner-badge"></span>
      <div class="actions">
        <button id="claim" type="button">Claim</button>
        <button id="hand-back" type="button">Hand back to bot</button>
        <button id="resolve" type="button" class="primary">Resolve</button>
      </div>
    </div>
    <p class="rating" id="rating" hidden></p>
    <p class="error" id="error" role="alert" hidden></p>
    <ol class="transcript" id="transcript" aria-live="polite"></ol>
    <section class="suggestions" id="suggestions" aria-label="Suggested replies">
      <h4>Suggested replies <span class="muted" id="suggestions-status"></span></h4>
      <ul id="suggestion-list"></ul>
    </section>
    <form id="reply-form" class="reply">
      <div class="reply-tools canned-picker">
        <input id="canned-search" type="search" autocomplete="off"
          placeholder="Canned replies: type to search…" aria-label="Search canned replies"
          role="combobox" aria-expanded="false" aria-controls="canned-results">
        <ul id="canned-results" class="canned-results" role="listbox" hidden></ul>
      </div>
      <textarea id="reply-text" rows="3" maxlength="4000"
        placeholder="Reply to the customer (Ctrl+Enter sends)"></textarea>
      <button type="submit" class="primary">Send</button>
    </form>
  </section>
  <aside class="side">
    <section class="card followup" id="followup-card" hidden>
      <h3>Wants a reply by email</h3>
      <p><a id="followup-email" href=""></a></p>
      <p class="muted" id="followup-note"></p>
    </section>
    <section class="card collected" id="collected-card">
      <h3>What the bot collected</h3><dl id="collected"></dl>
    </section>
    <section class="card reason" id="reason-card" hidden>
      <label class="ticket-status">Contact reason <select id="contact-reason"></select></label>
      <p class="muted" id="contact-reason-source"></p>
    </section>
    <section class="card ticket" id="ticket-card">
      <h3>Ticket</h3><dl id="ticket"></dl>
      <label class="ticket-status" id="ticket-status-row" hidden>Status
        <select id="ticket-status" aria-describedby="ticket-status-help"></select></label>
      <p class="muted" id="ticket-status-help" hidden>Waiting on the customer pauses the SLA
        clock until they write again.</p>
      <h4>Ticket history</h4>
      <ol class="ticket-history" id="ticket-history"></ol>
    </section>
    <section class="card history" id="customer-history" hidden>
      <h3>Customer history</h3>
      <dl id="history-customer"></dl>
      <h4>Orders</h4><ul id="history-orders"></ul>
      <h4>Conversations</h4><ul id="history-conversations"></ul>
      <h4>Tickets</h4><ul id="history-tickets"></ul>
      <h4>Ratings</h4><ul id="history-ratings"></ul>
    </section>
    <section class="card notes">
      <h3>Internal notes</h3>
      <ul id="notes"></ul>
      <form id="note-form">
        <textarea id="note-text" rows="2" maxlength="4000"
          placeholder="Only colleagues see notes"></textarea>
        <button type="submit">Add note</button>
      </form>
    </section>
  </aside>
</main>
<div class="status" id="live-status">connecting…</div>"""
    return _page(
        conversation_id,
        body,
        scripts=(
            "common.js",
            "conversation.js",
            "contact_reason.js",
            "canned_picker.js",
            "suggestions.js",
        ),
        body_data=_data(user, page="conversation", conversation_id=conversation_id),
    )


def canned_page(user: ConsoleUser, csrf_token: str) -> str:
    """The canned replies: everyone searches them; managers and admins add, edit and delete."""
    form = (
        """
  <section class="card canned-form" id="canned-editor">
    <h2 id="editor-title">New canned reply</h2>
    <form id="canned-form" novalidate>
      <input type="hidden" id="canned-id">
      <label for="canned-title">Title</label>
      <input id="canned-title" maxlength="150" aria-describedby="canned-title-error">
      <p class="field-error" id="canned-title-error" role="alert" hidden></p>
      <label for="canned-text">Text</label>
      <textarea id="canned-text" rows="6" maxlength="4500"
        aria-describedby="canned-text-error canned-help"></textarea>
      <p class="field-error" id="canned-text-error" role="alert" hidden></p>
      <p class="muted" id="canned-help">Placeholders filled in from the conversation when an
        agent inserts the reply: <code>{customer_name}</code> <code>{customer_first_name}</code>
        <code>{order_number}</code> <code>{ticket_number}</code> <code>{agent_name}</code>
        <code>{agent_first_name}</code>. One the conversation has no value for stays in the text
        for the agent to fill.</p>
      <p class="field-error" id="canned-form-error" role="alert" hidden></p>
      <div class="form-actions">
        <button type="button" id="canned-cancel" hidden>Cancel</button>
        <button type="submit" class="primary" id="canned-save">Add reply</button>
      </div>
    </form>
  </section>"""
        if user.is_manager
        else ""
    )
    body = f"""{_header(user, csrf_token)}
<main class="canned-page">
  <section class="card">
    <h2>Canned replies <span class="count" id="canned-count">0</span></h2>
    <input id="canned-filter" type="search" autocomplete="off" aria-label="Search canned replies"
      placeholder="Search by title or text…">
    <p class="empty" id="canned-empty" hidden>No canned replies yet.</p>
    <ul class="canned-list" id="canned-list"></ul>
  </section>{form}
</main>
<div class="status" id="live-status"></div>"""
    return _page(
        "Canned replies",
        body,
        scripts=("common.js", "canned.js"),
        body_data=_data(user, page="canned"),
    )


def training_page(user: ConsoleUser, csrf_token: str) -> str:
    """The training inbox (managers and admins): clusters of misunderstood messages to label."""
    body = f"""{_header(user, csrf_token)}
<main class="training-page">
  <section class="card">
    <h2>Training inbox <span class="count" id="pending-count">0</span></h2>
    <p class="muted">Customer messages the bot did not understand, grouped by meaning. Label a
      group (or one message) with what the customer meant; <code>supportbot training
      export</code> writes the labels to <code>data/nlu/learned.yml</code> for the next
      training. Personal data was masked before the messages were stored.</p>
    <p class="error" id="error" role="alert" hidden></p>
    <p class="empty" id="inbox-empty" hidden>Nothing to review: the bot understood
      everything, or it is all labelled.</p>
    <p class="muted" id="inbox-status">Loading (grouping needs the sentence model: a few
      seconds the first time)…</p>
    <ol class="clusters" id="clusters"></ol>
  </section>
  <aside class="card labelled">
    <h2>Recently labelled</h2>
    <p class="muted"><a href="/api/console/training/export" download>Download
      learned.yml</a></p>
    <p class="empty" id="labelled-empty">No labels yet.</p>
    <ul class="labelled-list" id="labelled"></ul>
  </aside>
</main>
<div class="status" id="live-status" aria-live="polite"></div>"""
    return _page(
        "Training",
        body,
        scripts=("common.js", "training.js"),
        body_data=_data(user, page="training"),
    )
