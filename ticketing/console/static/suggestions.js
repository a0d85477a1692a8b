// Suggested replies for the customer's newest message: the bot's policy answer and what agents
// answered to similar messages. One click puts one into the reply box to edit. While the model
// loads (the first minute after a start) the panel says so and asks again: nothing waits for it.
"use strict";

(() => {
  const { api, el, clear, me, insertReply, debounce } = Console;
  const panel = document.getElementById("suggestions");
  const list = document.getElementById("suggestion-list");
  const status = document.getElementById("suggestions-status");
  const transcript = document.getElementById("transcript");
  if (!panel) return;
  const path = `/conversations/${encodeURIComponent(me.conversationId)}/suggestions`;
  const RETRY_MS = 3000;
  const GIVE_UP_MS = 10 * 60 * 1000;
  const started = Date.now();
  let forMessage = null; // the customer message the shown suggestions answer
  let retry = null;

  function show(answer) {
    panel.dataset.status = answer.status;
    clear(list);
    if (answer.status === "loading") {
      status.textContent = "loading…";
      return;
    }
    if (answer.status === "unavailable") {
      status.textContent = "not available";
      return;
    }
    forMessage = answer.message ? answer.message.id : null;
    status.textContent = answer.message
      ? `for “${answer.message.text.slice(0, 80)}${answer.message.text.length > 80 ? "…" : ""}”`
      : "";
    for (const suggestion of answer.suggestions) {
      const button = el("button", { className: "suggestion", attrs: { type: "button" } }, [
        el("span", { className: `source ${suggestion.source}`, text: suggestion.label }),
        el("span", { className: "text", text: suggestion.text }),
      ]);
      button.title = `Matched “${suggestion.example}” (similarity ${suggestion.score.toFixed(2)})`;
      button.addEventListener("click", () => insertReply(suggestion.text));
      list.append(el("li", {}, [button]));
    }
    if (!answer.suggestions.length) {
      list.append(el("li", { className: "muted", text: "No suggestion for this message." }));
    }
  }

  async function load() {
    clearTimeout(retry);
    try {
      const answer = await api("GET", path);
      show(answer);
      if (answer.status === "loading" && Date.now() - started < GIVE_UP_MS) {
        retry = setTimeout(load, RETRY_MS);
      }
    } catch (error) {
      status.textContent = "not available";
      console.error(error);
    }
  }

  // A new customer message in the transcript: suggestions for it.
  const reloadSoon = debounce(load, 300);
  new MutationObserver((changes) => {
    const added = changes.flatMap((change) => [...change.addedNodes]);
    const customer = added.filter((node) => node.classList && node.classList.contains("customer"));
    if (customer.some((node) => Number(node.dataset.id) !== forMessage)) reloadSoon();
  }).observe(transcript, { childList: true });

  load();
})();
