// Shared by the console pages: the API helper, safe element building, the live connection
// and the presence controls. Data goes into the page with textContent only.
"use strict";

const Console = (() => {
  const CSRF_COOKIE = "supportbot_csrf";
  const me = document.body.dataset;

  function cookie(name) {
    for (const part of document.cookie.split(";")) {
      const [key, ...rest] = part.trim().split("=");
      if (key === name) return decodeURIComponent(rest.join("="));
    }
    return "";
  }

  function toLogin() {
    const next = encodeURIComponent(location.pathname);
    location.assign(`/console/login?next=${next}`);
  }

  async function api(method, path, body) {
    const headers = { Accept: "application/json" };
    if (method !== "GET") headers["X-CSRF-Token"] = cookie(CSRF_COOKIE);
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(`/api/console${path}`, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 401) {
      toLogin();
      throw new Error("Your login has expired.");
    }
    if (response.status === 204) return null;
    const answer = await response.json().catch(() => null);
    if (!response.ok) {
      const detail = answer && Array.isArray(answer.detail) ? answer.detail : [];
      const message = detail.map((d) => d.msg).join(" ") || `Request failed (${response.status})`;
      const error = new Error(message);
      error.status = response.status;
      error.detail = detail; // [{msg, code, loc}]: forms show each beside its field
      throw error;
    }
    return answer;
  }

  // el("li", {className: "x", text: "y", data: {id: 1}, attrs: {href: "/"}}, [children])
  function el(tag, options = {}, children = []) {
    const node = document.createElement(tag);
    if (options.className) node.className = options.className;
    if (options.text !== undefined && options.text !== null) node.textContent = String(options.text);
    for (const [key, value] of Object.entries(options.attrs || {})) node.setAttribute(key, value);
    for (const [key, value] of Object.entries(options.data || {})) node.dataset[key] = value;
    for (const child of children) if (child) node.append(child);
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function duration(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    if (s < 60) return `${s}s`;
    const m = Math.floor(s / 60);
    if (m < 60) return `${m}m ${String(s % 60).padStart(2, "0")}s`;
    const h = Math.floor(m / 60);
    return `${h}h ${String(m % 60).padStart(2, "0")}m`;
  }

  function time(iso) {
    return iso ? new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : "";
  }

  function debounce(fn, ms) {
    let timer = null;
    return (...args) => {
      clearTimeout(timer);
      timer = setTimeout(() => fn(...args), ms);
    };
  }

  function setStatus(text, ok) {
    const node = document.getElementById("live-status");
    if (!node) return;
    node.textContent = text;
    node.classList.toggle("ok", Boolean(ok));
  }

  // Live events are best effort (Redis pub/sub delivers at most once): a connected page also
  // reloads this often, so a lost event costs seconds, never a stale queue or transcript.
  const RESYNC_MS = 15000;

  // One WebSocket for every console event; reconnects with backoff, to the login on 4401.
  // `onReconnect` reloads the page's data after a reconnect, periodically and when shown again.
  function live(onEvent, onReconnect) {
    let delay = 500;
    let opened = false;
    let connected = false;
    if (onReconnect) {
      const resync = () => connected && !document.hidden && onReconnect();
      setInterval(resync, RESYNC_MS);
      document.addEventListener("visibilitychange", resync);
    }
    function connect() {
      const scheme = location.protocol === "https:" ? "wss" : "ws";
      const socket = new WebSocket(`${scheme}://${location.host}/console/ws`);
      socket.addEventListener("message", (message) => {
        let event;
        try {
          event = JSON.parse(message.data);
        } catch {
          return;
        }
        if (event.type === "ready") {
          setStatus("live", true);
          document.body.dataset.live = "ready";
          connected = true;
          delay = 500;
          if (opened && onReconnect) onReconnect();
          opened = true;
          return;
        }
        onEvent(event);
      });
      socket.addEventListener("close", (closed) => {
        document.body.dataset.live = "closed";
        connected = false;
        if (closed.code === 4401) return toLogin();
        setStatus("reconnecting…", false);
        setTimeout(connect, delay);
        delay = Math.min(delay * 2, 15000);
      });
    }
    connect();
  }

  function showError(error) {
    const node = document.getElementById("error");
    if (!node) return;
    node.textContent = error ? error.message : "";
    node.hidden = !error;
  }

  // The Online / Away toggle and the capacity box in the top bar. The pressed button is the
  // presence the server holds (after login: online unless the agent chose Away last time).
  async function presence() {
    const online = document.getElementById("go-online");
    const away = document.getElementById("go-away");
    const capacity = document.getElementById("capacity");
    if (!online) return;
    function show(agent) {
      const isOnline = agent.presence === "online";
      online.setAttribute("aria-pressed", String(isOnline));
      away.setAttribute("aria-pressed", String(!isOnline));
      online.title = isOnline ? "You get new conversations" : "Go online to get conversations";
      away.title = isOnline ? "Stop getting new conversations" : "You get no new conversations";
      capacity.value = agent.capacity;
      document.body.dataset.presence = agent.presence;
    }
    let latest = 0; // only the answer to the newest request is shown
    async function save(change) {
      const request = ++latest;
      try {
        const agent = await api("PUT", "/me", change);
        if (request === latest) show(agent);
      } catch (error) {
        alert(error.message);
      }
    }
    online.addEventListener("click", () => save({ presence: "online" }));
    away.addEventListener("click", () => save({ presence: "away" }));
    capacity.addEventListener("change", () => {
      const value = Number(capacity.value);
      if (Number.isInteger(value) && value >= 1 && value <= 20) save({ capacity: value });
    });
    const request = ++latest;
    const agent = await api("GET", "/me");
    if (request === latest) show(agent);
  }

  // Put `text` into the reply box at the cursor (on a line of its own when the box has text),
  // then select the first placeholder left to fill, e.g. {order_number}, so the agent types it.
  function insertReply(text) {
    const box = document.getElementById("reply-text");
    if (!box) return;
    const start = box.selectionStart ?? box.value.length;
    const end = box.selectionEnd ?? box.value.length;
    const before = box.value.slice(0, start);
    const after = box.value.slice(end);
    const lead = before && !before.endsWith("\n") ? "\n" : "";
    box.value = `${before}${lead}${text}${after}`;
    const inserted = before.length + lead.length;
    box.focus();
    const open = /\{[a-z_]+\}/.exec(text);
    if (open) {
      box.setSelectionRange(inserted + open.index, inserted + open.index + open[0].length);
    } else {
      box.setSelectionRange(inserted + text.length, inserted + text.length);
    }
    box.dispatchEvent(new Event("input", { bubbles: true }));
  }

  return {
    api,
    el,
    clear,
    duration,
    time,
    debounce,
    live,
    me,
    presence,
    insertReply,
    showError,
    setStatus,
  };
})();
