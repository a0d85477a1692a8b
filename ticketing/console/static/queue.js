// The queue page: waiting conversations (live, wait times ticking), mine, and the team.
"use strict";

(() => {
  const { api, el, clear, duration, time, debounce, live, me } = Console;
  let serverOffsetMs = 0; // server clock - browser clock, so wait times match the server

  function conversationLink(id) {
    return `/console/conversations/${encodeURIComponent(id)}`;
  }

  // The channel as a person says it (the reports use the same words).
  const CHANNELS = { web: "Web chat", telegram: "Telegram", rest: "Other (API)" };

  function facts(item) {
    const parts = [CHANNELS[item.channel] || item.channel];
    if (item.request) parts.push(item.request);
    else if (item.intent) parts.push(item.intent.replaceAll("_", " "));
    if (item.order_number) parts.push(`order ${item.order_number}`);
    if (item.ticket_number) parts.push(item.ticket_number);
    return parts.join(" · ");
  }

  async function claim(id, button) {
    button.disabled = true;
    try {
      await api("POST", `/conversations/${encodeURIComponent(id)}/claim`);
      location.assign(conversationLink(id));
    } catch (error) {
      button.disabled = false;
      alert(error.message);
    }
  }

  function queueItem(item) {
    const wait = el("span", { className: "wait", data: { since: item.waiting_since } });
    const claimButton = el("button", { text: "Claim", attrs: { type: "button" } });
    claimButton.addEventListener("click", () => claim(item.id, claimButton));
    return el("li", { className: `item priority-${item.priority}`, data: { id: item.id } }, [
      el("span", { className: `badge priority-${item.priority}`, text: item.priority }),
      el("div", { className: "summary" }, [
        el("a", { className: "who", text: item.who, attrs: { href: conversationLink(item.id) } }),
        el("div", { className: "facts", text: facts(item) }),
        // what the customer last said, only when the bot never learned what they want
        !item.request && item.last_customer_message
          ? el("div", { className: "preview", text: `“${item.last_customer_message}”` })
          : null,
      ]),
      wait,
      claimButton,
    ]);
  }

  function mineItem(conversation) {
    return el("li", { className: "item", data: { id: conversation.id } }, [
      el("span", {
        className: `badge priority-${conversation.priority || "normal"}`,
        text: conversation.priority || "normal",
      }),
      el("div", { className: "summary" }, [
        el("a", {
          className: "who",
          text: conversation.who,
          attrs: { href: conversationLink(conversation.id) },
        }),
        el("div", { className: "facts", text: facts(conversation) }),
      ]),
      el("span", { className: "muted", text: time(conversation.last_message_at) }),
    ]);
  }

  function fill(listId, countId, emptyId, items, render) {
    const list = document.getElementById(listId);
    clear(list);
    for (const item of items) list.append(render(item));
    document.getElementById(countId).textContent = String(items.length);
    document.getElementById(emptyId).hidden = items.length > 0;
  }

  function tick() {
    const now = Date.now() + serverOffsetMs;
    for (const node of document.querySelectorAll(".wait[data-since]")) {
      const seconds = (now - Date.parse(node.dataset.since)) / 1000;
      node.textContent = `waiting ${duration(seconds)}`;
      node.classList.toggle("long", seconds > 300);
    }
  }

  async function loadTeam() {
    const rows = document.getElementById("team-rows");
    if (!rows) return;
    const agents = await api("GET", "/agents");
    clear(rows);
    for (const agent of agents) {
      rows.append(
        el("tr", {}, [
          el("td", { text: `${agent.display_name} (${agent.username})` }),
          el("td", { className: agent.team ? "" : "muted", text: agent.team || "–" }),
          el("td", {}, [el("span", { className: `dot ${agent.presence}`, text: agent.presence })]),
          el("td", { text: agent.open_count }),
          el("td", { text: agent.capacity }),
        ]),
      );
    }
  }

  async function load() {
    const [queue, mine] = await Promise.all([
      api("GET", "/queue"),
      api("GET", "/conversations?mine=true"),
    ]);
    serverOffsetMs = Date.parse(queue.server_time) - Date.now();
    fill("queue", "queue-count", "queue-empty", queue.items, queueItem);
    fill("mine", "mine-count", "mine-empty", mine, mineItem);
    tick();
    if (me.role !== "agent") await loadTeam();
  }

  const reload = debounce(() => load().catch((error) => console.error(error)), 250);
  live((event) => {
    if (["state", "queue", "message"].includes(event.type)) reload();
  }, reload);
  Console.presence().then(reload);
  load();
  setInterval(tick, 1000);
})();
