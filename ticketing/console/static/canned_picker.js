// The canned replies in the reply box: type to search by title or text, pick one (click, or
// arrows and Enter) and it goes into the reply with this conversation's placeholders filled.
"use strict";

(() => {
  const { api, el, clear, me, insertReply, showError } = Console;
  const input = document.getElementById("canned-search");
  const results = document.getElementById("canned-results");
  if (!input) return;
  const REFETCH_MS = 60000; // replies a manager added meanwhile show up within a minute
  const SHOWN = 8;
  let replies = [];
  let fetchedAt = 0;
  let active = -1;

  async function fetchReplies() {
    if (Date.now() - fetchedAt < REFETCH_MS) return;
    const query = `conversation_id=${encodeURIComponent(me.conversationId)}`;
    replies = await api("GET", `/canned-replies?${query}`);
    fetchedAt = Date.now();
  }

  // Every word typed must be in the title or the text (any case).
  function matching(query) {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return replies.filter((reply) => {
      const haystack = `${reply.title}\n${reply.text}`.toLowerCase();
      return words.every((word) => haystack.includes(word));
    });
  }

  function close() {
    results.hidden = true;
    input.setAttribute("aria-expanded", "false");
    active = -1;
  }

  function choose(reply) {
    insertReply(reply.filled ?? reply.text);
    input.value = "";
    close();
  }

  function highlight(index) {
    const items = [...results.querySelectorAll("[role=option]")];
    active = items.length ? (index + items.length) % items.length : -1;
    items.forEach((item, n) => item.setAttribute("aria-selected", String(n === active)));
    if (active >= 0) items[active].scrollIntoView({ block: "nearest" });
  }

  function render() {
    const found = matching(input.value);
    clear(results);
    for (const reply of found.slice(0, SHOWN)) {
      const text = reply.filled ?? reply.text;
      const item = el("li", { attrs: { role: "option", "aria-selected": "false" } }, [
        el("strong", { text: reply.title }),
        el("span", { className: "muted snippet", text }),
        reply.missing && reply.missing.length
          ? el("span", { className: "to-fill", text: `to fill: ${reply.missing.join(" ")}` })
          : null,
      ]);
      item.addEventListener("mousedown", (event) => event.preventDefault()); // keep focus
      item.addEventListener("click", () => choose(reply));
      results.append(item);
    }
    if (!found.length) {
      const none = replies.length ? "No canned reply matches." : "There are no canned replies yet.";
      results.append(el("li", { className: "muted none", text: none }));
    }
    results.hidden = false;
    input.setAttribute("aria-expanded", "true");
    highlight(found.length ? 0 : -1);
  }

  async function open() {
    try {
      await fetchReplies();
      if (document.activeElement === input) render();
    } catch (error) {
      showError(error);
    }
  }

  let closing = null; // a blur closes the list a moment later (a click on it comes first)
  function reopen() {
    clearTimeout(closing);
    open();
  }
  input.addEventListener("focus", reopen);
  input.addEventListener("input", reopen);
  input.addEventListener("blur", () => {
    closing = setTimeout(close, 150);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (results.hidden) return void open();
      highlight(active + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter") {
      event.preventDefault(); // never submits the reply form
      const found = matching(input.value);
      if (!results.hidden && active >= 0 && found[active]) choose(found[active]);
    } else if (event.key === "Escape") {
      close();
    }
  });
})();
