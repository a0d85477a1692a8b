// One conversation: live transcript, what the bot collected, the ticket with its status and
// history, customer history, notes, reply and actions.
"use strict";

(() => {
  const { api, el, clear, time, debounce, live, me, showError } = Console;
  const id = me.conversationId;
  const base = `/conversations/${encodeURIComponent(id)}`;
  const transcript = document.getElementById("transcript");
  const replyText = document.getElementById("reply-text");
  const shown = new Set(); // message ids already in the transcript
  const SENDER_LABELS = { customer: "Customer", bot: "Bot", agent: "Agent", system: "System" };
  const TYPING_EVERY_MS = 3000;
  const STATUS_LABELS = {
    new: "new",
    open: "open",
    pending_customer: "waiting on the customer",
    pending_internal: "waiting on a colleague",
    resolved: "resolved",
    closed: "closed",
  };
  const SETTABLE_STATUSES = ["open", "pending_customer", "pending_internal"];
  const DONE_STATUSES = ["resolved", "closed"];
  const TARGET_LABELS = { first_response: "first response", resolution: "resolution" };
  let lastTyping = 0;
  let mayChangeTicket = false; // mine, nobody's, or I am a manager (the API checks again)
  let ticketNumber = null;

  function messageItem(message) {
    const who = message.sender_name || SENDER_LABELS[message.sender] || message.sender;
    const children = [
      el("div", { className: "meta" }, [
        el("span", { className: "sender", text: who }),
        el("time", { text: time(message.created_at), attrs: { datetime: message.created_at } }),
      ]),
    ];
    if (message.text) children.push(el("p", { className: "text", text: message.text }));
    if (message.buttons && message.buttons.length) {
      children.push(
        el(
          "div",
          { className: "chips" },
          message.buttons.map((b) => el("span", { className: "chip", text: b.title })),
        ),
      );
    }
    for (const file of message.attachments || []) {
      children.push(el("p", { className: "muted", text: `📎 ${file.name || file.url || "file"}` }));
    }
    return el("li", { className: `msg ${message.sender}`, data: { id: message.id } }, children);
  }

  function addMessage(message) {
    if (shown.has(message.id)) return;
    shown.add(message.id);
    const atBottom =
      transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 80;
    transcript.append(messageItem(message));
    if (atBottom) transcript.scrollTop = transcript.scrollHeight;
  }

  function definitions(node, pairs) {
    clear(node);
    for (const [term, value] of pairs) {
      if (value === null || value === undefined || value === "") continue;
      node.append(el("dt", { text: term }), el("dd", { text: value }));
    }
    if (!node.firstChild) node.append(el("dd", { className: "muted", text: "Nothing yet." }));
  }

  const CREATED_LABELS = { return: "Return", refund: "Refund", ticket: "Ticket" };

  function words(value) {
    return typeof value === "string" ? value.replaceAll("_", " ") : value;
  }

  function showCollected(collected) {
    const customer = collected.customer;
    const items = (collected.order_items || []).map((line) => `${line.quantity} × ${line.name}`);
    const order =
      collected.order_number &&
      [collected.order_number, collected.order_status && `(${words(collected.order_status)})`]
        .filter(Boolean)
        .join(" ");
    const pairs = [
      ["Verified customer", customer && `${customer.name} · ${customer.email} · ${customer.tier}`],
      ["Order", order],
      ["Items", items.join(", ")],
      ["Request", words(collected.request || collected.intent)],
      ["Why handed over", words(collected.reason)],
    ];
    for (const created of collected.created || []) {
      pairs.push([`${CREATED_LABELS[created.kind] || words(created.kind)} created`, created.number]);
    }
    const details = { ...(collected.slots || {}), ...(collected.details || {}) };
    for (const [key, value] of Object.entries(details)) {
      if (value === null || typeof value === "object") continue;
      const label = words(key);
      pairs.push([label.charAt(0).toUpperCase() + label.slice(1), words(value)]);
    }
    definitions(document.getElementById("collected"), pairs);
  }

  function statusLabel(status) {
    return STATUS_LABELS[status] || String(status || "").replaceAll("_", " ");
  }

  function actorLabel(actor) {
    if (!actor) return "";
    if (actor.startsWith("staff:")) return actor.slice("staff:".length);
    return actor === "sla" ? "SLA watch" : actor;
  }

  // One line of the ticket's history in words.
  function historyText(event) {
    const d = event.data || {};
    const target = TARGET_LABELS[d.target] || d.target;
    switch (event.kind) {
      case "created":
        return "Ticket opened";
      case "status_changed":
        return `Status: ${statusLabel(d.from)} → ${statusLabel(d.to)}`;
      case "sla_warning":
        return (
          `SLA warning: ${target} target, ${d.elapsed_minutes} of ${d.target_minutes} ` +
          "business minutes used"
        );
      case "sla_breached": {
        const raised = Array.isArray(d.priority) ? `; priority ${d.priority.join(" → ")}` : "";
        const lead = d.assignee ? `; escalated to ${d.assignee}` : "";
        return `SLA breached: ${target} target of ${d.target_minutes} business minutes${raised}${lead}`;
      }
      case "priority_raised":
        return Array.isArray(d.priority) ? `Priority ${d.priority.join(" → ")}` : "Priority raised";
      case "assigned":
        return d.agent ? `Assigned to ${d.agent}` : "Assigned";
      case "handed_off":
        return `Handed to a person (${words(d.reason || "requested")})`;
      default:
        return event.kind.replaceAll("_", " ");
    }
  }

  function when(iso) {
    return iso
      ? new Date(iso).toLocaleString([], {
          month: "short",
          day: "numeric",
          hour: "2-digit",
          minute: "2-digit",
        })
      : "";
  }

  function showTicketHistory(ticket) {
    const list = document.getElementById("ticket-history");
    clear(list);
    const events = ticket ? ticket.history || [] : [];
    for (const event of events) {
      list.append(
        el("li", { className: event.kind, data: { kind: event.kind } }, [
          el("time", { text: when(event.at), attrs: { datetime: event.at } }),
          el("span", { text: ` ${historyText(event)}` }),
          el("span", { className: "muted", text: actorLabel(event.actor) }),
        ]),
      );
    }
    if (!events.length) list.append(el("li", { className: "muted", text: "No ticket yet." }));
  }

  function showTicketStatus(ticket) {
    const row = document.getElementById("ticket-status-row");
    const select = document.getElementById("ticket-status");
    row.hidden = !ticket;
    document.getElementById("ticket-status-help").hidden = !ticket;
    if (!ticket) return;
    clear(select);
    if (!SETTABLE_STATUSES.includes(ticket.status)) {
      select.append(
        el("option", {
          text: statusLabel(ticket.status),
          attrs: { value: ticket.status, disabled: "" },
        }),
      );
    }
    for (const status of SETTABLE_STATUSES) {
      select.append(el("option", { text: statusLabel(status), attrs: { value: status } }));
    }
    select.value = ticket.status;
    select.dataset.current = ticket.status;
    select.disabled = !mayChangeTicket || DONE_STATUSES.includes(ticket.status);
  }

  function showTicket(ticket) {
    ticketNumber = ticket ? ticket.number : null;
    definitions(
      document.getElementById("ticket"),
      ticket
        ? [
            ["Number", ticket.number],
            ["Status", statusLabel(ticket.status)],
            ["Priority", ticket.priority],
            ["Category", ticket.category.replaceAll("_", " ")],
            ["Subject", ticket.subject],
          ]
        : [],
    );
    showTicketStatus(ticket);
    showTicketHistory(ticket);
  }

  function showNotes(notes) {
    const list = document.getElementById("notes");
    clear(list);
    for (const note of notes) {
      list.append(
        el("li", { className: "note" }, [
          el("div", { className: "meta" }, [
            el("span", { className: "sender", text: note.author }),
            el("time", { text: time(note.at) }),
          ]),
          el("p", { className: "text", text: note.text }),
        ]),
      );
    }
  }

  function day(iso) {
    return iso ? new Date(iso).toLocaleDateString() : "";
  }

  // One line per entry: the main text, then muted details.
  function historyList(listId, entries, line) {
    const list = document.getElementById(listId);
    clear(list);
    for (const entry of entries) {
      const [main, details] = line(entry);
      list.append(
        el("li", {}, [el("span", { text: main }), el("span", { className: "muted", text: details })]),
      );
    }
    if (!entries.length) list.append(el("li", { className: "muted", text: "None." }));
  }

  function showHistory(history) {
    const { customer } = history;
    definitions(document.getElementById("history-customer"), [
      ["Name", customer.name],
      ["Email", customer.email],
      ["Tier", customer.tier],
    ]);
    historyList("history-orders", history.orders, (o) => [
      o.number,
      `${o.status.replaceAll("_", " ")} · ${day(o.placed_at)} · ${o.total} ${o.currency}`,
    ]);
    historyList("history-conversations", history.conversations, (c) => [
      c.id === id ? `${c.id} (this one)` : c.id,
      `${c.channel} · ${c.owner} · ${day(c.created_at)}` +
        (c.resolved_at ? ` · resolved ${day(c.resolved_at)}` : "") +
        (c.rating ? ` · rated ${stars(c.rating)} ${c.rating}/5` : "") +
        (c.rating_comment ? ` “${c.rating_comment}”` : ""),
    ]);
    historyList("history-tickets", history.tickets, (t) => [
      t.number,
      `${t.category.replaceAll("_", " ")} · ${t.priority} · ${t.status.replaceAll("_", " ")} · ` +
        day(t.created_at),
    ]);
    historyList("history-ratings", history.ratings, (r) => [
      `${"★".repeat(r.score)}${"☆".repeat(5 - r.score)}${r.comment ? ` “${r.comment}”` : ""}`,
      `${day(r.created_at)}${r.agent ? ` · ${r.agent}` : ""}`,
    ]);
    document.getElementById("customer-history").hidden = false;
  }

  function stars(score) {
    return `${"★".repeat(score)}${"☆".repeat(5 - score)}`;
  }

  // The customer's rating of this conversation, under its title.
  function showRating(rating) {
    const node = document.getElementById("rating");
    clear(node);
    node.hidden = !rating;
    if (!rating) return;
    node.dataset.score = String(rating.score);
    node.className = `rating score-${rating.score}`;
    node.append(
      el("span", { className: "label", text: "Customer rating" }),
      el("span", { className: "stars", text: stars(rating.score), attrs: { "aria-hidden": "true" } }),
      el("strong", { text: `${rating.score}/5` }),
      rating.comment ? el("q", { className: "comment", text: rating.comment }) : null,
      el("span", { className: "muted", text: when(rating.updated_at || rating.created_at) }),
    );
  }

  // The email the customer left out of hours: nothing sends mail, the agent writes it.
  function showFollowupEmail(conversation) {
    const email = conversation.followup_email;
    document.getElementById("followup-card").hidden = !email;
    if (!email) return;
    const link = document.getElementById("followup-email");
    const subject = ticketNumber ? `Your request (ticket ${ticketNumber})` : "Your request";
    link.textContent = email;
    link.href = `mailto:${encodeURIComponent(email).replaceAll("%40", "@")}` +
      `?subject=${encodeURIComponent(subject)}`;
    document.getElementById("followup-note").textContent =
      `Left ${when(conversation.followup_email_at)} in the chat. ` +
      "No email is sent automatically: reply from your own mailbox.";
  }

  let historyFor = null; // the customer whose history is shown (fetched once per customer)
  async function loadHistory(customerId) {
    if (customerId === null || customerId === undefined) {
      historyFor = null;
      document.getElementById("customer-history").hidden = true;
      return;
    }
    if (customerId === historyFor) return;
    historyFor = customerId;
    try {
      showHistory(await api("GET", `/customers/${encodeURIComponent(customerId)}/history`));
    } catch (error) {
      historyFor = null;
      throw error;
    }
  }

  function showState(conversation) {
    const badge = document.getElementById("owner-badge");
    const agent = conversation.agent_name ? ` · ${conversation.agent_name}` : "";
    const waiting = conversation.owner === "human" && !conversation.agent_username;
    badge.textContent = waiting ? "waiting for an agent" : `${conversation.owner}${agent}`;
    badge.className = `badge owner-${conversation.owner}`;
    document.body.dataset.owner = conversation.owner;
    const withPerson = conversation.owner === "human";
    const mine = conversation.agent_username === me.username;
    mayChangeTicket = mine || !conversation.agent_username || me.role !== "agent";
    const canAct = withPerson && mayChangeTicket;
    document.getElementById("claim").hidden = !withPerson || mine;
    document.getElementById("hand-back").disabled = !canAct;
    document.getElementById("resolve").disabled = !canAct;
    document.getElementById("reply-form").classList.toggle("disabled", !canAct);
  }

  // The newest message stays in view while the panels around the transcript fill in (the
  // rating, the suggestions) unless the agent has scrolled up to read.
  let stuckToBottom = true;
  transcript.addEventListener("scroll", () => {
    stuckToBottom = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 80;
  });
  new ResizeObserver(() => {
    if (stuckToBottom) transcript.scrollTop = transcript.scrollHeight;
  }).observe(transcript);

  let scrolledOnce = false; // the first load shows the newest message
  async function load() {
    const detail = await api("GET", base);
    for (const message of detail.messages) addMessage(message);
    if (!scrolledOnce) {
      scrolledOnce = true;
      transcript.scrollTop = transcript.scrollHeight;
    }
    showRating(detail.rating);
    showState(detail.conversation);
    document.getElementById("title").textContent = detail.who;
    showCollected(detail.collected);
    showTicket(detail.ticket);
    showFollowupEmail(detail.conversation);
    showNotes(detail.notes);
    await loadHistory(detail.conversation.customer_id);
  }

  const reload = debounce(() => load().catch(showError), 200);

  async function act(path, body) {
    showError(null);
    try {
      return await api("POST", `${base}${path}`, body);
    } catch (error) {
      showError(error);
      return null;
    } finally {
      reload();
    }
  }

  document.getElementById("ticket-status").addEventListener("change", async (event) => {
    const select = event.target;
    if (select.value === select.dataset.current) return;
    const ticket = await act("/ticket-status", { status: select.value });
    if (ticket) showTicket(ticket);
    else select.value = select.dataset.current; // refused: show the status it still has
  });

  document.getElementById("claim").addEventListener("click", () => act("/claim"));
  document.getElementById("hand-back").addEventListener("click", () => act("/hand-back"));
  document.getElementById("resolve").addEventListener("click", () => {
    if (confirm("Resolve this conversation and ask the customer for a rating?")) act("/resolve");
  });

  document.getElementById("reply-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = replyText.value.trim();
    if (!text) return;
    const message = await act("/reply", { text });
    if (message) {
      addMessage(message);
      replyText.value = "";
    }
  });
  replyText.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      document.getElementById("reply-form").requestSubmit();
    }
  });
  replyText.addEventListener("input", () => {
    const now = Date.now();
    if (now - lastTyping < TYPING_EVERY_MS || !replyText.value) return;
    lastTyping = now;
    api("POST", `${base}/typing`).catch(() => {});
  });

  document.getElementById("note-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const box = document.getElementById("note-text");
    const text = box.value.trim();
    if (!text) return;
    const notes = await act("/notes", { text });
    if (notes) {
      showNotes(notes);
      box.value = "";
    }
  });

  live((event) => {
    if (event.type === "message" && event.message.conversation_id === id) {
      addMessage(event.message);
    } else if (event.type === "state" && event.conversation.id === id) {
      reload();
    } else if (event.type === "note" && event.conversation_id === id) {
      reload();
    } else if (event.type === "sla" && ticketNumber && event.ticket === ticketNumber) {
      reload(); // an SLA warning or escalation on this conversation's ticket
    }
  }, reload);
  Console.presence();
  load().catch(showError);
})();
