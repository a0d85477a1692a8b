// The conversation's contact reason (what the reports count it under), and correcting it.
"use strict";

(() => {
  const { api, el, clear, me, showError } = Console;
  const path = `/conversations/${encodeURIComponent(me.conversationId)}/contact-reason`;
  const card = document.getElementById("reason-card");
  const select = document.getElementById("contact-reason");
  const note = document.getElementById("contact-reason-source");
  const SOURCES = {
    bot: "What the bot recognised.",
    ticket: "The ticket's category (the bot recognised no request).",
    agent: "Set by an agent.",
  };
  const GROUPS = { request: "What the customer asked", category: "Ticket category" };

  function show(answer) {
    clear(select);
    if (!answer.reason) {
      select.append(el("option", { text: "Not recorded", attrs: { value: "" } }));
    }
    for (const [group, title] of Object.entries(GROUPS)) {
      const options = answer.choices
        .filter((choice) => choice.group === group)
        .map((choice) => el("option", { text: choice.label, attrs: { value: choice.code } }));
      select.append(el("optgroup", { attrs: { label: title } }, options));
    }
    select.value = answer.reason || "";
    note.textContent = SOURCES[answer.source] || "Not recorded yet: pick the reason.";
    card.hidden = false;
  }

  select.addEventListener("change", async () => {
    if (!select.value) return;
    select.disabled = true;
    try {
      show(await api("PUT", path, { reason: select.value }));
    } catch (error) {
      showError(error);
    } finally {
      select.disabled = false;
    }
  });

  api("GET", path).then(show, (error) => showError(error));
})();
