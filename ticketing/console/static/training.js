// The Training page (managers and admins): clusters of messages the bot did not understand.
// Each cluster is labelled at once (its ticked messages: untick to label one alone) with an
// intent, as out of scope, or skipped; every label can be undone from the toast or the list.
"use strict";

(() => {
  const { api, el, clear } = Console;
  const clustersNode = document.getElementById("clusters");
  const statusNode = document.getElementById("inbox-status");
  let intents = [];

  function plural(count, word) {
    return `${count} ${word}${count === 1 ? "" : "s"}`;
  }

  function percent(confidence) {
    return `${Math.round(confidence * 100)}%`;
  }

  function reasonText(reason) {
    return (
      {
        fallback: "not understood",
        out_of_scope: "out of scope",
        clarification_rejected: "clarification rejected",
        handoff: "handed to a person",
        reason_corrected: "agent corrected the reason",
      }[reason] || reason
    );
  }

  function showError(error) {
    Console.showError(error);
    if (error) document.getElementById("error").scrollIntoView({ block: "nearest" });
  }

  function toast(text, batch) {
    const node = document.getElementById("live-status");
    clear(node);
    node.append(el("span", { text }));
    if (batch) {
      const undoButton = el("button", { className: "link", text: "Undo", attrs: { type: "button" } });
      undoButton.addEventListener("click", () => undo(batch));
      node.append(" ", undoButton);
    }
    node.classList.add("ok");
  }

  function itemNode(item) {
    const guesses = item.guesses.length
      ? item.guesses.map((g) => `${g.intent} ${percent(g.confidence)}`).join(" · ")
      : "no guess";
    const context = [];
    if (item.previous_customer_text) {
      context.push(el("p", { className: "context", text: `Customer before: ${item.previous_customer_text}` }));
    }
    if (item.previous_bot_text) {
      context.push(el("p", { className: "context", text: `Bot asked: ${item.previous_bot_text}` }));
    }
    const box = el("input", { attrs: { type: "checkbox", "aria-label": "Include this message" } });
    box.checked = true;
    box.dataset.itemId = String(item.id);
    const facts = [el("span", { className: "guesses", text: `Bot guessed: ${guesses}` })];
    for (const reason of item.reasons) facts.push(el("span", { className: "chip", text: reasonText(reason) }));
    if (item.contact_reason) {
      facts.push(el("span", { className: "chip person", text: `agent: ${item.contact_reason}` }));
    }
    return el("li", { className: "inbox-item", data: { id: String(item.id) } }, [
      el("label", { className: "message" }, [box, el("q", { text: item.text })]),
      ...context,
      el("p", { className: "facts" }, facts),
    ]);
  }

  function preselected(cluster) {
    const byAgent = cluster.items.map((i) => i.contact_reason).find((r) => intents.includes(r));
    return byAgent || (intents.includes(cluster.top_guess) ? cluster.top_guess : "");
  }

  function clusterNode(cluster) {
    const select = el("select", { attrs: { "aria-label": "Intent" } }, [
      el("option", { text: "Pick the intent…", attrs: { value: "" } }),
      ...intents.map((name) => el("option", { text: name, attrs: { value: name } })),
    ]);
    select.value = preselected(cluster);
    const labelButton = el("button", { className: "primary", attrs: { type: "button" }, data: { action: "label" } });
    const outButton = el("button", { text: "Out of scope", attrs: { type: "button" }, data: { action: "out" } });
    const skipButton = el("button", { text: "Skip", attrs: { type: "button" }, data: { action: "skip" } });
    const list = el("ul", { className: "inbox-items" }, cluster.items.map(itemNode));
    const node = el("li", { className: "cluster", data: { clusterId: String(cluster.id) } }, [
      el("div", { className: "cluster-head" }, [
        el("h3", { text: cluster.size === 1 ? "1 message" : `${cluster.size} similar messages` }),
        el("span", { className: "muted", text: cluster.top_guess ? `mostly guessed as ${cluster.top_guess}` : "" }),
      ]),
      list,
      el("div", { className: "cluster-actions" }, [select, labelButton, outButton, skipButton]),
    ]);
    const boxes = () => [...list.querySelectorAll("input[type=checkbox]")];
    const chosen = () => boxes().filter((b) => b.checked).map((b) => Number(b.dataset.itemId));
    function refresh() {
      const count = chosen().length;
      labelButton.textContent = count === cluster.size && count > 1 ? `Label all ${count}` : `Label ${count}`;
      for (const button of [labelButton, outButton, skipButton]) button.disabled = count === 0;
      labelButton.disabled = count === 0 || !select.value;
    }
    for (const box of boxes()) box.addEventListener("change", refresh);
    select.addEventListener("change", refresh);
    labelButton.addEventListener("click", () => send(chosen(), "intent", select.value));
    outButton.addEventListener("click", () => send(chosen(), "out_of_scope", null));
    skipButton.addEventListener("click", () => send(chosen(), "skip", null));
    refresh();
    return node;
  }

  async function send(itemIds, decision, intent) {
    showError(null);
    try {
      const answer = await api("POST", "/training/labels", { item_ids: itemIds, decision, intent });
      const what = { intent: `as ${answer.intent}`, out_of_scope: "as out of scope", skip: "skipped" }[decision];
      const messages = answer.labelled === 1 ? "1 message" : `${answer.labelled} messages`;
      toast(decision === "skip" ? `${messages} skipped.` : `Labelled ${messages} ${what}.`, answer.batch);
    } catch (error) {
      showError(error);
    }
    await load();
  }

  async function undo(batch) {
    showError(null);
    try {
      const answer = await api("POST", "/training/undo", { batch });
      toast(`Undone: ${answer.undone === 1 ? "1 message is" : `${answer.undone} messages are`} back in the inbox.`);
    } catch (error) {
      showError(error);
    }
    await load();
  }

  function labelledNode(batch) {
    const what = batch.decision === "skip" ? "skipped" : batch.intent;
    const undoButton = el("button", { className: "link", text: "Undo", attrs: { type: "button" } });
    undoButton.addEventListener("click", () => undo(batch.batch));
    return el("li", { data: { batch: batch.batch } }, [
      el("div", { className: "head" }, [
        el("strong", { text: what }),
        el("span", { className: "muted", text: ` ${batch.count} · ${batch.labelled_by.replace(/^staff:/, "")} · ${Console.time(batch.labelled_at)}` }),
        undoButton,
      ]),
      el("p", { className: "muted examples", text: batch.examples.join(" / ") }),
    ]);
  }

  async function load() {
    const [inbox, labelled] = await Promise.all([api("GET", "/training/inbox"), api("GET", "/training/labels")]);
    intents = inbox.intents;
    clear(clustersNode);
    for (const cluster of inbox.clusters) clustersNode.append(clusterNode(cluster));
    document.getElementById("pending-count").textContent = String(inbox.pending);
    document.getElementById("inbox-empty").hidden = inbox.pending > 0;
    statusNode.textContent =
      inbox.pending === 0
        ? ""
        : `${plural(inbox.pending, "message")} in ${plural(inbox.clusters.length, "group")}` +
          (inbox.grouping === "minilm" ? " (grouped by meaning)" : " (the sentence model is unavailable: only equal texts are grouped)");
    const list = document.getElementById("labelled");
    clear(list);
    for (const batch of labelled) list.append(labelledNode(batch));
    document.getElementById("labelled-empty").hidden = labelled.length > 0;
    document.body.dataset.loaded = "true";
  }

  Console.presence();
  load().catch((error) => {
    statusNode.textContent = "";
    showError(error);
  });
})();
