/*
 * supportbot web chat widget. Embed with one tag:
 *   <script src="https://support.example.com/chat/widget.js"
 *           data-supportbot-url="https://support.example.com/" defer></script>
 *
 * Plain JavaScript, no dependencies, no build step. The widget lives in a shadow root so the
 * shop's styles and ours never mix. Message text is only ever set with textContent.
 * The token in localStorage is the customer's only credential for their conversation.
 */
(() => {
  "use strict";

  const script = document.currentScript || document.querySelector("script[data-supportbot-url]");
  const base = new URL((script && script.dataset.supportbotUrl) || "/", document.baseURI);
  if (!base.pathname.endsWith("/")) base.pathname += "/";
  const STORAGE_KEY = `supportbot:${base.origin}${base.pathname}`;
  const TYPING_TIMEOUT_MS = 15000;
  const MAX_BACKOFF_MS = 10000;
  // Live events are best effort (Redis pub/sub delivers at most once): a connected widget also
  // catches up this often, so a lost event costs seconds, never a stale chat.
  const RESYNC_MS = 10000;
  const MAX_CHARS = 4000;
  // The team's hours are a nicety: a slow or failing answer must never hold up the greeting.
  const AVAILABILITY_TIMEOUT_MS = 4000;
  const AVAILABILITY_FRESH_MS = 60000; // the server lets caches keep it this long
  const SENDERS = { customer: "You", bot: "Assistant", system: "Customer service" };

  const state = {
    token: null,
    conversation: null,
    outbox: [], // {client_id, text, payload}: sent, or waiting to be sent again with the same id
    rendered: new Map(), // message id -> element
    pending: new Map(), // client_id -> {element, text}
    syncedId: 0, // every message up to here has been fetched over HTTP (live ones may be lost)
    live: false,
    socket: null,
    attempts: 0,
    reconnectTimer: null,
    resyncTimer: null,
    flushTimer: null,
    flushing: false,
    starting: null, // the session request in flight, shared by everyone who needs a token
    awaitingBot: false, // a message is on its way to the bot: it may wait for Rasa to start
    typingTimer: null,
    unread: 0,
    seenId: 0, // the newest message shown with the panel open (kept across reloads)
    availability: null, // {answer, at}: the team's hours as last fetched (null: none yet)
    followupSkipped: null, // the conversation whose email offer the customer declined
    followupEditing: false, // "Change" was pressed: the form shows, not the address left
  };

  // -- small helpers ----------------------------------------------------------------------

  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === false || value === null || value === undefined) continue;
      node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) node.append(child); // strings become text nodes
    return node;
  }

  function newClientId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function load() {
    try {
      const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) || "{}");
      state.token = typeof saved.token === "string" ? saved.token : null;
      state.outbox = Array.isArray(saved.outbox) ? saved.outbox : [];
      state.seenId = Number(saved.seen_id) || 0;
      state.followupSkipped = typeof saved.followup_skipped === "string" ? saved.followup_skipped : null;
    } catch {
      /* no storage (private mode): the chat lasts as long as the page */
    }
  }

  function save() {
    try {
      const saved = {
        token: state.token, outbox: state.outbox, seen_id: state.seenId,
        followup_skipped: state.followupSkipped,
      };
      localStorage.setItem(STORAGE_KEY, JSON.stringify(saved));
    } catch {
      /* see load() */
    }
  }

  async function call(method, path, body) {
    const headers = { "X-Chat-Token": state.token || "" };
    const init = { method, headers };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(new URL(path, base), init); // throws when offline
    if (response.status === 401) forgetSession();
    return resultOf(response);
  }

  /** What an answer says: its JSON (null if none) and, on a 429, how many seconds to wait. */
  async function resultOf(response) {
    let data = null;
    try {
      data = await response.json();
    } catch {
      /* not JSON: errorText() falls back to the status */
    }
    const retryAfter = Number(response.headers.get("Retry-After")) || 0;
    return { ok: response.ok, status: response.status, data, retryAfter };
  }

  function errorText(result) {
    const detail = result.data && Array.isArray(result.data.detail) ? result.data.detail[0] : null;
    return (detail && detail.msg) || `Something went wrong (HTTP ${result.status}).`;
  }

  // -- the interface ----------------------------------------------------------------------

  /** A speech bubble drawn in SVG: emoji fonts are missing on many systems. */
  function chatIcon() {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("class", "launcher-icon");
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z");
    path.setAttribute("fill", "currentColor");
    svg.append(path);
    return svg;
  }

  const host = el("div", { id: "supportbot-widget", style: "display:none" });
  const root = host.attachShadow({ mode: "open" });
  const styles = el("link", { rel: "stylesheet", href: new URL("chat/widget.css", base).href });
  styles.addEventListener("load", () => host.style.removeProperty("display"));
  styles.addEventListener("error", () => host.style.removeProperty("display"));

  const badge = el("span", { class: "badge", hidden: true, "aria-hidden": "true" });
  const launcher = el(
    "button",
    { type: "button", class: "launcher", "aria-label": "Open the chat", "aria-expanded": "false",
      "aria-controls": "supportbot-panel" },
    chatIcon(),
    badge,
  );
  const who = el("p", { class: "who", "aria-live": "polite" }, "You're chatting with our assistant");
  const closeButton = el("button", { type: "button", class: "close", "aria-label": "Close the chat" }, "×");
  const status = el("p", { class: "status", role: "status", hidden: true });
  const notice = el("p", { class: "notice", role: "alert", hidden: true });
  const list = el("ol", { class: "messages", role: "log", "aria-live": "polite", "aria-label": "Messages" });
  const typingText = el("span", { class: "typing-text" }, "The assistant is typing…");
  const typing = el(
    "div",
    { class: "typing", hidden: true, "aria-live": "polite" },
    el("span", { class: "dots", "aria-hidden": "true" }, el("i"), el("i"), el("i")),
    typingText,
  );
  // No maxlength: a pasted text is never cut silently; the counter says what is too long.
  const input = el("textarea", {
    class: "input", rows: "1", "aria-label": "Your message", "aria-describedby": "supportbot-count",
    placeholder: "Type your message…",
  });
  const counter = el("p", { class: "counter", id: "supportbot-count", "aria-live": "polite", hidden: true });
  const sendButton = el("button", { type: "submit", class: "send", "aria-label": "Send the message" }, "Send");
  const composer = el("form", { class: "composer" }, input, sendButton);
  const humanLink = el("button", { type: "button", class: "human" }, "Talk to a person");
  // Out of hours, after a handoff: an optional email for the reply (nothing is sent by the
  // system; the agent sees the address and writes from their own mailbox).
  const followupEmail = el("input", {
    type: "email", class: "followup-email", autocomplete: "email", inputmode: "email",
    required: true, maxlength: "320", placeholder: "name@example.com",
    "aria-label": "Your email (optional)", "aria-describedby": "supportbot-followup-hint",
  });
  const followupSend = el("button", { type: "submit", class: "followup-send" }, "Save");
  const followupSkip = el("button", { type: "button", class: "followup-skip" }, "No thanks");
  const followupError = el("p", { class: "followup-error", role: "alert", hidden: true });
  const followupAsk = el(
    "div",
    { class: "followup-ask" },
    el("p", { class: "followup-hint", id: "supportbot-followup-hint" },
      "Our team is away right now. Leave your email and we'll reply by email when we're " +
      "back (optional)."),
    el("div", { class: "followup-row" }, followupEmail, followupSend),
    followupError,
    followupSkip,
  );
  const followupDoneText = el("span", { class: "followup-done-text" });
  const followupChange = el("button", { type: "button", class: "followup-change" }, "Change");
  const followupDone = el("p", { class: "followup-done", hidden: true }, followupDoneText, " ", followupChange);
  const followup = el(
    "form",
    { class: "followup", "aria-label": "Reply by email", hidden: true, novalidate: true },
    followupAsk,
    followupDone,
  );
  const panel = el(
    "section",
    { class: "panel", id: "supportbot-panel", role: "dialog", "aria-label": "Customer service chat", hidden: true },
    el("header", {}, el("div", {}, el("h2", {}, "Customer service"), who), closeButton),
    status,
    list,
    typing,
    followup,
    notice,
    composer,
    counter,
    el("footer", {}, humanLink),
  );
  root.append(styles, panel, launcher);

  function open() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    launcher.setAttribute("aria-label", "Close the chat");
    state.unread = 0;
    badge.hidden = true;
    markSeen();
    showIntro();
    input.focus();
    ensureSession().then(connect, (error) =>
      showNotice(error instanceof Refusal ? error.message : "We can't reach customer service right now."),
    );
    list.scrollTop = list.scrollHeight;
  }

  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-label", "Open the chat");
    launcher.focus();
  }

  function showNotice(text) {
    notice.textContent = text;
    notice.hidden = false;
    clearTimeout(showNotice.timer);
    showNotice.timer = setTimeout(() => (notice.hidden = true), 8000);
  }

  function setStatus(text) {
    status.textContent = text || "";
    status.hidden = !text;
  }

  function showTyping(whoIsTyping, name) {
    typingText.textContent =
      whoIsTyping === "agent" ? `${name || "A colleague"} is typing…` : "The assistant is typing…";
    typing.hidden = false;
    clearTimeout(state.typingTimer);
    // A typing event that is not followed up fades; the bot's answer we wait for does not.
    state.typingTimer = setTimeout(
      () => (state.awaitingBot ? showTyping("bot") : hideTyping()),
      TYPING_TIMEOUT_MS,
    );
    list.scrollTop = list.scrollHeight;
  }

  function hideTyping() {
    clearTimeout(state.typingTimer);
    typing.hidden = true;
  }

  function applyConversation(conversation) {
    // An HTTP answer can arrive after a newer state from the socket: never go back in time.
    const current = state.conversation;
    if (current && conversation && Date.parse(conversation.updated_at) < Date.parse(current.updated_at)) {
      return;
    }
    state.conversation = conversation;
    const owner = conversation ? conversation.owner : "bot";
    if (owner === "human") {
      who.textContent = conversation.agent_name
        ? `You're chatting with ${conversation.agent_name}`
        : "Waiting for a colleague to join…";
    } else if (owner === "resolved" || owner === "closed") {
      who.textContent = "Conversation resolved: write again any time";
    } else {
      who.textContent = "You're chatting with our assistant";
    }
    humanLink.hidden = owner === "human";
    updateRatingForms();
    updateFollowup();
  }

  // -- messages ---------------------------------------------------------------------------

  const CLOCK = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
  const DAY = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });

  /** "14:05" today, "6 Dec, 14:05" before; the full date and time on hover and for machines. */
  function timeOf(iso) {
    const when = new Date(iso);
    if (Number.isNaN(when.getTime())) return "";
    const today = when.toDateString() === new Date().toDateString();
    return el("time", { class: "at", datetime: when.toISOString(), title: when.toLocaleString() },
      (today ? CLOCK : DAY).format(when));
  }

  /** Everything rendered so far has been seen (the panel is open). */
  function markSeen() {
    let newest = state.seenId;
    for (const id of state.rendered.keys()) newest = Math.max(newest, id);
    if (newest !== state.seenId) {
      state.seenId = newest;
      save();
    }
  }

  // -- the first open: what the chat is for, and topics to start with ----------------------

  const introHours = el("p", { class: "intro-hours", hidden: true });
  const INTRO_TOPICS = ["Track my order", "Start a return", "Where is my refund?", "My parcel is late"];
  const intro = el(
    "li",
    { class: "intro" },
    el("p", { class: "intro-text" },
      "Hi! I'm the shop's assistant. I answer at once, day and night: orders, returns, " +
      "refunds, deliveries. A colleague takes over whenever you ask."),
    introHours,
    (() => {
      const row = el("div", { class: "buttons", role: "group", "aria-label": "Suggested topics" });
      for (const topic of INTRO_TOPICS) {
        const node = el("button", { type: "button", class: "choice" }, topic);
        // Sent as text: the hub accepts only the payloads of buttons the bot itself offered.
        node.addEventListener("click", () => send(topic, null));
        row.append(node);
      }
      return row;
    })(),
  );

  function showIntro() {
    if (state.rendered.size || state.pending.size) return;
    if (!intro.isConnected) list.prepend(intro);
    if (introHours.hidden) {
      teamAvailability().then((answer) => {
        if (!answer) return; // no line rather than a wrong one
        introHours.textContent = answer.text + yourTime(answer);
        introHours.hidden = false;
      });
    }
  }

  // -- when a person can answer, and the email for a reply out of hours --------------------

  /** The team's hours (`GET chat/api/availability`), or null when they can't be had in time. */
  function teamAvailability({ fresh = false } = {}) {
    const known = state.availability;
    if (known && (!fresh || Date.now() - known.at < AVAILABILITY_FRESH_MS)) {
      return Promise.resolve(known.answer);
    }
    // whoever asks while a request is on its way shares it
    teamAvailability.asking ||= fetchAvailability().finally(() => (teamAvailability.asking = null));
    return teamAvailability.asking;
  }

  async function fetchAvailability() {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), AVAILABILITY_TIMEOUT_MS);
    try {
      const response = await fetch(new URL("chat/api/availability", base), { signal: controller.signal });
      const answer = response.ok ? await response.json() : null;
      if (!answer || typeof answer.text !== "string" || typeof answer.open !== "boolean") return null;
      state.availability = { answer, at: Date.now() };
      return answer;
    } catch {
      return null; // offline, refused or too slow
    } finally {
      clearTimeout(timer);
    }
  }

  /** The shop's opening time in the customer's own clock when theirs differs, e.g.
   *  " That's Monday 03:00 your time." (the server speaks in the shop's timezone). */
  function yourTime(answer) {
    const iso = answer.next_opening;
    const offset = typeof iso === "string" && /(Z|([+-])(\d\d):(\d\d))$/.exec(iso);
    if (!offset) return "";
    const when = new Date(iso);
    const shopMinutes =
      offset[1] === "Z" ? 0 : (offset[2] === "-" ? -1 : 1) * (Number(offset[3]) * 60 + Number(offset[4]));
    if (Number.isNaN(when.getTime()) || -when.getTimezoneOffset() === shopMinutes) return "";
    const days = (when - Date.now()) / 86400000;
    const words = new Intl.DateTimeFormat(undefined, {
      weekday: "long", hour: "2-digit", minute: "2-digit",
      ...(days >= 6 ? { day: "numeric", month: "long" } : {}),
    }).format(when);
    return ` That's ${words} your time.`;
  }

  /** Offer the email field while a person has the conversation and the team is away. */
  async function updateFollowup() {
    const conversation = state.conversation;
    if (!conversation || conversation.owner !== "human") {
      followup.hidden = true;
      return;
    }
    if (conversation.followup_email && !state.followupEditing) {
      followupDoneText.textContent =
        `Thanks! We'll reply to ${conversation.followup_email} by email when we're back.`;
      followupAsk.hidden = true;
      followupDone.hidden = false;
      followup.hidden = false;
      return;
    }
    if (!followupAsk.hidden && !followup.hidden) return; // already offered (or being changed)
    if (state.followupSkipped === conversation.id) return;
    const answer = await teamAvailability({ fresh: true });
    const current = state.conversation;
    if (!answer || answer.open || !current || current.owner !== "human" || current.followup_email) return;
    followupDone.hidden = true;
    followupAsk.hidden = false;
    followup.hidden = false;
    list.scrollTop = list.scrollHeight;
  }

  followup.addEventListener("submit", async (event) => {
    event.preventDefault();
    const email = followupEmail.value.trim();
    if (!email) {
      followupError.textContent = "Type your email, or choose No thanks.";
      followupError.hidden = false;
      followupEmail.focus();
      return;
    }
    followupSend.disabled = true;
    try {
      const result = await call("POST", "chat/api/followup-email", { email });
      if (!result.ok) throw new Error(errorText(result));
      followupError.hidden = true;
      followupEmail.value = "";
      state.followupEditing = false;
      followupAsk.hidden = true;
      applyConversation(result.data.conversation);
    } catch (error) {
      followupError.textContent =
        error instanceof TypeError ? "You seem to be offline; try again in a moment." : error.message;
      followupError.hidden = false;
      followupEmail.focus();
    } finally {
      followupSend.disabled = false;
    }
  });
  followupSkip.addEventListener("click", () => {
    followupError.hidden = true;
    if (state.followupEditing) {
      state.followupEditing = false; // keep the address already left
      followupAsk.hidden = true;
      updateFollowup();
      return;
    }
    state.followupSkipped = state.conversation ? state.conversation.id : null;
    save();
    followup.hidden = true;
    input.focus();
  });
  followupChange.addEventListener("click", () => {
    state.followupEditing = true;
    followupDone.hidden = true;
    followupAsk.hidden = false;
    followupEmail.focus();
  });

  function hideIntro() {
    intro.remove();
  }

  /** The bot's and agents' text with its https addresses (a carrier's tracking page) as
   * links that open in a new tab; everything else stays text. */
  function linked(text) {
    const parts = [];
    let last = 0;
    for (const found of text.matchAll(/https:\/\/[^\s<>"']+/g)) {
      const address = found[0].replace(/[.,;:!?)]+$/, "");
      parts.push(text.slice(last, found.index));
      parts.push(el("a", { href: address, target: "_blank", rel: "noopener noreferrer" }, address));
      last = found.index + address.length;
    }
    parts.push(text.slice(last));
    return parts;
  }

  function senderLabel(message) {
    if (message.sender === "agent") return message.sender_name || "A colleague";
    return SENDERS[message.sender] || "Customer service";
  }

  /** Insert by id: replies delivered twice or out of order still read in order. */
  function place(node, id) {
    for (const other of list.children) {
      if (!other.dataset.id || Number(other.dataset.id) > id) {
        list.insertBefore(node, other);
        return;
      }
    }
    list.append(node);
  }

  /** The waiting bubble a stored customer message belongs to (by client id, else by text). */
  function claimPending(message, clientId) {
    const id = message.client_message_id || clientId;
    let key = id && state.pending.has(id) ? id : null;
    if (!key) {
      for (const [candidate, entry] of state.pending) {
        if (entry.text === message.text) {
          key = candidate;
          break;
        }
      }
    }
    if (!key) return null;
    const entry = state.pending.get(key);
    state.pending.delete(key);
    return entry.element;
  }

  function renderMessage(message, clientId) {
    // Whoever was typing has answered, even if this answer was already shown (the POST's
    // answer and the socket deliver the same message, and a typing event may come between).
    if (message.sender !== "customer") hideTyping();
    if (state.rendered.has(message.id)) return;
    let node = message.sender === "customer" ? claimPending(message, clientId) : null;
    if (node) {
      node.classList.remove("pending", "failed");
      node.querySelector(".note")?.remove();
      node.append(timeOf(message.created_at));
    } else {
      node = el("li", { class: `message from-${message.sender}` });
      node.append(el("span", { class: "sender" }, senderLabel(message)));
      if (message.text) {
        const words = message.sender === "customer" ? [message.text] : linked(message.text);
        node.append(el("p", { class: "text" }, ...words));
      }
      node.append(timeOf(message.created_at));
      if (message.image && /^https?:/.test(message.image)) {
        node.append(el("img", { src: message.image, alt: "Image from customer service", loading: "lazy" }));
      }
      const custom = message.custom || {};
      if (custom.type === "csat") node.append(ratingForm(Number(custom.scale) || 5));
      else if (message.buttons && message.buttons.length) node.append(buttonRow(message.buttons));
    }
    node.dataset.id = String(message.id);
    node.remove();
    place(node, message.id);
    state.rendered.set(message.id, node);
    if (!panel.hidden) markSeen();
    else if (message.sender !== "customer" && message.id > state.seenId) {
      state.unread += 1; // only what arrived since the customer last looked
      badge.textContent = String(state.unread);
      badge.hidden = false;
    }
    hideIntro();
    updateRatingForms();
    list.scrollTop = list.scrollHeight;
  }

  function buttonRow(buttons) {
    const row = el("div", { class: "buttons", role: "group", "aria-label": "Suggested answers" });
    for (const button of buttons) {
      const node = el("button", { type: "button", class: "choice" }, button.title);
      node.addEventListener("click", () => {
        for (const other of row.querySelectorAll("button")) other.disabled = true;
        node.classList.add("chosen");
        send(button.title, button.payload);
      });
      row.append(node);
    }
    return row;
  }

  function addPending(item) {
    const node = el(
      "li",
      { class: "message from-customer pending", "data-client-id": item.client_id },
      el("span", { class: "sender" }, SENDERS.customer),
      el("p", { class: "text" }, item.text),
      el("span", { class: "note" }, "Sending…"),
    );
    state.pending.set(item.client_id, { element: node, text: item.text });
    hideIntro();
    list.append(node);
    list.scrollTop = list.scrollHeight;
  }

  function markPending(clientId, text, failed) {
    const entry = state.pending.get(clientId);
    if (!entry) return;
    entry.element.classList.toggle("failed", Boolean(failed));
    entry.element.querySelector(".note").textContent = text;
    if (failed) state.pending.delete(clientId);
  }

  // -- the rating request -----------------------------------------------------------------

  function ratingForm(scale) {
    const form = el("form", { class: "rating", "aria-label": "Rate this conversation" });
    const stars = el("div", { class: "stars", role: "group", "aria-label": "Your rating" });
    const comment = el("textarea", {
      class: "comment", rows: "2", maxlength: "2000", "aria-label": "Comment (optional)",
      placeholder: "Anything you'd like to add? (optional)",
    });
    const submit = el("button", { type: "submit", class: "submit-rating", disabled: true }, "Send rating");
    let score = 0;
    for (let n = 1; n <= scale; n += 1) {
      const star = el(
        "button",
        { type: "button", class: "star", "aria-label": `${n} of ${scale} stars`, "aria-pressed": "false" },
        "★",
      );
      star.addEventListener("click", () => {
        score = n;
        stars.querySelectorAll(".star").forEach((other, index) => {
          other.classList.toggle("on", index < n);
          other.setAttribute("aria-pressed", String(index === n - 1));
        });
        submit.disabled = false;
      });
      stars.append(star);
    }
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!score) return;
      submit.disabled = true;
      try {
        const result = await call("POST", "chat/api/rating", { score, comment: comment.value.trim() || null });
        if (!result.ok) throw new Error(errorText(result));
        form.dataset.done = "true";
        form.replaceChildren(el("p", { class: "thanks" }, "Thank you for your feedback!"));
        applyConversation(result.data.conversation);
      } catch (error) {
        submit.disabled = false;
        showNotice(error instanceof TypeError ? "You seem to be offline; try again in a moment." : error.message);
      }
    });
    form.append(stars, comment, submit);
    return form;
  }

  /** Only the latest rating request can be answered, and only while the question is open. */
  function updateRatingForms() {
    const forms = [...list.querySelectorAll("form.rating")];
    const open = state.conversation && state.conversation.csat_state === "asked";
    forms.forEach((form, index) => {
      if (form.dataset.done) return;
      const active = open && index === forms.length - 1;
      form.classList.toggle("closed", !active);
      for (const control of form.querySelectorAll("button, textarea")) {
        if (!active) control.disabled = true;
        else if (!control.classList.contains("submit-rating")) control.disabled = false;
      }
    });
  }

  // -- talking to the server --------------------------------------------------------------

  function forgetSession() {
    state.token = null;
    state.syncedId = 0;
    if (state.socket) state.socket.close();
    save();
  }

  /** The server said no (a limit, an error): its words for the customer, and when to retry. */
  class Refusal extends Error {
    constructor(result) {
      super(errorText(result));
      this.retryAfter = result.retryAfter;
    }
  }

  /** A token for this browser; callers that ask at the same time share one request. */
  function ensureSession() {
    if (state.token) return Promise.resolve();
    if (!state.starting) {
      state.starting = (async () => {
        const response = await fetch(new URL("chat/api/sessions", base), { method: "POST" });
        const result = await resultOf(response);
        if (!result.ok) throw new Refusal(result);
        state.token = result.data.token;
        save();
      })().finally(() => (state.starting = null));
    }
    return state.starting;
  }

  function applyAnswer(answer, clientId) {
    if (answer.conversation) applyConversation(answer.conversation);
    for (const message of answer.messages) renderMessage(message, clientId);
  }

  async function catchUp() {
    const result = await call("GET", `chat/api/messages?after=${state.syncedId}`);
    if (!result.ok) return false;
    applyAnswer(result.data);
    for (const message of result.data.messages) state.syncedId = Math.max(state.syncedId, message.id);
    return true;
  }

  /** The periodic catch-up of a connected widget (skipped while the page is in the background). */
  async function resync() {
    if (!state.socket || state.socket.readyState !== WebSocket.OPEN || document.hidden) return;
    state.live = await catchUp().catch(() => false);
  }

  function connect() {
    if (!state.token || state.socket) return;
    const url = new URL("chat/ws", base);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("token", state.token);
    const socket = new WebSocket(url);
    state.socket = socket;
    socket.addEventListener("open", async () => {
      state.attempts = 0;
      setStatus(null);
      state.live = await catchUp().catch(() => false);
      flush();
      clearInterval(state.resyncTimer);
      state.resyncTimer = setInterval(resync, RESYNC_MS);
    });
    socket.addEventListener("message", (event) => {
      let data;
      try {
        data = JSON.parse(event.data);
      } catch {
        return;
      }
      if (data.type === "message") {
        renderMessage(data.message);
      } else if (data.type === "state") {
        applyConversation(data.conversation);
      } else if (data.type === "typing") {
        showTyping(data.who, data.name);
      }
    });
    socket.addEventListener("close", (event) => {
      if (state.socket === socket) state.socket = null;
      state.live = false;
      clearInterval(state.resyncTimer);
      if (event.code === 4401) forgetSession();
      reconnectLater();
    });
  }

  /** Back off (0.5 s, 1 s, 2 s ... 10 s, with jitter) so a restarted server isn't stampeded. */
  function reconnectLater() {
    if (state.reconnectTimer) return;
    const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** state.attempts) * (0.75 + Math.random() / 2);
    state.attempts += 1;
    setStatus("Reconnecting…");
    state.reconnectTimer = setTimeout(async () => {
      state.reconnectTimer = null;
      try {
        await ensureSession();
        connect();
      } catch {
        reconnectLater();
      }
    }, delay);
  }

  function send(text, payload) {
    const item = { client_id: newClientId(), text, payload: payload || null };
    state.outbox.push(item);
    save();
    addPending(item);
    flush();
  }

  /** Try the outbox again in 3 s, or later if the server asked for a pause (`Retry-After`). */
  function flushLater(seconds = 0) {
    if (state.flushTimer) return;
    const delay = Math.max(3, seconds) * 1000;
    state.flushTimer = setTimeout(() => ((state.flushTimer = null), flush()), delay);
  }

  /** Send what waits in the outbox, oldest first; a retry reuses the client id. */
  async function flush() {
    if (state.flushing) return;
    state.flushing = true;
    try {
      while (state.outbox.length) {
        const item = state.outbox[0];
        const botAnswers = !state.conversation || state.conversation.owner !== "human";
        if (botAnswers) showTyping("bot");
        state.awaitingBot = botAnswers;
        let result;
        try {
          await ensureSession();
          result = await call("POST", "chat/api/messages", item);
        } catch (error) {
          // A refused new chat keeps the message and says why (e.g. too many chats: wait).
          const refused = error instanceof Refusal;
          markPending(item.client_id, refused ? error.message : "Waiting for the connection…");
          flushLater(refused ? error.retryAfter : 0);
          return;
        }
        if (result.status === 429) {
          markPending(item.client_id, errorText(result));
          flushLater(result.retryAfter);
          return;
        }
        if (result.status >= 500 || result.status === 401) {
          markPending(item.client_id, "Retrying…");
          flushLater();
          return;
        }
        state.outbox.shift();
        save();
        if (result.ok) {
          applyAnswer(result.data, item.client_id);
          connect();
        } else {
          markPending(item.client_id, `Not sent: ${errorText(result)}`, true);
        }
      }
    } finally {
      state.flushing = false;
      state.awaitingBot = false;
      hideTyping();
    }
  }

  // -- events -----------------------------------------------------------------------------

  launcher.addEventListener("click", () => (panel.hidden ? open() : close()));
  closeButton.addEventListener("click", close);
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") close();
  });
  /** The input grows with its text (up to the CSS max-height); the counter shows near the limit. */
  function fitInput() {
    input.style.height = "auto";
    input.style.height = `${input.scrollHeight + 2}px`;
    const length = input.value.length;
    const over = length > MAX_CHARS;
    counter.hidden = length < MAX_CHARS * 0.9;
    counter.classList.toggle("over", over);
    counter.textContent = over
      ? `${length.toLocaleString()} / ${MAX_CHARS.toLocaleString()} characters: please shorten your message to send it.`
      : `${length.toLocaleString()} / ${MAX_CHARS.toLocaleString()} characters`;
    sendButton.disabled = over;
  }
  input.addEventListener("input", fitInput);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      composer.requestSubmit();
    }
  });
  composer.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    if (text.length > MAX_CHARS) {
      showNotice(`Please keep a message under ${MAX_CHARS} characters.`);
      return;
    }
    input.value = "";
    fitInput();
    send(text, null);
  });
  humanLink.addEventListener("click", async () => {
    try {
      await ensureSession();
      const result = await call("POST", "chat/api/human");
      if (!result.ok) throw new Error(errorText(result));
      applyAnswer(result.data);
    } catch (error) {
      showNotice(error instanceof TypeError ? "You seem to be offline; try again in a moment." : error.message);
    }
  });
  document.addEventListener("visibilitychange", resync);
  window.addEventListener("online", () => {
    flush();
    if (!state.socket && state.token) connect();
  });

  function start() {
    document.body.append(host);
    load();
    for (const item of state.outbox) addPending(item);
    if (state.token) connect(); // a returning customer: history comes with the first catch-up
    if (state.outbox.length) flush();
  }

  window.SupportBot = { open, close };
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
